import { STATUS_CODES } from "node:http";
import type { ModelRequestFailureKind as ModelFailureKind } from "../../../errors/model-request-error.js";
import type { ModelUnavailableErrorReason as ModelUnavailableReason } from "../../../errors/model-unavailable-error.js";
import { RequestTimeoutError, type HttpAnswer } from "./http-transport.js";
import { MalformedResponseError, StreamErrorEvent } from "./response-mapping.js";
import { isRetryableStatus, retryAfterMs } from "./retry-policy.js";

/** One failed attempt, described in plain words, with what the retry loop needs to decide. */
export interface AttemptFailure {
  /** e.g. "HTTP 500 Internal Server Error (upstream crashed)", "could not connect (ECONNREFUSED)". */
  description: string;
  /** The label of the item when this failure is final. */
  kind: ModelFailureKind;
  retryable: boolean;
  /** No request to this endpoint can succeed (401, 403, 404): the run stops. */
  systemic?: ModelUnavailableReason;
  /** The endpoint refused the JSON Schema response format (switch to JSON mode). */
  refusedJsonSchema?: boolean;
  status?: number;
  /** The wait the server asked for (retry-after headers), already capped. */
  retryAfterMs?: number;
  cause: unknown;
}

const EXCERPT_LENGTH = 300;

/** Codes that mean no connection was made at all. */
const CONNECT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT"]);

/** Classifies an error of one attempt that got no usable answer (cancellation is handled before this). */
export function describeFailure(error: unknown): AttemptFailure {
  if (error instanceof RequestTimeoutError) return { description: error.message, kind: "timeout", retryable: true, cause: error };
  // A 200 that is not a chat completion (no choices, a null message, another shape): servers under load and
  // proxies produce these now and then, so it is worth another try; a wrong base URL fails every time and
  // opens the circuit breaker.
  if (error instanceof MalformedResponseError) {
    return { description: `the endpoint answered, but ${error.message} (is the base URL right?)`, kind: "malformed_answer", retryable: true, cause: error };
  }
  // A 200 whose JSON body does not parse: usually a truncated answer from a proxy, worth another try.
  if (error instanceof SyntaxError) {
    return { description: `the answer was not valid JSON (${error.message})`, kind: "unreadable_body", retryable: true, cause: error };
  }
  // An `error` event inside an SSE stream: the server gave up mid-answer.
  if (error instanceof StreamErrorEvent) {
    return { description: `the server reported an error while streaming: ${error.message}`, kind: "http_error", retryable: true, cause: error };
  }
  if (findCode(error) !== undefined) return connectionFailure(error as Error);
  return { description: `unexpected error: ${messageOf(error)}`, kind: "malformed_answer", retryable: false, cause: error };
}

/** A non-2xx answer. */
export function describeStatus(answer: HttpAnswer): AttemptFailure {
  const { status, body } = answer;
  const statusText = answer.statusText || STATUS_CODES[status] || "";
  const excerpt = bodyExcerpt(body);
  const retryAfter = retryAfterMs(answer.headers);
  const systemic = SYSTEMIC_STATUSES[status];
  return {
    description: `HTTP ${status}${statusText ? ` ${statusText}` : ""}${excerpt ? ` (${excerpt})` : ""}${statusHint(status)}`,
    kind: status === 429 ? "rate_limited" : "http_error",
    retryable: isRetryableStatus(status),
    ...(systemic ? { systemic } : {}),
    ...(refusesJsonSchema(status, excerpt) ? { refusedJsonSchema: true } : {}),
    status,
    ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}),
    cause: new Error(`HTTP ${status}`),
  };
}

/** Statuses that say no request to this endpoint with this key and model can succeed. */
const SYSTEMIC_STATUSES: Partial<Record<number, ModelUnavailableReason>> = { 401: "unauthorized", 403: "forbidden", 404: "not_found" };

/**
 * A 400/422 that names the response format: the endpoint does not take `json_schema` (plain-chat servers,
 * older vLLM and Ollama builds, DeepSeek). Such a request is sent again in JSON mode.
 */
function refusesJsonSchema(status: number, excerpt: string): boolean {
  return (status === 400 || status === 422) && /response_format|json_schema|structured output|guided/i.test(excerpt);
}

function statusHint(status: number): string {
  if (status === 401) return "; check the API key";
  if (status === 403) return "; the API key may not have access to this model";
  if (status === 404) return "; check the base URL and the model name";
  return "";
}

function connectionFailure(error: Error): AttemptFailure {
  const code = findCode(error);
  const description =
    code !== undefined && CONNECT_CODES.has(code) ? `could not connect (${code})` : `the connection failed (${code ?? deepestMessage(error)})`;
  return { description, kind: "connection", retryable: true, cause: error };
}

/** The first `code` along the cause chain (undici puts ECONNREFUSED two levels down). */
function findCode(error: unknown): string | undefined {
  for (const link of causeChain(error)) {
    if (typeof link === "object" && link !== null && "code" in link && typeof link.code === "string") return link.code;
  }
  return undefined;
}

function deepestMessage(error: unknown): string {
  const chain = causeChain(error);
  return messageOf(chain[chain.length - 1]);
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 8 && !chain.includes(current)) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A short, readable excerpt of an error body: its message when it is JSON with one, else the text. */
export function bodyExcerpt(body: string): string {
  return truncate(readJsonMessage(body) ?? body.replace(/\s+/g, " ").trim());
}

function readJsonMessage(body: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof json !== "object" || json === null) return undefined;
  const record = json as Record<string, unknown>;
  const error = record.error;
  // OpenAI: {error:{message}}; vLLM: {message}; FastAPI servers: {detail}; some proxies: {error:"..."}.
  const candidates = [typeof error === "object" && error !== null ? (error as Record<string, unknown>).message : error, record.message, record.detail];
  const message = candidates.find((candidate) => typeof candidate === "string" && candidate.trim() !== "");
  return typeof message === "string" ? message : JSON.stringify(json);
}

function truncate(text: string): string {
  return text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text;
}

import { STATUS_CODES } from "node:http";
import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import type { ModelRequestFailureKind as ModelFailureKind } from "../../../errors/model-request-error.js";
import type { ModelUnavailableErrorReason as ModelUnavailableReason } from "../../../errors/model-unavailable-error.js";
import { MalformedResponseError } from "./response-mapping.js";
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

/** What an error response looked like on the wire (the openai package keeps only the body's `error` field). */
export interface ErrorResponseInfo {
  statusText: string;
  body: string;
}

export interface FailureContext {
  /** The attempt's own timer fired (the abort error itself does not say why it aborted). */
  timedOut: boolean;
  timeoutMs: number;
  errorResponse?: ErrorResponseInfo | undefined;
}

const EXCERPT_LENGTH = 300;

/** Codes that mean no connection was made at all. */
const CONNECT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

/** Classifies an error of one attempt (cancellation is handled before this). */
export function describeFailure(error: unknown, context: FailureContext): AttemptFailure {
  if (context.timedOut || error instanceof APIConnectionTimeoutError) {
    return { description: `timed out after ${context.timeoutMs} ms`, kind: "timeout", retryable: true, cause: error };
  }
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
  if (error instanceof APIError && typeof error.status === "number") return httpFailure(error, error.status, context.errorResponse);
  if (error instanceof APIConnectionError) return connectionFailure(error);
  // An `error` event inside an SSE stream (no status): the server gave up mid-answer.
  if (error instanceof APIError) {
    return { description: `the server reported an error while streaming: ${error.message}`, kind: "http_error", retryable: true, cause: error };
  }
  // The socket broke while the body was being read (undici: TypeError "terminated" with a coded cause).
  if (error instanceof TypeError && findCode(error) !== undefined) return connectionFailure(error);
  return { description: `unexpected error: ${messageOf(error)}`, kind: "malformed_answer", retryable: false, cause: error };
}

function httpFailure(error: APIError, status: number, response: ErrorResponseInfo | undefined): AttemptFailure {
  const statusText = response?.statusText || STATUS_CODES[status] || "";
  const excerpt = (response && bodyExcerpt(response.body)) || apiErrorExcerpt(error);
  const retryAfter = retryAfterMs(error.headers);
  const systemic = SYSTEMIC_STATUSES[status];
  return {
    description: `HTTP ${status}${statusText ? ` ${statusText}` : ""}${excerpt ? ` (${excerpt})` : ""}${statusHint(status)}`,
    kind: status === 429 ? "rate_limited" : "http_error",
    retryable: isRetryableStatus(status),
    ...(systemic ? { systemic } : {}),
    ...(refusesJsonSchema(status, excerpt) ? { refusedJsonSchema: true } : {}),
    status,
    ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}),
    cause: error,
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

function apiErrorExcerpt(error: APIError): string {
  const text = error.message.replace(/^\d{3}\s*/, "");
  return text === "status code (no body)" ? "" : truncate(text);
}

function truncate(text: string): string {
  return text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text;
}

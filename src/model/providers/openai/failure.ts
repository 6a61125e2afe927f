import { STATUS_CODES } from "node:http";
import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import { MalformedResponseError } from "./response-mapping.js";
import { isRetryableStatus, retryAfterMs } from "./retry-policy.js";

/** One failed attempt, described in plain words, with what the retry loop needs to decide. */
export interface AttemptFailure {
  /** e.g. "HTTP 500 Internal Server Error (upstream crashed)", "could not connect (ECONNREFUSED)". */
  description: string;
  retryable: boolean;
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
    return { description: `timed out after ${context.timeoutMs} ms`, retryable: true, cause: error };
  }
  if (error instanceof MalformedResponseError) {
    return { description: `the endpoint answered, but ${error.message} (is the base URL right?)`, retryable: false, cause: error };
  }
  // A 200 whose JSON body does not parse: usually a truncated answer from a proxy, worth another try.
  if (error instanceof SyntaxError) {
    return { description: `the answer was not valid JSON (${error.message})`, retryable: true, cause: error };
  }
  if (error instanceof APIError && typeof error.status === "number") return httpFailure(error, error.status, context.errorResponse);
  if (error instanceof APIConnectionError) return connectionFailure(error);
  // An `error` event inside an SSE stream (no status): the server gave up mid-answer.
  if (error instanceof APIError) {
    return { description: `the server reported an error while streaming: ${error.message}`, retryable: true, cause: error };
  }
  // The socket broke while the body was being read (undici: TypeError "terminated" with a coded cause).
  if (error instanceof TypeError && findCode(error) !== undefined) return connectionFailure(error);
  return { description: `unexpected error: ${messageOf(error)}`, retryable: false, cause: error };
}

function httpFailure(error: APIError, status: number, response: ErrorResponseInfo | undefined): AttemptFailure {
  const statusText = response?.statusText || STATUS_CODES[status] || "";
  const excerpt = (response && bodyExcerpt(response.body)) || apiErrorExcerpt(error);
  const retryAfter = retryAfterMs(error.headers);
  return {
    description: `HTTP ${status}${statusText ? ` ${statusText}` : ""}${excerpt ? ` (${excerpt})` : ""}${statusHint(status)}`,
    retryable: isRetryableStatus(status),
    status,
    ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}),
    cause: error,
  };
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
  return { description, retryable: true, cause: error };
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

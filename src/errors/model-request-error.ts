import { AgentsynthError } from "./agentsynth-error.js";

/**
 * Why a request failed for good (the zod enum of the same values is ModelFailureKindSchema in src/domain/model-usage.ts;
 * src/model/failures.ts checks at compile time that the two agree).
 */
export type ModelRequestFailureKind =
  | "http_error"
  | "rate_limited"
  | "timeout"
  | "connection"
  | "malformed_answer"
  | "unreadable_body"
  | "truncated"
  | "invalid_output";

/**
 * Item-level: one model request failed after its retries (5xx, 429, timeout, connection, a garbled or
 * wrong-shape answer, a 4xx about this request). The stage labels the item it was for with `kind` and goes on.
 */
export class ModelRequestError extends AgentsynthError {
  constructor(
    message: string,
    readonly details: { kind: ModelRequestFailureKind; status?: number; attempts: number; purpose: string; retryable: boolean },
    options?: { cause?: unknown },
  ) {
    super("MODEL_REQUEST_FAILED", message, options);
  }
}

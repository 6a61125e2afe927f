import { AgentsynthError } from "./agentsynth-error.js";

/** A model endpoint failed after all retries (unreachable, 5xx, 429, timeout, 4xx). */
export class ModelRequestError extends AgentsynthError {
  constructor(
    message: string,
    readonly details: { status?: number; attempts: number; purpose: string; retryable: boolean },
    options?: { cause?: unknown },
  ) {
    super("MODEL_REQUEST_FAILED", message, options);
  }
}

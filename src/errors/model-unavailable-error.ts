import { AgentsynthError } from "./agentsynth-error.js";

/** The zod enum of the same values is ModelUnavailableReasonSchema in src/domain/model-usage.ts. */
export type ModelUnavailableErrorReason = "unauthorized" | "forbidden" | "not_found" | "circuit_open";

/**
 * Systemic: no request to this endpoint can succeed (a rejected key, no access, no such model or URL), or most
 * recent requests failed (the circuit breaker opened). The run stops with the reason; what is stored stays.
 */
export class ModelUnavailableError extends AgentsynthError {
  constructor(
    message: string,
    readonly details: { reason: ModelUnavailableErrorReason; endpoint: string; model: string; status?: number; purpose?: string },
    options?: { cause?: unknown },
  ) {
    super("MODEL_UNAVAILABLE", message, options);
  }
}

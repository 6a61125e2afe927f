import { AgentsynthError } from "./agentsynth-error.js";

/**
 * Item-level: a model answered, but not with what was asked (invalid JSON, schema mismatch) even after the
 * repair attempt (kind `invalid_output`), or its answer was cut at the output-token limit even after a retry
 * with a larger one (kind `truncated`).
 */
export class ModelOutputError extends AgentsynthError {
  constructor(
    message: string,
    readonly details: { purpose: string; problems: string[]; output: string; kind?: "invalid_output" | "truncated" },
  ) {
    super("MODEL_OUTPUT_INVALID", message);
  }

  get kind(): "invalid_output" | "truncated" {
    return this.details.kind ?? "invalid_output";
  }
}

import { AgentsynthError } from "./agentsynth-error.js";

/** A model answered, but not with what was asked (invalid JSON, schema mismatch) even after the repair attempt. */
export class ModelOutputError extends AgentsynthError {
  constructor(message: string, readonly details: { purpose: string; problems: string[]; output: string }) {
    super("MODEL_OUTPUT_INVALID", message);
  }
}

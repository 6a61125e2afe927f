import { AgentsynthError } from "./agentsynth-error.js";

/** A run or an export that would make nothing: no tools to build agents from, no episodes, or a dataset with no records. */
export class EmptyResultError extends AgentsynthError {
  constructor(message: string) {
    super("EMPTY_RESULT", message);
  }
}

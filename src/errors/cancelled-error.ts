import { AgentsynthError } from "./agentsynth-error.js";

export class CancelledError extends AgentsynthError {
  constructor(message = "the operation was cancelled") {
    super("CANCELLED", message);
  }
}

import { AgentsynthError } from "./agentsynth-error.js";

export class NotFoundError extends AgentsynthError {
  constructor(readonly collection: string, readonly id: string) {
    super("NOT_FOUND", `no ${collection} with id "${id}"`);
  }
}

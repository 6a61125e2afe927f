import { AgentsynthError } from "./agentsynth-error.js";

/** A store file that cannot be read, is not JSON, or is not an agentsynth store file. It is never overwritten. */
export class StoreCorruptError extends AgentsynthError {
  constructor(readonly file: string, reason: string, options?: { cause?: unknown }) {
    super("STORE_CORRUPT", `store file ${file} ${reason}; it was left as it is (move it away or restore it from a backup)`, options);
  }
}

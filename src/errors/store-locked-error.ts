import { AgentsynthError } from "./agentsynth-error.js";

/** Another live process holds the data directory. */
export class StoreLockedError extends AgentsynthError {
  constructor(readonly directory: string, holder: string) {
    super("STORE_LOCKED", `data directory ${directory} is in use by ${holder}; wait for it to finish, or use another --data-dir`);
  }
}

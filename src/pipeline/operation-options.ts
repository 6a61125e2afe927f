import type { ProgressListener } from "../model/stage-env.js";

/** Options every long operation takes. */
export interface OperationOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
}

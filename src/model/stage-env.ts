import { SCHEMA_VERSION } from "../domain/common.js";
import type { Clock } from "../support/clock.js";
import type { IdGenerator } from "../support/ids.js";
import type { ModelSet } from "./model-set.js";

/** Progress of a long stage: `done` of `total` units. */
export type ProgressListener = (progress: { done: number; total: number; message?: string }) => void;

/** What every stage gets: the models per role and the injected seams. */
export interface StageEnv {
  models: ModelSet;
  ids: IdGenerator;
  clock: Clock;
  seed: number;
  signal?: AbortSignal | undefined;
  runId?: string | undefined;
  onProgress?: ProgressListener | undefined;
  /** Non-fatal problems worth telling the user (dropped tools, repaired rubrics, …). */
  onWarning?: ((message: string) => void) | undefined;
}

/** The fields every record a generator stage makes starts with: a fresh id, the time, and its provenance. */
export function generatedRecordHeader(env: StageEnv, prefix: string, source: string, promptHash: string) {
  return {
    id: env.ids.next(prefix),
    createdAt: env.clock.now().toISOString(),
    schemaVersion: SCHEMA_VERSION,
    provenance: {
      source,
      models: { generator: env.models.generator.ref },
      seed: env.seed,
      promptHashes: [promptHash],
      ...(env.runId ? { runId: env.runId } : {}),
    },
  };
}

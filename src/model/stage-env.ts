import { SCHEMA_VERSION } from "../domain/common.js";
import type { Clock } from "../support/clock.js";
import type { IdGenerator } from "../support/ids.js";
import { classifyModelFailure } from "./failures.js";
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
  /** An item (an episode, a task batch, a tool batch, an agent, a judgment) lost to a model's bad answer; the stage goes on. */
  onItemFailure?: ((failure: ItemFailure) => void) | undefined;
}

/** An item a stage lost to a model's bad answer, after its retries. */
export interface ItemFailure {
  /** What was lost, in words: `agent 3 of 8`, `tools of domain retail`. */
  item: string;
  /** Why, as a label: the failure kind (`http_error`, `timeout`, `invalid_output`, …) or an episode's failure label. */
  reason: string;
  message: string;
}

/**
 * Lose one item to a model's bad answer: when `error` is item-level (a request failed after its retries, an answer
 * stayed invalid), report it (a warning and `onItemFailure`) and return; anything else (a systemic failure, a
 * budget reached, a cancellation, a defect) is thrown on.
 */
export function loseItem(env: StageEnv, item: string, error: unknown): void {
  const failure = classifyModelFailure(error);
  if (failure.scope !== "item") throw error;
  env.onWarning?.(`${item} was lost: ${failure.message}`);
  env.onItemFailure?.({ item, reason: failure.kind, message: failure.message });
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

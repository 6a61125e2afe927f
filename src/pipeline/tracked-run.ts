import { SCHEMA_VERSION } from "../domain/common.js";
import type { PipelineConfig } from "../domain/config.js";
import { hideInlineKeys } from "./config-secrets.js";
import type { RunCounts, RunRecord, StageName } from "../domain/run.js";
import { describeError } from "../errors/describe-error.js";
import { CancelledError } from "../errors/cancelled-error.js";
import type { ModelSet } from "../model/model-set.js";
import type { ProgressListener, StageEnv } from "../model/stage-env.js";
import type { Store } from "../store/types.js";
import type { Clock } from "../support/clock.js";
import type { IdGenerator } from "../support/ids.js";

export interface TrackedRunContext {
  store: Store;
  config: PipelineConfig;
  /** A model set of this run alone, so the run's token usage is its own. */
  models: ModelSet;
  ids: IdGenerator;
  clock: Clock;
  stage: StageName;
  source: string;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
  onWarning?: ((message: string) => void) | undefined;
}

/** What a run's work may record on the run besides its counts. */
export type RunPatch = Partial<Pick<RunRecord, "stage" | "rejectionCounts" | "datasetId" | "exportPath" | "taskStats" | "passHatK" | "simulation" | "toolChecks" | "taskGate">>;

/** A run in progress: its stage environment and its counts (saved with the run record). */
export interface TrackedRun {
  readonly id: string;
  readonly env: StageEnv;
  readonly counts: RunCounts;
  /** The run record as last saved. */
  readonly record: RunRecord;
  save(patch?: RunPatch): Promise<void>;
}

export function emptyCounts(): RunCounts {
  return { domains: 0, tools: 0, agents: 0, tasks: 0, episodes: 0, episodesFailed: 0, judged: 0, passed: 0, kept: 0, rejected: 0, exported: 0 };
}

/**
 * Start a run record (status `running`), hand the work its stage environment, and mark the run
 * `completed`, `cancelled` or `failed` (with the reason) when the work settles. What the work stored
 * before a failure or cancellation stays.
 */
export async function startRun(context: TrackedRunContext): Promise<TrackedRun & { finish(error?: unknown): Promise<void> }> {
  const { store, config, models, clock } = context;
  const startedAt = clock.now().toISOString();
  const counts = emptyCounts();
  let record: RunRecord = {
    id: context.ids.next("run"),
    kind: "run",
    createdAt: startedAt,
    schemaVersion: SCHEMA_VERSION,
    provenance: { source: context.source, models: models.refs(), seed: config.seed, promptHashes: [] },
    status: "running",
    config: hideInlineKeys(config),
    startedAt,
    stage: context.stage,
    counts,
    rejectionCounts: {},
    usage: {},
  };
  const save = async (patch: Partial<RunRecord> = {}): Promise<void> => {
    record = { ...record, ...patch, counts: { ...counts }, usage: models.usage.roles() };
    await store.runs.put(record);
  };
  await save();
  const env: StageEnv = {
    models,
    ids: context.ids,
    clock,
    seed: config.seed,
    signal: context.signal,
    runId: record.id,
    onProgress: context.onProgress,
    onWarning: context.onWarning,
  };
  return {
    id: record.id,
    env,
    counts,
    get record() {
      return record;
    },
    save,
    async finish(error?: unknown) {
      if (error === undefined) return save({ status: "completed", finishedAt: clock.now().toISOString() });
      const cancelled = isCancellation(error, context.signal);
      await save({ status: cancelled ? "cancelled" : "failed", finishedAt: clock.now().toISOString(), error: cancelled ? "cancelled" : describeError(error) });
    },
  };
}

/** Run `work` inside a tracked run; a cancellation comes out as a CancelledError. A failure is recorded on the run with its reason. */
export async function runTracked<T>(context: TrackedRunContext, work: (run: TrackedRun) => Promise<T>): Promise<T> {
  const run = await startRun(context);
  try {
    const result = await work(run);
    await run.finish();
    return result;
  } catch (error) {
    await run.finish(error).catch(() => undefined);
    throw isCancellation(error, context.signal) && !(error instanceof CancelledError) ? new CancelledError() : error;
  }
}

export function isCancellation(error: unknown, signal: AbortSignal | undefined): boolean {
  return error instanceof CancelledError || signal?.aborted === true;
}


import { hostname } from "node:os";
import { SCHEMA_VERSION } from "../domain/common.js";
import type { PipelineConfig } from "../domain/config.js";
import { hideInlineKeys } from "./config-secrets.js";
import type { ItemFailureTally, RunCounts, RunRecord, StageName } from "../domain/run.js";
import { sumUsage } from "./stats.js";
import { describeError } from "../errors/describe-error.js";
import { CancelledError } from "../errors/cancelled-error.js";
import type { ModelSet } from "../model/model-set.js";
import type { ItemFailure, ProgressListener, StageEnv } from "../model/stage-env.js";
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
  /** A digest of the config (see configKeyOf): a later run of the same key resumes this one. */
  configKey?: string | undefined;
  /** An unfinished run of this config to take up again (its id, counts, usage and failures go on). */
  resume?: RunRecord | undefined;
}

/** The least time between two saves of a run's counts while its episodes and judgments come in. */
const PROGRESS_SAVE_MS = 1000;

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
  /** Save the counts unless they were saved less than a second ago (as episodes and judgments finish). */
  saveProgress(): Promise<void>;
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
  const previous = context.resume;
  const counts = previous ? { ...emptyCounts(), ...previous.counts } : emptyCounts();
  const failures: ItemFailureTally = structuredClone(previous?.failures ?? {});
  // A resumed run's usage so far, to which this attempt's is added.
  const earlierUsage = previous?.usage ?? {};
  let record: RunRecord = previous
    ? { ...previous, status: "running", config: hideInlineKeys(config), attempts: (previous.attempts ?? 1) + 1, owner: currentOwner(), finishedAt: undefined, error: undefined }
    : {
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
        ...(context.configKey ? { configKey: context.configKey } : {}),
        owner: currentOwner(),
        attempts: 1,
      };
  let saving: Promise<void> = Promise.resolve();
  let savedAt = 0;
  const save = (patch: Partial<RunRecord> = {}): Promise<void> => {
    record = { ...record, ...patch, counts: { ...counts }, usage: sumUsage([earlierUsage, models.usage.roles()]), ...(Object.keys(failures).length ? { failures: structuredClone(failures) } : {}) };
    const snapshot = record;
    savedAt = performance.now();
    // Saves go out one at a time, in order, so an older snapshot never overwrites a newer one.
    saving = saving.catch(() => undefined).then(() => store.runs.put(snapshot));
    return saving;
  };
  await save();
  const recordFailure = (failure: ItemFailure): void => {
    const stage = record.stage ?? context.stage;
    const byReason = (failures[stage] ??= {});
    const entry = byReason[failure.reason];
    if (entry) entry.count++;
    else byReason[failure.reason] = { count: 1, firstError: failure.message.slice(0, 500) };
  };
  const env: StageEnv = {
    models,
    ids: context.ids,
    clock,
    seed: config.seed,
    signal: context.signal,
    runId: record.id,
    onProgress: context.onProgress,
    onWarning: context.onWarning,
    onItemFailure: recordFailure,
  };
  return {
    id: record.id,
    env,
    counts,
    get record() {
      return record;
    },
    save,
    saveProgress: () => (performance.now() - savedAt < PROGRESS_SAVE_MS ? Promise.resolve() : save()),
    async finish(error?: unknown) {
      if (error === undefined) return save({ status: "completed", finishedAt: clock.now().toISOString(), owner: undefined });
      const cancelled = isCancellation(error, context.signal);
      await save({ status: cancelled ? "cancelled" : "failed", finishedAt: clock.now().toISOString(), error: cancelled ? "cancelled" : describeError(error), owner: undefined });
    },
  };
}

/** This process, as the owner of the runs it runs. */
function currentOwner(): { pid: number; host: string } {
  return { pid: process.pid, host: hostname() };
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


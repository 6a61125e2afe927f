import { hostname } from "node:os";
import type { PipelineConfig } from "../domain/config.js";
import type { RunRecord } from "../domain/run.js";
import { InputError } from "../errors/input-error.js";
import type { Store } from "../store/types.js";
import type { Clock } from "../support/clock.js";
import { hashValue } from "../support/hash.js";
import { hideInlineKeys } from "./config-secrets.js";

/** How a run of a config starts: take up the newest unfinished run of the same config (default), a named run, or start over. */
export type ResumeChoice = { mode: "auto" } | { mode: "run"; runId: string } | { mode: "fresh" };

/**
 * A digest of what a config makes: everything but the budget, the prices and how many requests run at once (a rerun
 * with a higher cap or more concurrency takes up the same run). Keys are left out.
 */
export function configKeyOf(config: PipelineConfig): string {
  const shown = hideInlineKeys(config);
  const { budget: _budget, prices: _prices, ...models } = shown.models;
  const { concurrency: _simulationConcurrency, ...simulation } = shown.simulation;
  const { concurrency: _judgeConcurrency, ...judge } = shown.judge;
  return hashValue({ ...shown, models, simulation, judge }, 24);
}

/** True when the process that owns a run is certainly gone: on this host and no such process, or no owner recorded. */
function isOwnerGone(run: RunRecord): boolean {
  if (!run.owner) return true;
  if (run.owner.host !== hostname()) return false;
  if (run.owner.pid === process.pid) return false;
  try {
    process.kill(run.owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Mark every run left `running` by a process that is gone (killed, crashed) `interrupted`, so no run stays
 * `running` forever; the next run of its config resumes it. Returns the runs marked.
 */
export async function markInterruptedRuns(store: Store, clock: Clock): Promise<RunRecord[]> {
  const stale = await store.runs.find((run) => run.status === "running" && isOwnerGone(run));
  const marked = stale.map((run): RunRecord => ({ ...run, status: "interrupted", finishedAt: clock.now().toISOString(), error: "the process running it ended before the run finished", owner: undefined }));
  if (marked.length) await store.runs.putMany(marked);
  return marked;
}

/**
 * The run a pipeline run of `config` takes up: with `auto`, the newest pipeline run of the same config key (finished or
 * not: taking up a finished run redoes nothing); with `run`, that run (its config must have the same key); with
 * `fresh`, none. A run still `running` in a live process is never taken up.
 */
export async function findRunToResume(store: Store, config: PipelineConfig, choice: ResumeChoice): Promise<RunRecord | undefined> {
  if (choice.mode === "fresh") return undefined;
  const key = configKeyOf(config);
  if (choice.mode === "run") {
    const run = await store.runs.get(choice.runId);
    if (!run) throw new InputError(`--resume: no run ${choice.runId} in this data directory`);
    if (run.configKey !== key) throw new InputError(`--resume: run ${choice.runId} was made with another config (or seed); run it with the config it was made with, or start over with --fresh`);
    if (run.status === "running") throw new InputError(`--resume: run ${choice.runId} is still running in process ${run.owner?.pid ?? "?"}`);
    return run;
  }
  const candidates = await store.runs.find((run) => run.configKey === key && run.provenance.source === "pipeline" && run.status !== "running");
  // The newest: the latest start, and among equal starts the latest stored.
  return candidates.sort((a, b) => a.startedAt.localeCompare(b.startedAt)).at(-1);
}

import type { DatasetRecord } from "../../domain/dataset.js";
import type { ReportScope } from "../../domain/report.js";
import type { RunRecord } from "../../domain/run.js";
import { InputError } from "../../errors/input-error.js";
import type { Store } from "../../store/types.js";
import { findDataset } from "../export-stored-dataset.js";
import { ROW_STATUS } from "./report-model.js";

/** Which episodes a report covers: a dataset's, a run's, or (no dataset, nothing asked) every stored one. */
export interface ReportSelection {
  datasetId?: string | undefined;
  runId?: string | undefined;
}

/** A scope made concrete: which episodes belong, how the filter treated each, and the records the overview reads. */
export interface ResolvedScope {
  scope: ReportScope;
  dataset: DatasetRecord | undefined;
  /** The run whose config, counts and usage the overview shows (the dataset's run, or the run asked for). */
  run: RunRecord | undefined;
  /** Episodes in the report, when known before the scan (undefined: every stored episode). */
  members: ReadonlySet<string> | undefined;
  /** ROW_STATUS of an episode, and the filter's rejection reasons. */
  statusOf(episodeId: string): { status: number; reasons: readonly string[] };
  /** Judgments of this run are preferred over newer ones of the same episode (what the filter saw). */
  preferredRunId: string | undefined;
}

/**
 * Resolve what a report covers: `datasetId` (its kept and rejected episodes), `runId` (the episodes the run
 * simulated, with the run's dataset when it made one), else the newest dataset, else every stored episode.
 * A run that simulated episodes is found by one read of the episodes' ids.
 */
export async function resolveReportScope(store: Store, selection: ReportSelection): Promise<ResolvedScope> {
  if (selection.datasetId !== undefined && selection.runId !== undefined) throw new InputError("give either a dataset or a run, not both");
  if (selection.runId !== undefined) return resolveRun(store, await store.runs.require(selection.runId));
  if (selection.datasetId !== undefined || (await store.datasets.count()) > 0) {
    const dataset = await findDataset(store, selection.datasetId);
    const run = dataset.runId ? await store.runs.get(dataset.runId) : undefined;
    return fromDataset(dataset, run, { kind: "dataset", datasetId: dataset.id, datasetName: dataset.name, ...(dataset.runId ? { runId: dataset.runId } : {}) });
  }
  return { scope: { kind: "all" }, dataset: undefined, run: undefined, members: undefined, statusOf: () => ({ status: ROW_STATUS.unfiltered, reasons: [] }), preferredRunId: undefined };
}

async function resolveRun(store: Store, run: RunRecord): Promise<ResolvedScope> {
  const datasetId = run.datasetId ?? (await store.datasets.find((dataset) => dataset.runId === run.id))[0]?.id;
  const dataset = datasetId === undefined ? undefined : await store.datasets.get(datasetId);
  const simulated = new Set<string>();
  for await (const episode of store.episodes.scan()) if (episode.runId === run.id) simulated.add(episode.id);
  const scope: ReportScope = { kind: "run", runId: run.id, ...(dataset ? { datasetId: dataset.id, datasetName: dataset.name } : {}) };
  if (!dataset) return { scope, dataset, run, members: simulated, statusOf: () => ({ status: ROW_STATUS.unfiltered, reasons: [] }), preferredRunId: run.id };
  // A pipeline run's episodes are the ones its dataset saw; a simulate run's may have been filtered by a later run.
  const resolved = fromDataset(dataset, run, scope);
  const members = new Set([...simulated, ...(simulated.size === 0 && resolved.members ? resolved.members : [])]);
  return { ...resolved, members, preferredRunId: run.id };
}

function fromDataset(dataset: DatasetRecord, run: RunRecord | undefined, scope: ReportScope): ResolvedScope {
  const kept = new Set(dataset.episodeIds);
  const rejected = new Map(dataset.rejected.map((entry) => [entry.episodeId, entry.reasons]));
  return {
    scope,
    dataset,
    run,
    members: new Set([...kept, ...rejected.keys()]),
    statusOf(episodeId) {
      if (kept.has(episodeId)) return { status: ROW_STATUS.kept, reasons: [] };
      const reasons = rejected.get(episodeId);
      return reasons ? { status: ROW_STATUS.rejected, reasons } : { status: ROW_STATUS.unfiltered, reasons: [] };
    },
    preferredRunId: dataset.runId,
  };
}

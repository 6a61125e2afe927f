import { resolveCallIdStyle } from "../domain/config.js";
import type { DatasetRecord, ExportInfo } from "../domain/dataset.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { ToolRecord } from "../domain/tool.js";
import { InputError } from "../errors/input-error.js";
import type { Store } from "../store/types.js";
import type { Clock } from "../support/clock.js";
import { VirtualPaths } from "../support/virtual-paths.js";
import type { SplitSettings } from "./split.js";
import { gatherStoredDatasetFigures } from "./stored-dataset-figures.js";
import { writeExport, type ExportFormatOptions, type WrittenExport } from "./write-export.js";

export interface ExportStoredDatasetOptions {
  /** The dataset; the newest one when absent. */
  datasetId?: string | undefined;
  outDir: string;
  /** The export root outDir is in: nothing below it is written through a symbolic link (default: outDir). */
  root?: string | undefined;
  /** The (train) file name (default train.jsonl). */
  fileName?: string | undefined;
  format: ExportFormatOptions;
  split?: SplitSettings | undefined;
  clock: Clock;
  signal?: AbortSignal | undefined;
  onRecord?: ((written: number, total: number) => void) | undefined;
}

export interface StoredDatasetExport {
  dataset: DatasetRecord;
  written: WrittenExport;
}

/**
 * Export a stored dataset: its kept episodes in the dataset's order, read from the store one at a time (memory
 * does not grow with the dataset), with a dataset card gathered from the store; the export is recorded on the
 * dataset.
 */
export async function exportStoredDataset(store: Store, options: ExportStoredDatasetOptions): Promise<StoredDatasetExport> {
  const dataset = await findDataset(store, options.datasetId);
  const run = dataset.runId ? await store.runs.get(dataset.runId) : undefined;
  const tools = new Map((await store.tools.view()).records.map((tool) => [tool.id, tool]));
  const figures = await gatherStoredDatasetFigures(store, dataset, run);
  // One pass: each kept episode is read once (neighbours in a shard in one read), counted for the card, written.
  async function* keptEpisodes(): AsyncIterable<EpisodeRecord> {
    for await (const episode of store.episodes.getMany(dataset.episodeIds)) {
      figures.count(episode);
      yield episode;
    }
    figures.finish();
  }
  const total = dataset.episodeIds.length;
  const written = await writeExport({
    outDir: options.outDir,
    root: options.root,
    fileName: options.fileName ?? "train.jsonl",
    episodes: keptEpisodes(),
    toolsFor: (episode) => episode.toolIds.map((id) => tools.get(id)).filter((tool): tool is ToolRecord => tool !== undefined),
    format: options.format,
    split: options.split ? { ...options.split, total } : undefined,
    card: figures.card,
    // Episodes recorded before paths were mapped at the servers (or imported) may hold the data directory's paths.
    paths: VirtualPaths.forDataDir(store.dataDir),
    signal: options.signal,
    onRecord: (done) => options.onRecord?.(done, total),
  });
  const info: ExportInfo = {
    format: options.format.name ?? "openai",
    path: written.path,
    cardPath: written.cardPath,
    records: written.records,
    sha256: written.sha256,
    exportedAt: options.clock.now().toISOString(),
    options: { includeSystemPrompt: options.format.includeSystemPrompt, includeReasoning: options.format.includeReasoning ?? false, kimiToolCallIds: resolveCallIdStyle(options.format) === "kimi", callIdStyle: resolveCallIdStyle(options.format) },
    ...(options.split ? { split: options.split } : {}),
    files: written.files,
  };
  const updated: DatasetRecord = { ...dataset, exports: [...dataset.exports, info] };
  await store.datasets.put(updated);
  return { dataset: updated, written };
}

/** The dataset with that id, or the newest one. */
export async function findDataset(store: Store, datasetId: string | undefined): Promise<DatasetRecord> {
  const datasets = (await store.datasets.view()).records;
  if (datasetId !== undefined) {
    const named = datasets.find((dataset) => dataset.id === datasetId);
    if (!named) throw new InputError(`there is no dataset ${datasetId} in ${store.dataDir}; it holds ${datasets.length ? datasets.map((dataset) => dataset.id).join(", ") : "none"}`);
    return structuredClone(named);
  }
  const newest = datasets.reduce<DatasetRecord | undefined>((best, dataset) => (!best || dataset.createdAt >= best.createdAt ? dataset : best), undefined);
  if (!newest) throw new InputError(`the store in ${store.dataDir} holds no dataset: run \`agentsynth run\` (or simulate, judge and filter) first`);
  return structuredClone(newest);
}

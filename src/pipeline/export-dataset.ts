import { basename, dirname } from "node:path";
import type { DatasetRecord, ExportInfo } from "../domain/dataset.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { RunCounts } from "../domain/run.js";
import type { ToolRecord } from "../domain/tool.js";
import { InputError } from "../errors/input-error.js";
import { writeExport } from "../export/write-export.js";
import type { Store } from "../store/types.js";
import { latestJudgments } from "./episode-selection.js";
import { exportDatasetCard } from "./export-card.js";
import { resolveUnderRoot } from "./export-path.js";
import { emptyCounts } from "./tracked-run.js";
import { createRunModels, type OperationOptions, type WorkspaceContext } from "./workspace-context.js";

export interface ExportDatasetInput {
  datasetId: string;
  format?: "openai" | undefined;
  /** The JSONL file to write, under the export root (relative paths resolve from it). */
  path: string;
  includeSystemPrompt?: boolean | undefined;
}

export interface ExportDatasetResult {
  datasetId: string;
  format: "openai";
  path: string;
  cardPath: string;
  records: number;
  sha256: string;
}

/**
 * Write a dataset's kept episodes as OpenAI chat JSONL with a dataset card beside it, and record the export
 * on the dataset. The file appears under its name only when complete.
 */
export async function exportDataset(context: WorkspaceContext, input: ExportDatasetInput, options: OperationOptions): Promise<ExportDatasetResult> {
  const { store } = context;
  const path = resolveUnderRoot(context.exportRoot, input.path);
  if (!path.endsWith(".jsonl")) throw new InputError(`the output path ${path} should end in .jsonl (one JSON record a line)`);
  if (basename(path) === "README.md") throw new InputError("README.md is where the dataset card goes; choose another file name");
  const dataset = await store.datasets.require(input.datasetId);
  const tools = new Map((await store.tools.all()).map((tool) => [tool.id, tool]));
  const kept = await Promise.all(dataset.episodeIds.map((id) => store.episodes.require(id)));
  const written = await writeExport({
    outDir: dirname(path),
    fileName: basename(path),
    episodes: kept,
    toolsFor: (episode: EpisodeRecord) => episode.toolIds.map((id) => tools.get(id)).filter((tool): tool is ToolRecord => tool !== undefined),
    format: { includeSystemPrompt: input.includeSystemPrompt ?? context.config.export.includeSystemPrompt },
    card: exportDatasetCard({
      name: dataset.name,
      config: context.config,
      counts: await countDataset(store, dataset),
      rejectionCounts: dataset.rejectionCounts,
      kept,
      agents: await store.agents.all(),
      domains: await store.domains.all(),
      tools: [...tools.values()],
      models: createRunModels(context, context.config.seed).refs(),
    }),
    signal: options.signal,
    onRecord: (done) => options.onProgress?.({ done, total: kept.length }),
  });
  const info: ExportInfo = { format: "openai", path: written.path, cardPath: written.cardPath, records: written.records, sha256: written.sha256, exportedAt: context.clock.now().toISOString() };
  await store.datasets.put({ ...dataset, exports: [...dataset.exports, info] });
  return { datasetId: dataset.id, format: "openai", path: written.path, cardPath: written.cardPath, records: written.records, sha256: written.sha256 };
}

/** Counts for the dataset card: the registry's sizes and what the dataset's filter saw. */
async function countDataset(store: Store, dataset: DatasetRecord): Promise<RunCounts> {
  const judgments = await latestJudgments(store);
  const seen = [...dataset.episodeIds, ...dataset.rejected.map((entry) => entry.episodeId)];
  return {
    ...emptyCounts(),
    domains: await store.domains.count(),
    tools: await store.tools.count(),
    agents: await store.agents.count(),
    tasks: await store.tasks.count(),
    episodes: seen.length,
    judged: seen.filter((id) => judgments.has(id)).length,
    passed: seen.filter((id) => judgments.get(id)?.verdict === "pass").length,
    kept: dataset.episodeIds.length,
    rejected: dataset.rejected.length,
  };
}

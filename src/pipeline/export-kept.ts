import type { AgentRecord } from "../domain/agent.js";
import type { ModelRef, ModelRole } from "../domain/common.js";
import type { PipelineConfig } from "../domain/config.js";
import type { DatasetRecord, ExportInfo } from "../domain/dataset.js";
import type { DomainRecord } from "../domain/domain.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { JudgmentRecord } from "../domain/judgment.js";
import type { RunCounts } from "../domain/run.js";
import type { ToolRecord } from "../domain/tool.js";
import { buildScoreHistogram } from "../export/score-histogram.js";
import { writeExport, type WrittenExport } from "../export/write-export.js";
import type { FilterResult } from "../filter/filter-episodes.js";
import type { JudgeMember } from "../model/judge-committee.js";
import type { Clock } from "../support/clock.js";
import { exportDatasetCard } from "./export-card.js";

/** Write a run's kept episodes as the config's `export` section asks, with the dataset card; returns what to record on the dataset. */
export async function exportKeptEpisodes(input: {
  config: PipelineConfig;
  outDir: string;
  fileName: string;
  dataset: DatasetRecord;
  filtered: FilterResult;
  judgments: readonly JudgmentRecord[];
  committee: readonly JudgeMember[];
  catalog: { agents: readonly AgentRecord[]; domains: readonly DomainRecord[]; tools: readonly ToolRecord[] };
  models: Record<ModelRole, ModelRef>;
  counts: RunCounts;
  clock: Clock;
  signal?: AbortSignal | undefined;
  onRecord?: (written: number) => void;
}): Promise<{ exported: WrittenExport; info: ExportInfo }> {
  const { config, filtered, catalog } = input;
  const { format, includeSystemPrompt, includeReasoning, kimiToolCallIds, split } = config.export;
  const splitSettings = split ? { validationRatio: split.validationRatio, seed: split.seed ?? config.seed } : undefined;
  const toolsById = new Map(catalog.tools.map((tool) => [tool.id, tool]));
  const keptIds = new Set(input.dataset.episodeIds);
  const exported = await writeExport({
    outDir: input.outDir,
    fileName: input.fileName,
    episodes: filtered.kept,
    toolsFor: (episode: EpisodeRecord) => episode.toolIds.map((id) => toolsById.get(id)).filter((tool): tool is ToolRecord => tool !== undefined),
    format: { name: format, includeSystemPrompt, includeReasoning, kimiToolCallIds },
    split: splitSettings ? { ...splitSettings, total: filtered.kept.length } : undefined,
    card: exportDatasetCard({
      name: input.dataset.name,
      config,
      counts: input.counts,
      rejectionCounts: filtered.rejectionCounts,
      kept: filtered.kept,
      ...catalog,
      models: input.models,
      judgeCommittee: input.committee.map((member) => ({ model: member.model.ref, temperature: member.temperature })),
      scores: buildScoreHistogram(input.judgments.map((judgment) => ({ score: judgment.score, kept: keptIds.has(judgment.episodeId) }))),
      taskStats: filtered.taskStats,
      passHatK: filtered.passHatK,
    }),
    signal: input.signal,
    onRecord: input.onRecord,
  });
  const info: ExportInfo = {
    format,
    path: exported.path,
    cardPath: exported.cardPath,
    records: exported.records,
    sha256: exported.sha256,
    exportedAt: input.clock.now().toISOString(),
    options: { includeSystemPrompt, includeReasoning, kimiToolCallIds },
    ...(splitSettings ? { split: splitSettings } : {}),
    files: exported.files,
  };
  return { exported, info };
}

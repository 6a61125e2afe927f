import type { AgentRecord } from "../domain/agent.js";
import type { ModelRef, ModelRole } from "../domain/common.js";
import type { PipelineConfig } from "../domain/config.js";
import type { DomainRecord } from "../domain/domain.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { RunCounts } from "../domain/run.js";
import type { ToolRecord } from "../domain/tool.js";
import type { DatasetCardInput } from "../export/dataset-card.js";
import { EpisodeTally } from "../export/episode-tally.js";

/** Gather what the dataset card reports from a run's records (the figures it cannot count itself are optional). */
export function exportDatasetCard(input: {
  name: string;
  config: PipelineConfig;
  counts: RunCounts;
  rejectionCounts: Record<string, number>;
  kept: readonly EpisodeRecord[];
  agents: readonly AgentRecord[];
  domains: readonly DomainRecord[];
  tools: readonly ToolRecord[];
  models: Partial<Record<ModelRole, ModelRef>>;
  judgeCommittee?: DatasetCardInput["judgeCommittee"];
  scores?: DatasetCardInput["scores"];
  taskStats?: DatasetCardInput["taskStats"];
  passHatK?: DatasetCardInput["passHatK"];
}): DatasetCardInput {
  const tally = new EpisodeTally(input);
  input.kept.forEach((episode) => tally.add(episode));
  return {
    name: input.name,
    seed: input.config.seed,
    configName: input.config.name,
    counts: input.counts,
    rejectionCounts: input.rejectionCounts,
    models: input.models,
    domains: tally.domains(),
    tools: tally.tools(),
    toolResults: tally.toolResults(),
    judgeCommittee: input.judgeCommittee,
    scores: input.scores,
    taskStats: input.taskStats,
    passHatK: input.passHatK,
  };
}

import type { AgentRecord } from "../domain/agent.js";
import type { ModelRef, ModelRole } from "../domain/common.js";
import type { PipelineConfig } from "../domain/config.js";
import type { DomainRecord } from "../domain/domain.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { RunCounts } from "../domain/run.js";
import type { ToolRecord } from "../domain/tool.js";
import type { DatasetCard } from "../export/dataset-card.js";

/** Gather what the dataset card reports from a run's records. */
export function exportDatasetCard(input: {
  name: string;
  config: PipelineConfig;
  counts: RunCounts;
  rejectionCounts: Record<string, number>;
  kept: readonly EpisodeRecord[];
  agents: readonly AgentRecord[];
  domains: readonly DomainRecord[];
  tools: readonly ToolRecord[];
  models: Record<ModelRole, ModelRef>;
}): Omit<DatasetCard, "fileName" | "format"> {
  const agentDomain = new Map(input.agents.map((agent) => [agent.id, agent.domainId]));
  const episodesPerDomain = new Map<string, number>();
  const callsPerTool = new Map<string, number>();
  const usedTools = new Set<string>();
  for (const episode of input.kept) {
    const domainId = agentDomain.get(episode.agentId);
    if (domainId) episodesPerDomain.set(domainId, (episodesPerDomain.get(domainId) ?? 0) + 1);
    episode.toolIds.forEach((id) => usedTools.add(id));
    for (const message of episode.messages) {
      if (message.role !== "assistant") continue;
      for (const call of message.tool_calls ?? []) callsPerTool.set(call.function.name, (callsPerTool.get(call.function.name) ?? 0) + 1);
    }
  }
  return {
    name: input.name,
    seed: input.config.seed,
    configName: input.config.name,
    counts: input.counts,
    rejectionCounts: input.rejectionCounts,
    models: input.models,
    domains: input.domains
      .filter((domain) => episodesPerDomain.has(domain.id))
      .map((domain) => ({ name: domain.name, title: domain.title, category: domain.category, episodes: episodesPerDomain.get(domain.id) ?? 0 })),
    tools: input.tools.filter((tool) => usedTools.has(tool.id)).map((tool) => ({ name: tool.name, source: tool.source, calls: callsPerTool.get(tool.name) ?? 0 })),
  };
}

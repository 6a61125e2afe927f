import type { ModelRole } from "../domain/common.js";
import { EpisodeStatusSchema, VerificationOutcomeSchema } from "../domain/episode.js";
import { VerdictSchema } from "../domain/judgment.js";
import { RunStatusSchema, type UsageByRole } from "../domain/run.js";
import type { WorkspaceStats } from "../domain/summaries.js";
import { ToolSourceSchema } from "../domain/tool.js";
import type { Store } from "../store/types.js";
import { summarizeDataset } from "./summaries.js";
import { tallyAudits } from "../world/tool-audit.js";

/**
 * Counts per stage, verdicts, rejection reasons and token usage per role, from what the store holds: the
 * episode and judgment figures from the store's maintained statistics (no scan of the episodes), the catalogs
 * read in place (no copies).
 */
export async function computeStats(store: Store, liveEpisodes: number): Promise<WorkspaceStats> {
  const [statistics, toolView, runView, datasetView] = await Promise.all([store.statistics(), store.tools.view(), store.runs.view(), store.datasets.view()]);
  const [tools, runs, datasets] = [toolView.records, runView.records, datasetView.records];
  const latest = datasets.at(-1);
  return {
    counts: {
      domains: await store.domains.count(),
      tools: tools.length,
      agents: await store.agents.count(),
      tasks: await store.tasks.count(),
      episodes: statistics.episodes,
      judgments: statistics.judgments,
      datasets: datasets.length,
      runs: runs.length,
    },
    tools: countByOption(ToolSourceSchema.options, tools, (tool) => tool.source),
    episodes: { ...withEveryOption(EpisodeStatusSchema.options, statistics.byStatus), live: liveEpisodes },
    verdicts: withEveryOption([...VerdictSchema.options, "unjudged"] as const, statistics.verdicts),
    rejectionReasons: Object.fromEntries(Object.entries(statistics.rejectionReasons).sort(([a], [b]) => a.localeCompare(b))),
    ...(latest ? { latestDataset: summarizeDataset(latest) } : {}),
    runs: countByOption(RunStatusSchema.options, runs, (run) => run.status),
    usage: sumUsage(runs.map((run) => run.usage)),
    simulation: statistics.simulation,
    verification: withEveryOption(VerificationOutcomeSchema.options, statistics.verification),
    toolAudit: tallyAudits(tools),
  };
}

/** Every option of an enum, in its order, with its count (zero when absent). */
function withEveryOption<Option extends string>(options: readonly Option[], counts: Readonly<Record<string, number>>): Record<Option, number> {
  return Object.fromEntries(options.map((option) => [option, counts[option] ?? 0])) as Record<Option, number>;
}

/** How many items have each option (every option listed, zero when none has it). */
function countByOption<Option extends string, Item>(options: readonly Option[], items: readonly Item[], optionOf: (item: Item) => Option): Record<Option, number> {
  const counts = withEveryOption(options, {});
  for (const item of items) counts[optionOf(item)] += 1;
  return counts;
}

function sumUsage(usages: readonly UsageByRole[]): UsageByRole {
  const total: UsageByRole = {};
  for (const usage of usages) {
    for (const [role, entry] of Object.entries(usage) as Array<[ModelRole, NonNullable<UsageByRole[ModelRole]>]>) {
      const sum = total[role] ?? { inputTokens: 0, outputTokens: 0, requests: 0 };
      total[role] = { inputTokens: sum.inputTokens + entry.inputTokens, outputTokens: sum.outputTokens + entry.outputTokens, requests: sum.requests + entry.requests };
    }
  }
  return total;
}

import type { ModelRole } from "../domain/common.js";
import { classifyVerification, EpisodeStatusSchema, VerificationOutcomeSchema } from "../domain/episode.js";
import { VerdictSchema } from "../domain/judgment.js";
import { RunStatusSchema, type UsageByRole } from "../domain/run.js";
import type { WorkspaceStats } from "../domain/summaries.js";
import { ToolSourceSchema } from "../domain/tool.js";
import { isFailure, SimulationTallier } from "./simulation-tally.js";
import type { Store } from "../store/types.js";
import { latestJudgments } from "./episode-selection.js";
import { summarizeDataset } from "./summaries.js";
import { tallyAudits } from "../world/tool-audit.js";

/** Counts per stage, verdicts, rejection reasons and token usage per role, from what the store holds. */
export async function computeStats(store: Store, liveEpisodes: number): Promise<WorkspaceStats> {
  const tools = await store.tools.all();
  const runs = await store.runs.all();
  const datasets = await store.datasets.all();
  const judgments = await latestJudgments(store);
  const episodes = { ...zeroCounts(EpisodeStatusSchema.options), live: liveEpisodes };
  const verdicts = { ...zeroCounts(VerdictSchema.options), unjudged: 0 };
  const rejectionReasons: Record<string, number> = {};
  const tallier = new SimulationTallier();
  const verification = zeroCounts(VerificationOutcomeSchema.options);
  let episodeCount = 0;
  for await (const episode of store.episodes.scan()) {
    episodeCount++;
    episodes[episode.status]++;
    verification[classifyVerification(episode.verification)]++;
    const judgment = judgments.get(episode.id);
    tallier.add(episode, isFailure(episode, judgment?.verdict));
    if (!judgment) verdicts.unjudged++;
    else verdicts[judgment.verdict]++;
    if (judgment?.verdict === "fail") for (const reason of judgment.reasons) rejectionReasons[reason] = (rejectionReasons[reason] ?? 0) + 1;
  }
  const latest = datasets.at(-1);
  return {
    counts: {
      domains: await store.domains.count(),
      tools: tools.length,
      agents: await store.agents.count(),
      tasks: await store.tasks.count(),
      episodes: episodeCount,
      judgments: await store.judgments.count(),
      datasets: datasets.length,
      runs: runs.length,
    },
    tools: countByOption(ToolSourceSchema.options, tools, (tool) => tool.source),
    episodes,
    verdicts,
    rejectionReasons: Object.fromEntries(Object.entries(rejectionReasons).sort(([a], [b]) => a.localeCompare(b))),
    ...(latest ? { latestDataset: summarizeDataset(latest) } : {}),
    runs: countByOption(RunStatusSchema.options, runs, (run) => run.status),
    usage: sumUsage(runs.map((run) => run.usage)),
    simulation: tallier.tally,
    verification,
    toolAudit: tallyAudits(tools),
  };
}

/** A zero count for every option of an enum, in its order. */
function zeroCounts<Option extends string>(options: readonly Option[]): Record<Option, number> {
  return Object.fromEntries(options.map((option) => [option, 0])) as Record<Option, number>;
}

/** How many items have each option (every option listed, zero when none has it). */
function countByOption<Option extends string, Item>(options: readonly Option[], items: readonly Item[], optionOf: (item: Item) => Option): Record<Option, number> {
  const counts = zeroCounts(options);
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

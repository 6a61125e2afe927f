import type { ModelRole } from "../domain/common.js";
import type { SimulationTally, UsageByRole } from "../domain/run.js";
import { isFailure, SimulationTallier } from "./simulation-tally.js";
import type { Store } from "../store/types.js";
import { latestJudgments } from "./episode-selection.js";
import { summarizeDataset, type DatasetSummary } from "./summaries.js";

export interface WorkspaceStats {
  counts: { domains: number; tools: number; agents: number; tasks: number; episodes: number; judgments: number; datasets: number; runs: number };
  tools: { real: number; synthetic: number; imported: number };
  episodes: { completed: number; failed: number; cancelled: number; live: number };
  verdicts: { pass: number; fail: number; unjudged: number };
  /** Why judged episodes fail: reason codes of each episode's newest judgment. */
  rejectionReasons: Record<string, number>;
  latestDataset?: DatasetSummary | undefined;
  runs: { running: number; completed: number; failed: number; cancelled: number };
  /** Token usage and requests per model role, summed over every run in the store. */
  usage: UsageByRole;
  /** End reasons, failure attributions, tool executions and injected faults over every stored episode. */
  simulation: SimulationTally;
}

/** Counts per stage, verdicts, rejection reasons and token usage per role, from what the store holds. */
export async function computeStats(store: Store, liveEpisodes: number): Promise<WorkspaceStats> {
  const tools = await store.tools.all();
  const runs = await store.runs.all();
  const datasets = await store.datasets.all();
  const judgments = await latestJudgments(store);
  const episodes = { completed: 0, failed: 0, cancelled: 0, live: liveEpisodes };
  const verdicts = { pass: 0, fail: 0, unjudged: 0 };
  const rejectionReasons: Record<string, number> = {};
  const tallier = new SimulationTallier();
  let episodeCount = 0;
  for await (const episode of store.episodes.scan()) {
    episodeCount++;
    episodes[episode.status]++;
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
    tools: { real: countWhere(tools, (tool) => tool.source === "real"), synthetic: countWhere(tools, (tool) => tool.source === "synthetic"), imported: countWhere(tools, (tool) => tool.source === "imported") },
    episodes,
    verdicts,
    rejectionReasons: Object.fromEntries(Object.entries(rejectionReasons).sort(([a], [b]) => a.localeCompare(b))),
    ...(latest ? { latestDataset: summarizeDataset(latest) } : {}),
    runs: {
      running: countWhere(runs, (run) => run.status === "running"),
      completed: countWhere(runs, (run) => run.status === "completed"),
      failed: countWhere(runs, (run) => run.status === "failed"),
      cancelled: countWhere(runs, (run) => run.status === "cancelled"),
    },
    usage: sumUsage(runs.map((run) => run.usage)),
    simulation: tallier.tally,
  };
}

function countWhere<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  return items.reduce((count, item) => count + (predicate(item) ? 1 : 0), 0);
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

import type { PassHatK, TaskStats } from "../domain/dataset.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { JudgmentRecord } from "../domain/judgment.js";
import { DiversityCounter, type DiversityCaps } from "./diversity-caps.js";
import { collectGateReasons, type GateOptions } from "./episode-gates.js";
import { DuplicateDetector } from "./near-duplicates.js";
import { averagePassHatK, computeTaskStats } from "./task-stats.js";

export { episodeSignature } from "./near-duplicates.js";

export interface FilterOptions extends GateOptions {
  /** Drop duplicates: exact ones always, near ones when `nearDuplicateThreshold` is set. */
  dedupe: boolean;
  /** MinHash-estimated Jaccard similarity at which an episode nearly duplicates a kept one. */
  nearDuplicateThreshold?: number | undefined;
  caps?: DiversityCaps | undefined;
  /** agent id → domain id, for the per-domain cap. */
  agentDomains?: ReadonlyMap<string, string> | undefined;
}

export interface FilterResult {
  kept: EpisodeRecord[];
  rejected: Array<{ episodeId: string; reasons: string[] }>;
  rejectionCounts: Record<string, number>;
  /** Success rate and pass^k of every task, over the judged episodes given. */
  taskStats: Record<string, TaskStats>;
  /** pass^k averaged over the tasks with at least k judged episodes. */
  passHatK: PassHatK;
}

/**
 * Keep the episodes worth training on. First each episode alone: judged, verdict pass (when required),
 * score, required criteria, fault attribution, length bounds, its task's success rate within the band.
 * Then, best score first (ties in input order): duplicates and near duplicates of a kept episode go, then
 * episodes over a diversity cap. Every rejected episode keeps all its reason codes; counts per reason and
 * per-task pass^k come back too. Kept and rejected episodes stay in input order.
 */
export function filterEpisodes(episodes: readonly EpisodeRecord[], judgments: ReadonlyMap<string, JudgmentRecord>, options: FilterOptions): FilterResult {
  const taskStats = computeTaskStats(episodes.flatMap((episode) => {
    const judgment = judgments.get(episode.id);
    return judgment ? [{ taskId: episode.taskId, passed: judgment.verdict === "pass" }] : [];
  }));
  const reasons = episodes.map((episode) => collectGateReasons(episode, judgments.get(episode.id), taskStats[episode.taskId], options));
  const candidates = episodes
    .map((episode, index) => ({ episode, index, score: judgments.get(episode.id)?.score ?? 0 }))
    .filter(({ index }) => reasons[index]?.length === 0)
    .sort((a, b) => b.score - a.score || a.index - b.index);
  const duplicates = options.dedupe ? new DuplicateDetector({ nearDuplicateThreshold: options.nearDuplicateThreshold }) : undefined;
  const diversity = options.caps ? new DiversityCounter(options.caps, options.agentDomains) : undefined;
  for (const { episode, index } of candidates) {
    const duplicate = duplicates?.check(episode);
    const found = duplicate ? [duplicate] : (diversity?.admit(episode) ?? []);
    reasons[index]?.push(...found);
  }
  const kept: EpisodeRecord[] = [];
  const rejected: FilterResult["rejected"] = [];
  episodes.forEach((episode, index) => {
    const episodeReasons = [...new Set(reasons[index] ?? [])];
    if (episodeReasons.length) rejected.push({ episodeId: episode.id, reasons: episodeReasons });
    else kept.push(episode);
  });
  return { kept, rejected, rejectionCounts: countReasons(rejected), taskStats, passHatK: averagePassHatK(taskStats) };
}

function countReasons(rejected: FilterResult["rejected"]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { reasons } of rejected) for (const reason of reasons) counts[reason] = (counts[reason] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

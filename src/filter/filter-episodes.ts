import type { EpisodeRecord } from "../domain/episode.js";
import type { JudgmentRecord } from "../domain/judgment.js";
import { sha256, stableStringify } from "../support/hash.js";

export interface FilterOptions {
  minScore: number;
  requirePass: boolean;
  dedupe: boolean;
}

export interface FilterResult {
  kept: EpisodeRecord[];
  rejected: Array<{ episodeId: string; reasons: string[] }>;
  rejectionCounts: Record<string, number>;
}

/** What makes two episodes the same training example: the user turns and the tool-call sequence. */
export function episodeSignature(episode: EpisodeRecord): string {
  const userTurns = episode.messages.filter((m) => m.role === "user").map((m) => m.content.trim().toLowerCase());
  const calls = episode.messages.flatMap((m) => (m.role === "assistant" ? (m.tool_calls ?? []).map((c) => c.function.name) : []));
  return sha256(stableStringify({ userTurns, calls }));
}

/**
 * Keep episodes whose judgment passes and reaches `minScore`; drop exact duplicates (the first one stays).
 * Every rejected episode keeps its reason codes, and the counts per reason are returned.
 */
export function filterEpisodes(episodes: readonly EpisodeRecord[], judgments: ReadonlyMap<string, JudgmentRecord>, options: FilterOptions): FilterResult {
  const kept: EpisodeRecord[] = [];
  const rejected: FilterResult["rejected"] = [];
  const seen = new Set<string>();
  for (const episode of episodes) {
    const reasons: string[] = [];
    const judgment = judgments.get(episode.id);
    if (!judgment) reasons.push("not_judged");
    else {
      if (options.requirePass && judgment.verdict !== "pass") reasons.push("verdict_fail", ...judgment.reasons);
      if (judgment.score < options.minScore) reasons.push("below_min_score");
    }
    if (options.dedupe && reasons.length === 0) {
      const signature = episodeSignature(episode);
      if (seen.has(signature)) reasons.push("duplicate");
      seen.add(signature);
    }
    if (reasons.length) rejected.push({ episodeId: episode.id, reasons: [...new Set(reasons)] });
    else kept.push(episode);
  }
  const rejectionCounts: Record<string, number> = {};
  for (const { reasons } of rejected) for (const reason of reasons) rejectionCounts[reason] = (rejectionCounts[reason] ?? 0) + 1;
  return { kept, rejected, rejectionCounts: Object.fromEntries(Object.entries(rejectionCounts).sort(([a], [b]) => a.localeCompare(b))) };
}

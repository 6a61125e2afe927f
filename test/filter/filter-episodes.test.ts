import { describe, expect, it } from "vitest";
import type { JudgmentRecord } from "../../src/domain/judgment.js";
import { filterEpisodes } from "../../src/filter/filter-episodes.js";
import { makeEpisode } from "../helpers/records.js";

const conversation = (text: string) => [
  { role: "system" as const, content: "s" },
  { role: "user" as const, content: text },
  { role: "assistant" as const, content: "ok" },
];

function judgment(episodeId: string, score: number, verdict: "pass" | "fail", reasons: string[] = []): JudgmentRecord {
  return {
    id: `j_${episodeId}`,
    kind: "judgment",
    createdAt: "2026-01-01T00:00:00.000Z",
    schemaVersion: 1,
    provenance: { source: "test", models: {}, promptHashes: [] },
    episodeId,
    taskId: "tsk_1",
    formatChecks: [],
    criteria: [],
    score,
    verdict,
    reasons,
    summary: "",
  };
}

describe("filterEpisodes", () => {
  it("keeps passing episodes above the threshold, drops exact duplicates, and counts reasons", () => {
    const episodes = [
      makeEpisode(conversation("Cancel ORD-1"), { id: "a" }),
      makeEpisode(conversation("cancel ord-1 "), { id: "b" }), // same user turns, same calls
      makeEpisode(conversation("Where is ORD-2?"), { id: "c" }),
      makeEpisode(conversation("Refund ORD-3"), { id: "d" }),
      makeEpisode(conversation("Update ORD-4"), { id: "e" }),
    ];
    const judgments = new Map([
      ["a", judgment("a", 0.9, "pass")],
      ["b", judgment("b", 0.9, "pass")],
      ["c", judgment("c", 0.5, "pass")],
      ["d", judgment("d", 0.2, "fail", ["no_final_answer"])],
    ]);
    const result = filterEpisodes(episodes, judgments, { minScore: 0.7, requirePass: true, dedupe: true });
    expect(result.kept.map((e) => e.id)).toEqual(["a"]);
    expect(result.rejected).toEqual([
      { episodeId: "b", reasons: ["duplicate"] },
      { episodeId: "c", reasons: ["below_min_score"] },
      { episodeId: "d", reasons: ["verdict_fail", "no_final_answer", "below_min_score"] },
      { episodeId: "e", reasons: ["not_judged"] },
    ]);
    expect(result.rejectionCounts).toEqual({ below_min_score: 2, duplicate: 1, no_final_answer: 1, not_judged: 1, verdict_fail: 1 });
  });

  it("keeps duplicates when dedupe is off", () => {
    const episodes = [makeEpisode(conversation("x"), { id: "a" }), makeEpisode(conversation("x"), { id: "b" })];
    const judgments = new Map([["a", judgment("a", 1, "pass")], ["b", judgment("b", 1, "pass")]]);
    expect(filterEpisodes(episodes, judgments, { minScore: 0, requirePass: true, dedupe: false }).kept).toHaveLength(2);
  });
});

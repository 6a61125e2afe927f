import { describe, expect, it } from "vitest";
import type { JudgmentRecord } from "../../src/domain/judgment.js";
import { filterEpisodes } from "../../src/filter/filter-episodes.js";
import { makeEpisode } from "../helpers/records.js";

const conversation = (text: string) => [
  { role: "system" as const, content: "s" },
  { role: "user" as const, content: text },
  { role: "assistant" as const, content: "ok" },
];

function judgment(episodeId: string, score: number, verdict: "pass" | "fail", reasons: string[] = [], criteria: JudgmentRecord["criteria"] = []): JudgmentRecord {
  return {
    id: `j_${episodeId}`,
    kind: "judgment",
    createdAt: "2026-01-01T00:00:00.000Z",
    schemaVersion: 1,
    provenance: { source: "test", models: {}, promptHashes: [] },
    episodeId,
    taskId: "tsk_1",
    formatChecks: [],
    ruleChecks: [],
    criteria,
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

const longTurn = (order: string, extra = "") =>
  `Hello, I ordered a green rain jacket last week and it still has not arrived at my home in Portland, could you please check order ${order} and tell me when it will be delivered${extra}`;
const withCalls = (text: string, calls: string[]) => [
  { role: "system" as const, content: "s" },
  { role: "user" as const, content: text },
  ...calls.flatMap((name, index) => [
    { role: "assistant" as const, content: null, tool_calls: [{ id: `c${index}`, type: "function" as const, function: { name, arguments: "{}" } }] },
    { role: "tool" as const, tool_call_id: `c${index}`, content: "{}" },
  ]),
  { role: "assistant" as const, content: "done" },
];
const passAll = (episodes: ReadonlyArray<{ id: string }>, score = 0.9) => new Map(episodes.map((episode) => [episode.id, judgment(episode.id, score, "pass")]));
const base = { minScore: 0, requirePass: true, dedupe: false };

describe("near-duplicate removal (MinHash over user turns and tool calls)", () => {
  const episodes = [
    makeEpisode(withCalls(longTurn("ORD-1001"), ["get_order"]), { id: "a" }),
    makeEpisode(withCalls(longTurn("ORD-1001", " please"), ["get_order"]), { id: "b" }),
    makeEpisode(withCalls(longTurn("ORD-1001"), ["get_order", "cancel_order", "refund_order"]), { id: "c" }),
    makeEpisode(withCalls("What is the refund policy for opened items bought on sale?", ["get_policy"]), { id: "d" }),
  ];

  it("removes episodes nearly the same as a kept one, with the reason near_duplicate", () => {
    const result = filterEpisodes(episodes, passAll(episodes), { ...base, dedupe: true, nearDuplicateThreshold: 0.85 });
    expect(result.kept.map((e) => e.id)).toEqual(["a", "c", "d"]);
    expect(result.rejected).toEqual([{ episodeId: "b", reasons: ["near_duplicate"] }]);
    expect(result.rejectionCounts).toEqual({ near_duplicate: 1 });
  });

  it("a lower threshold also catches the one with a different tool-call sequence", () => {
    expect(filterEpisodes(episodes, passAll(episodes), { ...base, dedupe: true, nearDuplicateThreshold: 0.5 }).kept.map((e) => e.id)).toEqual(["a", "d"]);
  });

  it("keeps the best-scored episode of a near-duplicate pair", () => {
    const judgments = new Map([...passAll(episodes), ["b", judgment("b", 0.99, "pass")]]);
    const result = filterEpisodes(episodes, judgments, { ...base, dedupe: true, nearDuplicateThreshold: 0.85 });
    expect(result.rejected).toEqual([{ episodeId: "a", reasons: ["near_duplicate"] }]);
  });

  it("does nothing without dedupe", () => {
    expect(filterEpisodes(episodes, passAll(episodes), { ...base, nearDuplicateThreshold: 0.5 }).kept).toHaveLength(4);
  });
});

describe("diversity caps", () => {
  const episodes = [
    makeEpisode(conversation("one"), { id: "a", taskId: "t1", agentId: "g1" }),
    makeEpisode(conversation("two"), { id: "b", taskId: "t1", agentId: "g1" }),
    makeEpisode(conversation("three"), { id: "c", taskId: "t2", agentId: "g1" }),
    makeEpisode(conversation("four"), { id: "d", taskId: "t3", agentId: "g2" }),
    makeEpisode(conversation("five"), { id: "e", taskId: "t4", agentId: "g3" }),
  ];
  const agentDomains = new Map([["g1", "orders"], ["g2", "orders"], ["g3", "travel"]]);

  it("caps kept episodes per task, agent and domain, keeping the best scores", () => {
    const judgments = new Map([...passAll(episodes), ["b", judgment("b", 0.95, "pass")]]);
    expect(filterEpisodes(episodes, judgments, { ...base, caps: { perTask: 1 } }).rejected).toEqual([{ episodeId: "a", reasons: ["cap_per_task"] }]);
    expect(filterEpisodes(episodes, judgments, { ...base, caps: { perAgent: 2 } }).rejected).toEqual([{ episodeId: "c", reasons: ["cap_per_agent"] }]);
    const perDomain = filterEpisodes(episodes, judgments, { ...base, caps: { perDomain: 2 }, agentDomains });
    expect(perDomain.kept.map((e) => e.id)).toEqual(["a", "b", "e"]);
    expect(perDomain.rejectionCounts).toEqual({ cap_per_domain: 2 });
  });
});

describe("per-episode gates", () => {
  it("bounds length in messages and tool calls", () => {
    const episodes = [
      makeEpisode(withCalls("short", []), { id: "a" }),
      makeEpisode(withCalls("one call", ["get_order"]), { id: "b" }),
      makeEpisode(withCalls("three calls", ["get_order", "get_order", "get_order"]), { id: "c" }),
    ];
    const result = filterEpisodes(episodes, passAll(episodes), { ...base, length: { minMessages: 4, maxMessages: 8, minToolCalls: 1, maxToolCalls: 2 } });
    expect(result.kept.map((e) => e.id)).toEqual(["b"]);
    expect(result.rejected).toEqual([
      { episodeId: "a", reasons: ["messages_below_min", "tool_calls_below_min"] },
      { episodeId: "c", reasons: ["messages_above_max", "tool_calls_above_max"] },
    ]);
  });

  it("excludes episodes by fault attribution", () => {
    const episodes = [
      makeEpisode(conversation("x"), { id: "a", faultAttribution: "tool_simulator" }),
      makeEpisode(conversation("y"), { id: "b", faultAttribution: "agent" }),
      makeEpisode(conversation("z"), { id: "c" }),
    ];
    const result = filterEpisodes(episodes, passAll(episodes), { ...base, excludeAttributions: ["tool_simulator", "infrastructure"] });
    expect(result.kept.map((e) => e.id)).toEqual(["b", "c"]);
    expect(result.rejected).toEqual([{ episodeId: "a", reasons: ["fault_attribution:tool_simulator"] }]);
  });

  it("requires the listed criteria wherever a judgment has them", () => {
    const score = (criterionId: string, value: number) => ({ criterionId, kind: "llm" as const, score: value, rationale: "", required: false, weight: 1 });
    const episodes = [makeEpisode(conversation("x"), { id: "a" }), makeEpisode(conversation("y"), { id: "b" }), makeEpisode(conversation("z"), { id: "c" })];
    const judgments = new Map([
      ["a", judgment("a", 0.9, "pass", [], [score("polite", 0.2)])],
      ["b", judgment("b", 0.9, "pass", [], [score("polite", 0.8)])],
      ["c", judgment("c", 0.9, "pass", [], [score("other", 0)])],
    ]);
    expect(filterEpisodes(episodes, judgments, { ...base, requiredCriteria: ["polite"] }).rejected).toEqual([{ episodeId: "a", reasons: ["required_failed:polite"] }]);
  });

  it("keeps tasks within a success-rate band and reports pass^k per task", () => {
    const episodes = ["t1", "t1", "t2", "t2", "t3", "t3"].map((taskId, index) => makeEpisode(conversation(`turn ${index}`), { id: `e${index}`, taskId }));
    const verdicts: Array<"pass" | "fail"> = ["pass", "pass", "pass", "fail", "fail", "fail"];
    const judgments = new Map(episodes.map((episode, index) => [episode.id, judgment(episode.id, 0.9, verdicts[index] ?? "fail")]));
    const result = filterEpisodes(episodes, judgments, { ...base, requirePass: false, successRate: { min: 0.25, max: 0.75 } });
    expect(result.kept.map((e) => e.id)).toEqual(["e2", "e3"]);
    expect(result.rejectionCounts).toEqual({ task_too_easy: 2, task_too_hard: 2 });
    expect(result.taskStats.t2).toEqual({ episodes: 2, passed: 1, successRate: 0.5, passHatK: { "1": 0.5, "2": 0 } });
    expect(result.passHatK).toEqual({ "1": 0.5, "2": 0.3333 });
  });
});

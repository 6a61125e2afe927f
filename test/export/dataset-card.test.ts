import { describe, expect, it } from "vitest";
import { renderDatasetCard, type DatasetCard } from "../../src/export/dataset-card.js";
import { buildScoreHistogram } from "../../src/export/score-histogram.js";
import { averagePassHatK, computeTaskStats } from "../../src/filter/task-stats.js";

const offline = { provider: "offline", model: "offline-engine-v1" };
const taskStats = computeTaskStats([
  ...[true, true, false, true].map((passed) => ({ taskId: "tsk_a", passed })),
  ...[false, false, false].map((passed) => ({ taskId: "tsk_b", passed })),
  { taskId: "tsk_c", passed: true },
]);
const card: DatasetCard = {
  name: "orders-v1",
  fileName: "train.jsonl",
  format: "OpenAI chat fine-tuning JSONL",
  formatName: "sharegpt",
  seed: 11,
  configName: "orders",
  counts: { domains: 2, tools: 5, agents: 2, tasks: 3, episodes: 8, episodesFailed: 1, judged: 8, passed: 4, kept: 3, rejected: 5, exported: 3 },
  rejectionCounts: { near_duplicate: 1, verdict_fail: 4 },
  domains: [{ name: "orders", title: "Orders", category: "Commerce", episodes: 3 }],
  tools: [
    { name: "get_order", source: "real", calls: 4 },
    { name: "cancel_order", source: "synthetic", calls: 2 },
    { name: "refund_order", source: "imported", calls: 1 },
    { name: "list_orders", source: "synthetic", calls: 0 },
  ],
  toolResults: { executions: { real: 4, simulated: 2, fallback: 1 }, faults: { timeout: 1, partial: 1 }, contextCuts: 3 },
  models: { generator: offline, agent: { provider: "openai", model: "kimi-k2" }, userSimulator: offline, toolSimulator: offline, judge: { provider: "openai", model: "judge-a" } },
  files: [
    { split: "train", fileName: "train.jsonl", records: 2 },
    { split: "validation", fileName: "validation.jsonl", records: 1 },
  ],
  options: { includeSystemPrompt: false, includeReasoning: true, kimiToolCallIds: true },
  split: { validationRatio: 0.25, seed: 3 },
  judgeCommittee: [
    { model: { provider: "openai", model: "judge-a" }, temperature: 0 },
    { model: { provider: "openai", model: "judge-b" }, temperature: 0.7 },
    { model: { provider: "openai", model: "judge-a" } },
  ],
  scores: buildScoreHistogram([0.05, 0.42, 0.45, 0.71, 0.95, 1, 1, 0.99].map((score, index) => ({ score, kept: index >= 5 }))),
  taskStats,
  passHatK: averagePassHatK(taskStats),
  verification: { matched: { seen: 5, kept: 2 }, failed: { seen: 2, kept: 0 }, not_applicable: { seen: 1, kept: 1 }, unverified: { seen: 0, kept: 0 } },
  shapes: { lookup: 1, chained: 1, infeasible: 1 },
  toolChecks: { rejected: { effect_mismatch: 2 }, audited: 9, excluded: { valid_call: 1 } },
  taskGate: { checked: 5, passed: 3, regenerated: 2, dropped: 0, rejected: { action_error: 1, unknown_record: 1 } },
};
const text = renderDatasetCard(card);
const row = (...cells: Array<string | number>) => `| ${cells.join(" | ")} |`;

describe("renderDatasetCard", () => {
  it("shows the verification results, the task shapes, the tool audit and the task gate", () => {
    expect(text).toContain("## Verification");
    expect(text).toContain(row("matched: the world state is the blueprint's and the answer states its facts", 5, 2));
    expect(text).toContain(row("failed: another world state, or answer facts missing", 2, 0));
    expect(text).toContain(row("not applicable: no blueprint, or a tool outside the environment (real server, no declared effect)", 1, 1));
    expect(text).not.toContain("unverified");
    expect(text).toContain("## Task shapes");
    expect(text).toContain("3 shape(s) among the kept records.");
    expect(text).toContain(row("infeasible", 1));
    expect(text).toContain("9 audited, 8 passed, 1 excluded from agents (`valid_call` 1). Rejected at synthesis: 2 (`effect_mismatch` 2).");
    expect(text).toContain("3 of 5 drafts passed, 2 were written again, 0 dropped; refused drafts by reason: `action_error` 1, `unknown_record` 1.");
  });

  it("says how the tool results were produced, the faults injected and the context cuts", () => {
    expect(text).toContain("## Tool results");
    expect(text).toContain(row("real", 4, "the live MCP server (read-only tools, or as the execution policy allowed)"));
    expect(text).toContain(row("recorded", 0, "a recorded real answer to the same arguments (replay)"));
    expect(text).toContain(row("fallback", 1, "the tool simulator, after the live server failed (crash, hang, dropped session)"));
    expect(text).toContain("Injected faults: partial 1, timeout 1. Tool results shortened to fit the agent's context budget: 3.");
  });

  it("names the files, format, options and seeds", () => {
    expect(text).toContain("`train.jsonl` (train, 2 records), `validation.jsonl` (validation, 1 records), a 0.25 validation split");
    expect(text).toContain("- Records: 3");
    expect(text).toContain("System prompt: dropped; reasoning: included");
    expect(text).toContain("Kimi style (`functions.{name}:{index}`");
    expect(text).toContain("Pipeline config: `orders`, seed 11; validation split seed 3");
  });

  it("counts stages and rejection reasons", () => {
    expect(text).toContain(row("episodes that failed to complete", 1));
    expect(text).toContain(row("`near_duplicate`", 1));
    expect(text).toContain(row("`verdict_fail`", 4));
  });

  it("draws the judge-score histogram of judged and kept episodes", () => {
    expect(text).toContain(row("0.0–0.1", 1, 0));
    expect(text).toContain(row("0.4–0.5", 2, 0));
    expect(text).toContain(row("0.7–0.8", 1, 0));
    expect(text).toContain(row("0.9–1.0 (incl.)", 4, 3));
  });

  it("reports pass^k averaged over tasks and the spread of success rates", () => {
    // tsk_a: 3 of 4 pass → pass^1 .75, pass^2 = C(3,2)/C(4,2) = .5, pass^3 = 1/4, pass^4 = 0; tsk_b: 0 of 3; tsk_c: 1 of 1.
    expect(text).toContain(row(1, ((0.75 + 0 + 1) / 3).toFixed(3), 3));
    expect(text).toContain(row(2, (0.5 / 2).toFixed(3), 2));
    expect(text).toContain(row(3, (0.25 / 2).toFixed(3), 2));
    expect(text).toContain(row(4, "0.000", 1));
    expect(text).toContain(row("0 %", 1));
    expect(text).toContain(row("50–99 %", 1));
    expect(text).toContain(row("100 %", 1));
  });

  it("lists models per role, the judge committee, and tools by source", () => {
    expect(text).toContain(row("agent", "openai", "kimi-k2"));
    expect(text).toContain("Judge committee of 3");
    expect(text).toContain(row(2, "openai", "judge-b", 0.7));
    expect(text).toContain(row(3, "openai", "judge-a", "default"));
    expect(text).toContain("Tools declared in exported records: 4 — 1 real (4 calls), 2 synthetic (2 calls), 1 imported (1 calls)");
    expect(text).toContain("Offline data");
  });

  it("shows LLaMA-Factory's dataset_info entry for ShareGPT", () => {
    expect(text).toContain('"formatting": "sharegpt", "columns": {"messages": "conversations", "tools": "tools"}');
  });

  it("is deterministic", () => {
    expect(renderDatasetCard(card)).toBe(text);
  });
});

import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../src/domain/message.js";
import { JudgmentRecordSchema } from "../../src/domain/judgment.js";
import { judgeEpisode } from "../../src/judge/judge-episode.js";
import { evaluateRule } from "../../src/judge/rule-criteria.js";
import { createScriptedModel } from "../helpers/scripted-model.js";
import { makeAgent, makeEpisode, makeTask, makeTool } from "../helpers/records.js";
import { createTestEnv } from "../helpers/stage-env.js";

const tools = [makeTool("get_order"), makeTool("cancel_order")];
const agent = makeAgent(tools);
const task = makeTask(agent);
const call = (id: string, name: string, args: string) => ({ id, type: "function" as const, function: { name, arguments: args } });

const goodConversation: ChatMessage[] = [
  { role: "system", content: "You are the orders assistant." },
  { role: "user", content: "Cancel my order ORD-1001 please." },
  { role: "assistant", content: null, tool_calls: [call("c1", "get_order", '{"order_id":"ORD-1001"}')] },
  { role: "tool", tool_call_id: "c1", content: '{"id":"ORD-1001","status":"shipped"}' },
  { role: "assistant", content: null, tool_calls: [call("c2", "cancel_order", '{"order_id":"ORD-1001"}')] },
  { role: "tool", tool_call_id: "c2", content: '{"id":"ORD-1001","status":"cancelled"}' },
  { role: "assistant", content: "ORD-1001 is cancelled." },
];

const approvingJudge = () =>
  createScriptedModel((request) => {
    if (request.context?.purpose !== "judge") throw new Error("expected a judge request");
    return { criteria: request.context.criteria.map((c) => ({ id: c.id, score: 0.9, rationale: "The assistant reported the outcome." })), verdict: "pass", summary: "Good." };
  });

describe("judgeEpisode", () => {
  it("passes a clean episode: format checks, rule criteria and LLM criteria", async () => {
    const judge = approvingJudge();
    const judgment = await judgeEpisode(createTestEnv({ judge }), { episode: makeEpisode(goodConversation), task, tools });
    expect(() => JudgmentRecordSchema.parse(judgment)).not.toThrow();
    expect(judgment.formatChecks.every((check) => check.passed)).toBe(true);
    // The default final-state criterion passes without weight: this episode was recorded without a verification.
    expect(judgment.criteria.map((c) => [c.criterionId, c.score, c.weight])).toEqual([["final-state-matches", 1, 0], ["cancelled", 1, 1], ["helpful", 0.9, 1]]);
    expect(judgment.verdict).toBe("pass");
    expect(judgment.reasons).toEqual([]);
    expect(judgment.score).toBeCloseTo(0.95);
    expect(judgment.provenance.promptHashes).toHaveLength(1);
    expect(judgment.provenance.models.judge).toEqual(judge.ref);
    // The judge was told what the automatic checks found.
    expect(judge.requests[0]?.messages[1]?.content).toContain("Automatic checks");
  });

  it("fails with stable reason codes: unknown tool, invalid arguments, unanswered call, no final answer", async () => {
    const messages: ChatMessage[] = [
      { role: "system", content: "s" },
      { role: "user", content: "Cancel ORD-1001" },
      { role: "assistant", content: null, tool_calls: [call("c1", "delete_everything", "{}"), call("c2", "get_order", '{"order_id":42}')] },
      { role: "tool", tool_call_id: "c1", content: "{}" },
      { role: "assistant", content: null, tool_calls: [call("c1", "cancel_order", '{"order_id":"ORD-1001"}')] },
    ];
    const judgment = await judgeEpisode(createTestEnv({ judge: approvingJudge() }), { episode: makeEpisode(messages), task, tools });
    expect(judgment.verdict).toBe("fail");
    expect(judgment.reasons).toEqual(expect.arrayContaining(["unknown_tool", "invalid_arguments", "unanswered_call", "no_final_answer", "duplicate_call_id"]));
  });

  it("rejects an episode that left the wrong world state by final_state_matches, even when the LLM judge approves", async () => {
    const verification = { applicable: true, stateMatches: false, missingFacts: [], diff: [{ path: ["entities", "order", "ORD-1001", "status"], expected: "cancelled", actual: "shipped" }] };
    const judgment = await judgeEpisode(createTestEnv({ judge: approvingJudge() }), { episode: makeEpisode(goodConversation, { verification }), task, tools });
    expect(judgment.verdict).toBe("fail");
    expect(judgment.reasons).toEqual(expect.arrayContaining(["world_state_mismatch", "required_failed:final-state-matches"]));
    expect(judgment.criteria[0]).toMatchObject({ criterionId: "final-state-matches", score: 0, weight: 1, required: true, rationale: expect.stringContaining("entities.order.ORD-1001.status: expected cancelled, got shipped") });
    const matched = await judgeEpisode(createTestEnv({ judge: approvingJudge() }), { episode: makeEpisode(goodConversation, { verification: { ...verification, stateMatches: true, diff: [] } }), task, tools });
    expect(matched.verdict).toBe("pass");
    // A rubric's own final_state_matches criterion replaces the default one.
    const ownCriterion = { id: "state", kind: "rule" as const, description: "state", weight: 2, required: false, check: { type: "final_state_matches" as const } };
    const lenient = await judgeEpisode(createTestEnv({ judge: approvingJudge() }), { episode: makeEpisode(goodConversation, { verification }), task: { ...task, rubric: { ...task.rubric, criteria: [...task.rubric.criteria, ownCriterion] } }, tools });
    expect(lenient.criteria.map((criterion) => criterion.criterionId)).toEqual(["cancelled", "state", "helpful"]);
    expect(lenient.reasons).toContain("world_state_mismatch");
    expect(lenient.reasons).not.toContain("required_failed:state");
  });

  it("fails a required rule criterion even when the LLM judge approves", async () => {
    const messages = goodConversation.filter((_, index) => index < 4).concat({ role: "assistant", content: "It has shipped." });
    const judgment = await judgeEpisode(createTestEnv({ judge: approvingJudge() }), { episode: makeEpisode(messages), task, tools });
    expect(judgment.verdict).toBe("fail");
    expect(judgment.reasons).toEqual(expect.arrayContaining(["tool_not_called_as_expected", "required_failed:cancelled"]));
  });
});

describe("rule checks", () => {
  const episode = makeEpisode(goodConversation, { worldState: { initial: {}, final: { entities: { order: { "ORD-1001": { status: "cancelled" } } } } } });
  it.each([
    [{ type: "tool_called", tool: "get_order", min: 1 }, true],
    [{ type: "tool_called", tool: "get_order", min: 2 }, false],
    [{ type: "tool_called", tool: "cancel_order", args: { order_id: "ORD-9" }, min: 1 }, false],
    [{ type: "tool_not_called", tool: "cancel_order" }, false],
    [{ type: "call_order", tools: ["get_order", "cancel_order"] }, true],
    [{ type: "call_order", tools: ["cancel_order", "get_order"] }, false],
    [{ type: "args_valid" }, true],
    [{ type: "no_fabricated_ids" }, true],
    [{ type: "final_state", path: "entities.order.ORD-1001.status", equals: "cancelled" }, true],
    [{ type: "final_state", path: "entities.order.ORD-2", exists: false }, true],
    [{ type: "final_state", path: "entities.order.ORD-1001", exists: false }, false],
    [{ type: "no_call_after_stop" }, true],
    [{ type: "answer_mentions", text: ["cancelled"] }, true],
    [{ type: "answer_mentions", text: ["refund"] }, false],
  ] as const)("%j → %s", (check, expected) => {
    const outcome = evaluateRule(check as never, episode, tools);
    expect(outcome.passed).toBe(expected);
    if (!outcome.passed) expect(outcome.reason).toMatch(/^[a-z_]+$/);
  });

  it("flags an id the agent made up", () => {
    const made = goodConversation.map((m) => (m.role === "user" ? { ...m, content: "Cancel my last order." } : m));
    expect(evaluateRule({ type: "no_fabricated_ids" }, makeEpisode(made), tools)).toMatchObject({ passed: false, reason: "fabricated_id" });
  });
});

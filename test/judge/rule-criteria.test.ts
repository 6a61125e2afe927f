import { describe, expect, it } from "vitest";
import type { EpisodeRecord } from "../../src/domain/episode.js";
import type { ChatMessage } from "../../src/domain/message.js";
import { RuleCheckSchema, type RuleCheck } from "../../src/domain/rubric.js";
import { TaskSpecSchema } from "../../src/domain/task.js";
import { RULE_REASON_CODES, evaluateRule } from "../../src/judge/rule-criteria.js";
import { makeAgent, makeEpisode, makeTask, makeTool } from "../helpers/records.js";

const tools = [makeTool("get_order"), makeTool("cancel_order")];
const task = makeTask(makeAgent(tools));
const call = (id: string, name: string, args: string) => ({ id, type: "function" as const, function: { name, arguments: args } });
const messages: ChatMessage[] = [
  { role: "system", content: "You are the orders assistant." },
  { role: "user", content: "Cancel my order ORD-1001 please." },
  { role: "assistant", content: null, tool_calls: [call("c1", "cancel_order", '{"order_id":"ORD-1001"}')] },
  { role: "tool", tool_call_id: "c1", content: '{"id":"ORD-1001","status":"cancelled"}' },
  { role: "assistant", content: "ORD-1001 is cancelled." },
  { role: "assistant", content: null, tool_calls: [call("c2", "get_order", '{"order_id":"ORD-7777"}'), call("c3", "get_order", '{"order_id":7}')] },
  { role: "tool", tool_call_id: "c2", content: "{}" },
  { role: "tool", tool_call_id: "c3", content: "{}" },
];
const episode = makeEpisode(messages, {
  worldState: { initial: {}, final: { entities: { order: { "ORD-1001": { status: "cancelled" } } } } },
  verification: { applicable: true, stateMatches: false, missingFacts: [], diff: [{ path: ["entities", "order", "ORD-1001", "status"], expected: "refunded", actual: "cancelled" }] },
});

/** One failing check of every rule kind, against the episode above. */
const failing: Record<RuleCheck["type"], RuleCheck> = {
  tool_called: { type: "tool_called", tool: "get_order", min: 3 },
  tool_not_called: { type: "tool_not_called", tool: "cancel_order" },
  call_order: { type: "call_order", tools: ["get_order", "cancel_order"] },
  args_valid: { type: "args_valid" },
  no_fabricated_ids: { type: "no_fabricated_ids" },
  final_state: { type: "final_state", path: "entities.order.ORD-1001.status", equals: "shipped" },
  final_state_matches: { type: "final_state_matches" },
  no_call_after_stop: { type: "no_call_after_stop" },
  answer_mentions: { type: "answer_mentions", text: ["refund"] },
};

describe("rule criteria reason codes", () => {
  it("cover every rule kind the rubric schema knows", () => {
    const kinds = RuleCheckSchema.options.map((option) => option.shape.type.value).sort();
    expect(Object.keys(RULE_REASON_CODES).sort()).toEqual(kinds);
    expect(Object.keys(failing).sort()).toEqual(kinds);
  });

  it.each(Object.entries(failing))("%s fails with its stable reason code", (kind, check) => {
    const outcome = evaluateRule(check, episode, tools);
    expect(outcome).toMatchObject({ passed: false, reason: RULE_REASON_CODES[kind as RuleCheck["type"]] });
    expect(outcome.rationale.length).toBeGreaterThan(0);
  });

  it("are all distinct snake_case codes", () => {
    const codes = Object.values(RULE_REASON_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^[a-z_]+$/);
  });
});

describe("a hand-authored task (create_task input)", () => {
  it("accepts a rubric using every rule kind", () => {
    const criteria = Object.values(failing).map((check, index) => ({ id: `rule-${index}`, description: `rule ${check.type}`, kind: "rule", check }));
    const parsed = TaskSpecSchema.parse({
      agentId: "agt_1",
      goal: "Cancel my order",
      persona: { name: "Ana", style: "brief" },
      rubric: { criteria: [...criteria, { id: "tone", description: "polite", kind: "llm", required: true, weight: 2 }] },
    });
    expect(parsed.rubric.criteria.map((criterion) => (criterion.kind === "rule" ? criterion.check.type : "llm"))).toEqual([...Object.keys(failing), "llm"]);
    expect(parsed.rubric.criteria[0]).toMatchObject({ weight: 1, required: false });
  });
});

describe("final_state_matches", () => {
  const verified = (verification: EpisodeRecord["verification"]) => evaluateRule({ type: "final_state_matches" }, makeEpisode(messages, verification ? { verification } : {}), tools);

  it("passes when the episode left the blueprint's state and stated its facts, or cannot be verified", () => {
    expect(verified({ applicable: true, stateMatches: true, missingFacts: [], diff: [] })).toMatchObject({ passed: true });
    expect(verified({ applicable: false, reason: "the task has no blueprint", missingFacts: [], diff: [] })).toEqual({ passed: true, rationale: "not applicable: the task has no blueprint" });
    expect(verified(undefined)).toMatchObject({ passed: true });
  });

  it("fails with the diff, or with the facts the answer misses", () => {
    const wrong = verified({ applicable: true, stateMatches: false, missingFacts: ["cancelled"], diff: [{ path: ["entities", "order", "ORD-1001", "status"], expected: "cancelled", actual: "pending" }] });
    expect(wrong).toEqual({ passed: false, reason: "world_state_mismatch", rationale: "the world state differs from the blueprint's: entities.order.ORD-1001.status: expected cancelled, got pending; the final answer does not state cancelled" });
    expect(verified({ applicable: true, stateMatches: true, missingFacts: ["in transit"], diff: [] })).toEqual({ passed: false, reason: "answer_facts_missing", rationale: "the final answer does not state in transit" });
  });
});

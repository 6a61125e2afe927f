import { tallySimulation } from "../../src/pipeline/simulation-tally.js";
import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../src/domain/message.js";
import { JudgmentRecordSchema } from "../../src/domain/judgment.js";
import { decideCommittee } from "../../src/judge/committee-decision.js";
import { judgeEpisode } from "../../src/judge/judge-episode.js";
import type { JudgeMember } from "../../src/model/judge-committee.js";
import type { ModelRequest } from "../../src/model/language-model.js";
import { createScriptedModel } from "../helpers/scripted-model.js";
import { makeAgent, makeEpisode, makeTask, makeTool } from "../helpers/records.js";
import { createTestEnv } from "../helpers/stage-env.js";

const tools = [makeTool("get_order"), makeTool("cancel_order")];
const task = makeTask(makeAgent(tools), {
  rubric: {
    passThreshold: 0.5,
    criteria: [
      { id: "cancelled", kind: "rule", description: "cancel_order was called", weight: 1, required: false, check: { type: "tool_called", tool: "cancel_order", min: 1 } },
      { id: "helpful", kind: "llm", description: "The assistant told the user the outcome.", weight: 1, required: false },
      { id: "honest", kind: "llm", description: "The assistant did not invent data.", weight: 1, required: false },
    ],
  },
});
const call = (id: string, name: string) => ({ id, type: "function" as const, function: { name, arguments: '{"order_id":"ORD-1001"}' } });
const messages: ChatMessage[] = [
  { role: "system", content: "You are the orders assistant." },
  { role: "user", content: "Cancel my order ORD-1001 please." },
  { role: "assistant", content: null, tool_calls: [call("c1", "cancel_order")] },
  { role: "tool", tool_call_id: "c1", content: '{"error":"timeout"}' },
  { role: "assistant", content: null, tool_calls: [call("c2", "cancel_order")] },
  { role: "tool", tool_call_id: "c2", content: '{"id":"ORD-1001","status":"cancelled"}' },
  { role: "assistant", content: "ORD-1001 is cancelled." },
];
const episode = makeEpisode(messages, {
  steps: messages.map((message, index) => ({
    index,
    actor: message.role === "tool" ? "tool_executor" : message.role === "user" ? "user_simulator" : message.role === "system" ? "system" : "agent",
    latencyMs: 0,
    labels: [],
    ...(index === 3 ? { tool: { toolCallId: "c1", toolName: "cancel_order", execution: "simulated" as const, outcome: "fault" as const, fault: "timeout" as const, stateDiff: [] } } : {}),
  })),
});

/** A scripted judge giving these scores (helpful, honest) and this verdict. */
function judge(name: string, helpful: number, honest: number, verdict: "pass" | "fail") {
  return createScriptedModel(
    () => ({ criteria: [{ id: "helpful", score: helpful, rationale: `${name}: helpful ${helpful}` }, { id: "honest", score: honest, rationale: `${name}: honest ${honest}` }], verdict, summary: `${name} says ${verdict}` }),
    { provider: "scripted", model: name },
  );
}

describe("a judge committee", () => {
  it("stores each member, its scores and the agreement; the majority decides", async () => {
    const members = [judge("judge-a", 0.9, 0.9, "pass"), judge("judge-b", 0.2, 0.8, "fail"), judge("judge-c", 0.8, 0.7, "pass")];
    const committee: JudgeMember[] = members.map((model, index) => ({ model, temperature: [0, 0.3, 0.7][index] }));
    const judgment = await judgeEpisode(createTestEnv(), { episode, task, tools, committee });

    expect(() => JudgmentRecordSchema.parse(judgment)).not.toThrow();
    expect(judgment.committee?.members.map((member) => [member.model.model, member.temperature, member.verdict])).toEqual([
      ["judge-a", 0, "pass"],
      ["judge-b", 0.3, "fail"],
      ["judge-c", 0.7, "pass"],
    ]);
    expect(judgment.committee?.members[1]?.scores).toEqual([
      { criterionId: "helpful", score: 0.2, rationale: "judge-b: helpful 0.2" },
      { criterionId: "honest", score: 0.8, rationale: "judge-b: honest 0.8" },
    ]);
    expect(judgment.committee?.agreement).toEqual({ verdict: 0.667, criteria: { helpful: 0.667, honest: 1 }, overall: 0.778 });
    const helpful = judgment.criteria.find((criterion) => criterion.criterionId === "helpful");
    expect(helpful).toMatchObject({ kind: "llm", score: 0.8, agreement: 0.667, rationale: "judge-a: helpful 0.9" });
    expect(judgment.verdict).toBe("pass");
    expect(judgment.summary).toBe("Committee of 3: 2 pass, 1 fail. judge-a says pass");
    expect(judgment.provenance.models.judge).toEqual({ provider: "scripted", model: "judge-a" });
    expect(judgment.provenance.promptHashes).toHaveLength(1);
  });

  it("asks every member the same prompt, each at its temperature with its own seed", async () => {
    const members = [judge("a", 1, 1, "pass"), judge("b", 1, 1, "pass"), judge("c", 1, 1, "pass")];
    await judgeEpisode(createTestEnv(), { episode, task, tools, committee: members.map((model, index) => ({ model, temperature: index / 2 })) });
    const requests = members.map((member) => member.requests[0] as ModelRequest);
    expect(requests.map((request) => request.temperature)).toEqual([0, 0.5, 1]);
    expect(new Set(requests.map((request) => request.seed)).size).toBe(3);
    expect(requests[0]?.seed).toBe(episode.seed);
    expect(new Set(requests.map((request) => JSON.stringify(request.messages))).size).toBe(1);
  });

  it("fails the episode when the majority says fail", async () => {
    const committee = [judge("a", 0.9, 0.9, "pass"), judge("b", 0.3, 0.9, "fail"), judge("c", 0.4, 0.9, "fail")].map((model) => ({ model }));
    const judgment = await judgeEpisode(createTestEnv(), { episode, task, tools, committee });
    expect(judgment.verdict).toBe("fail");
    expect(judgment.reasons).toContain("judge_fail");
    expect(judgment.criteria.find((criterion) => criterion.criterionId === "helpful")).toMatchObject({ score: 0.4, agreement: 0.667, rationale: "b: helpful 0.3" });
  });

  it("tells the judges which faults were injected", async () => {
    const member = judge("a", 1, 1, "pass");
    await judgeEpisode(createTestEnv(), { episode, task, tools, committee: [{ model: member }] });
    const request = member.requests[0];
    expect(request?.messages[1]?.content).toContain("Injected faults:\n- cancel_order (call c1): timeout");
    expect(request?.context).toMatchObject({ purpose: "judge", faults: [{ toolCallId: "c1", toolName: "cancel_order", fault: "timeout" }] });
  });

  it("records a member whose answer stays invalid, without its vote", async () => {
    const garbage = createScriptedModel(() => ({ content: "not json" }), { provider: "scripted", model: "garbage" });
    const committee = [judge("a", 0.9, 0.9, "pass"), garbage, judge("c", 0.8, 0.8, "pass")].map((model) => ({ model }));
    const judgment = await judgeEpisode(createTestEnv(), { episode, task, tools, committee });
    expect(judgment.committee?.members[1]).toMatchObject({ model: { model: "garbage" }, scores: [] });
    expect(judgment.committee?.members[1]?.error).toContain("did not match");
    expect(judgment.committee?.agreement.verdict).toBe(1);
    expect(judgment.verdict).toBe("pass");
  });

  it("labels the judgment when no member gives a valid answer, and blames the judge, not the agent", async () => {
    const garbage = createScriptedModel(() => ({ content: "" }));
    const judgment = await judgeEpisode(createTestEnv(), { episode, task, tools, committee: [{ model: garbage }] });
    expect(judgment.verdict).toBe("fail");
    expect(judgment.reasons).toContain("judge_invalid_output");
    expect(judgment.summary).toContain("the failure is the judge model's, not the episode's");
    expect(tallySimulation([episode], () => judgment).faultAttributions).toEqual({ judge: 1 });
    expect(tallySimulation([episode], () => ({ verdict: "fail", reasons: ["judge_fail"] })).faultAttributions).toEqual({ agent: 1 });
    expect(judgment.criteria.filter((criterion) => criterion.kind === "llm").map((criterion) => criterion.score)).toEqual([0, 0]);
  });

  it("defaults to the environment's judge model alone", async () => {
    const only = judge("solo", 0.9, 0.9, "pass");
    const judgment = await judgeEpisode(createTestEnv({ judge: only }), { episode, task, tools });
    expect(judgment.committee?.members.map((member) => member.model.model)).toEqual(["solo"]);
    expect(judgment.committee?.agreement.overall).toBe(1);
    expect(judgment.summary).toBe("solo says pass");
  });
});

describe("decideCommittee", () => {
  const member = (verdict: "pass" | "fail" | undefined, score?: number) => ({ model: { provider: "p", model: "m" }, scores: score === undefined ? [] : [{ criterionId: "x", score, rationale: `r${score}` }], ...(verdict ? { verdict } : { error: "bad" }) });

  it("fails a tie, for the verdict and for a criterion", () => {
    const decision = decideCommittee(["x"], [member("pass", 0.9), member("fail", 0.1)]);
    expect(decision.verdict).toBe("fail");
    expect(decision.criteria.get("x")).toEqual({ score: 0.1, rationale: "r0.1", agreement: 0.5 });
    expect(decision.agreement.verdict).toBe(0.5);
  });

  it("leaves out a criterion nobody scored and has no verdict when nobody answered", () => {
    expect(decideCommittee(["x", "y"], [member("pass", 0.9)]).criteria.has("y")).toBe(false);
    expect(decideCommittee(["x"], [member(undefined), member(undefined)]).verdict).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../src/domain/message.js";
import { checkTrajectory } from "../../src/judge/check-trajectory.js";
import { buildJudgeRequest, JUDGE_INSTRUCTIONS } from "../../src/judge/judge-prompt.js";
import { trajectoryFromEpisode } from "../../src/judge/trajectory.js";
import { ROLE_DEFAULTS } from "../../src/model/model-settings.js";
import { JudgeOutputSchema, type JudgeContext } from "../../src/model/request-context.js";
import { createOfflineModel } from "../../src/model/providers/offline/offline-model.js";
import { makeAgent, makeEpisode, makeTask, makeTool } from "../helpers/records.js";

const tools = [makeTool("get_order"), makeTool("cancel_order")];
const task = makeTask(makeAgent(tools), { hiddenFacts: [{ key: "order_id", value: "ORD-10442", description: "the order" }] });
const call = (id: string, name: string): ChatMessage => ({ role: "assistant", content: null, tool_calls: [{ id, type: "function", function: { name, arguments: '{"order_id":"ORD-10442"}' } }] });
const messages: ChatMessage[] = [
  { role: "system", content: "You are the orders assistant." },
  { role: "user", content: "Cancel my order ORD-10442, please." },
  call("c1", "get_order"),
  { role: "tool", tool_call_id: "c1", content: JSON.stringify({ error: "timeout", message: "The request timed out." }) },
  call("c2", "cancel_order"),
  { role: "tool", tool_call_id: "c2", content: JSON.stringify({ id: "ORD-10442", status: "cancelled" }) },
  { role: "assistant", content: "Done — order ORD-10442 is now cancelled (refund 41.50)." },
];
const episode = makeEpisode(messages, {
  steps: messages.map((message, index) => ({
    index,
    actor: message.role === "assistant" ? "agent" : message.role === "tool" ? "tool_executor" : message.role === "user" ? "user_simulator" : "system",
    latencyMs: 0,
    labels: [],
    ...(index === 3 ? { tool: { toolCallId: "c1", toolName: "get_order", execution: "environment" as const, outcome: "fault" as const, fault: "timeout" as const, stateDiff: [] } } : {}),
    ...(index === 5 ? { tool: { toolCallId: "c2", toolName: "cancel_order", execution: "environment" as const, outcome: "ok" as const, stateDiff: [{ op: "set" as const, path: ["entities", "order", "ORD-10442", "status"], value: "cancelled" }] } } : {}),
  })),
  verification: { applicable: true, stateMatches: false, missingFacts: ["refund issued"], diff: [{ path: ["entities", "order", "ORD-10442", "refunded"], expected: true }] },
});
const checks = checkTrajectory(trajectoryFromEpisode(episode, tools));
const request = buildJudgeRequest({ episode, task, criteria: task.rubric.criteria.filter((criterion) => criterion.kind === "llm"), checks: [...checks.format, ...checks.rules], faults: [{ toolCallId: "c1", toolName: "get_order", fault: "timeout" }], tools });
const prompt = request.messages.map((message) => message.content).join("\n");

/** How each context field shows in the prompt: a field without an entry here fails the test, so none is given to the offline judge unsaid. */
const STATED: { [K in keyof Required<JudgeContext>]: (context: JudgeContext) => string[] } = {
  purpose: () => [],
  goal: (context) => [context.goal],
  hiddenFacts: (context) => [JSON.stringify(context.hiddenFacts)],
  criteria: (context) => context.criteria.flatMap((criterion) => [criterion.id, criterion.description]),
  transcript: (context) => context.transcript.flatMap((message, index) => [`${index}. ${message.role}`, ...(message.content ? [message.content] : [])]),
  checks: (context) => context.checks.flatMap((check) => [check.id, ...(check.reason ? [check.reason, check.detail ?? ""] : [])]),
  endReason: (context) => [context.endReason],
  faults: (context) => (context.faults ?? []).flatMap((fault) => [fault.toolName, fault.toolCallId, fault.fault]),
  tools: (context) => (context.tools ?? []).flatMap((tool) => [tool.name, tool.description, JSON.stringify(tool.parameters)]),
  stateChanges: (context) => (context.stateChanges ?? []).flatMap((change) => [change.path, change.change]),
  verification: (context) => (context.verification ? [...context.verification.missingFacts, "refunded"] : []),
};

describe("the judge's prompt", () => {
  it("states every field of the context the offline judge reads", () => {
    for (const key of Object.keys(request.context) as Array<keyof JudgeContext>) {
      const stated = STATED[key];
      expect(stated, `context field ${key} has no statement check`).toBeDefined();
      for (const text of stated(request.context)) expect(prompt, `${key}: ${text}`).toContain(text);
    }
    expect(request.context.tools?.map((tool) => tool.name)).toEqual(["get_order", "cancel_order"]);
    expect(request.context.stateChanges).toEqual([{ path: "entities.order.ORD-10442.status", change: 'set to "cancelled"' }]);
  });

  it("numbers the transcript as role: content lines, shows the rule outcomes with evidence and the verification", () => {
    expect(prompt).toContain("2. assistant: [call c1] get_order(");
    expect(prompt).toContain("3. tool [result of c1]:");
    expect(prompt).toContain("6. assistant: Done — order ORD-10442 is now cancelled");
    expect(prompt).toContain("grounded_claims: FAILED ungrounded_claim");
    expect(prompt).toContain("line 6: 41.50");
    expect(prompt).toContain("the final answer does not state refund issued");
  });

  it("asks for claims, then per criterion the rationale before the score, on defined levels, at temperature 0 by default", () => {
    for (const level of ["1: fully met", "0.5: partly met", "0: not met"]) expect(JUDGE_INSTRUCTIONS).toContain(level);
    expect(JUDGE_INSTRUCTIONS).toMatch(/rationale first.*then the score/);
    const schema = JSON.stringify(JudgeOutputSchema.toJSONSchema?.() ?? {});
    expect(schema.indexOf('"claims"')).toBeLessThan(schema.indexOf('"criteria"'));
    expect(schema.indexOf('"rationale"')).toBeLessThan(schema.indexOf('"score"'));
    expect(ROLE_DEFAULTS.judge.temperature).toBe(0);
  });

  it("gets from the offline judge anchored levels and the final answer's claims checked against the transcript", async () => {
    const answer = await createOfflineModel({ seed: 1 }).generate({ purpose: "judge", messages: request.messages, context: request.context, responseFormat: { type: "json_schema", name: "judgment", schema: {} } });
    const output = JudgeOutputSchema.parse(JSON.parse(answer.content ?? "{}"));
    for (const criterion of output.criteria) expect([0, 0.5, 1]).toContain(criterion.score);
    expect(output.claims).toContainEqual({ claim: "ORD-10442", evidence: "line 1", supported: true });
    expect(output.claims).toContainEqual({ claim: "41.50", evidence: "none", supported: false });
    expect(output.verdict).toBe("fail");
  });
});

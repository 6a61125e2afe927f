import { describe, expect, it } from "vitest";
import type { CheckResult } from "../../../../src/domain/judgment.js";
import type { ChatMessage } from "../../../../src/domain/message.js";
import { createOfflineModel } from "../../../../src/model/providers/offline/offline-model.js";
import { JudgeOutputSchema, type JudgeOutput } from "../../../../src/model/request-context.js";
import { ask } from "./offline-fixtures.js";

const model = createOfflineModel({ seed: 2 });
const criteria = [
  { id: "called-update", description: "The assistant called update_order_status with the right order ID and status." },
  { id: "confirmed-first", description: "The assistant confirmed the change with the user before calling update_order_status, and acted only after a yes." },
  { id: "clear-summary", description: "The assistant's final message tells the user the outcome: the order ORD-10442 now has status shipped." },
  { id: "asked-for-details", description: "The assistant asked the user for the order ID instead of guessing." },
];
const hiddenFacts = [{ key: "order_id", value: "ORD-10442", description: "your order number" }];
const order = { id: "ORD-10442", status: "packed", customer_email: "ana.lima@example.com" };

const good: ChatMessage[] = [
  { role: "system", content: "You are the Northwind Orders Assistant. Confirm before changes." },
  { role: "user", content: "Please change the status of my order to shipped." },
  { role: "assistant", content: "Could you give me your order ID?" },
  { role: "user", content: "It's ORD-10442." },
  { role: "assistant", content: null, tool_calls: [{ id: "call_000000000001", type: "function", function: { name: "get_order", arguments: '{"order_id":"ORD-10442"}' } }] },
  { role: "tool", tool_call_id: "call_000000000001", content: JSON.stringify(order) },
  { role: "assistant", content: "Just to confirm: I'll change the status of order ORD-10442 from packed to shipped. Shall I go ahead?" },
  { role: "user", content: "Yes, go ahead." },
  { role: "assistant", content: null, tool_calls: [{ id: "call_000000000002", type: "function", function: { name: "update_order_status", arguments: '{"order_id":"ORD-10442","status":"shipped"}' } }] },
  { role: "tool", tool_call_id: "call_000000000002", content: JSON.stringify({ ...order, status: "shipped" }) },
  { role: "assistant", content: "Done — order ORD-10442 is now shipped." },
];

function judge(transcript: ChatMessage[], options: { checks?: CheckResult[]; endReason?: string } = {}): Promise<JudgeOutput> {
  return ask(model, "judge", JudgeOutputSchema, { purpose: "judge", goal: "Please change the status of my order to shipped.", hiddenFacts, criteria, transcript, checks: options.checks ?? [], endReason: options.endReason ?? "user_stop" });
}

describe("heuristic judge", () => {
  it("says it is a heuristic, scores every criterion with evidence, and passes a good episode", async () => {
    const output = await judge(good);
    expect(output.summary).toMatch(/offline heuristic judge/i);
    expect(output.summary).toMatch(/not an LLM/);
    expect(output.criteria.map((criterion) => criterion.id)).toEqual(criteria.map((criterion) => criterion.id));
    for (const criterion of output.criteria) {
      expect(criterion.score).toBeGreaterThanOrEqual(0.7);
      expect(criterion.rationale.length).toBeGreaterThan(20);
    }
    expect(output.criteria.find((criterion) => criterion.id === "clear-summary")?.rationale).toContain("ORD-10442");
    expect(output.criteria.find((criterion) => criterion.id === "confirmed-first")?.rationale).toMatch(/1 of 1 write/);
    expect(output.verdict).toBe("pass");
  });

  it("marks down writes made without confirmation", async () => {
    const unconfirmed = good.filter((message) => !(message.role === "assistant" && message.content?.startsWith("Just to confirm")) && !(message.role === "user" && message.content === "Yes, go ahead."));
    const output = await judge(unconfirmed);
    const confirmed = output.criteria.find((criterion) => criterion.id === "confirmed-first");
    expect(confirmed?.score).toBeLessThan(0.5);
    expect(confirmed?.rationale).toMatch(/0 of 1 write/);
  });

  it("fails an episode with an unhandled tool error and no final answer", async () => {
    const broken: ChatMessage[] = [
      ...good.slice(0, 8),
      { role: "assistant", content: null, tool_calls: [{ id: "call_000000000003", type: "function", function: { name: "update_order_status", arguments: '{"order_id":"ORD-10442","status":"shipped"}' } }] },
      { role: "tool", tool_call_id: "call_000000000003", content: JSON.stringify({ error: "timeout", message: "The service timed out." }) },
    ];
    const output = await judge(broken, { endReason: "max_turns" });
    expect(output.verdict).toBe("fail");
    expect(output.summary).toMatch(/1 unhandled/);
    expect(output.criteria.find((criterion) => criterion.id === "clear-summary")?.score).toBeLessThan(0.5);
  });

  it("fails an episode whose format checks failed", async () => {
    const output = await judge(good, { checks: [{ id: "args_valid", passed: false, reason: "invalid_arguments", detail: "status is not allowed" }] });
    expect(output.verdict).toBe("fail");
    expect(output.criteria.every((criterion) => criterion.rationale.includes("failed check"))).toBe(true);
  });
});

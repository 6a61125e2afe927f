import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../src/domain/message.js";
import { checkTrajectory } from "../../src/judge/check-trajectory.js";
import { describeMachine } from "../../src/judge/privacy-rule.js";
import type { Trajectory } from "../../src/judge/trajectory.js";

const tools: Trajectory["tools"] = [
  { name: "get_order", inputSchema: { type: "object", properties: { order_id: { type: "string" } }, required: ["order_id"] } },
  { name: "update_order", inputSchema: { type: "object", properties: { order_id: { type: "string" }, status: { type: "string" }, deliver_on: { type: "string" } }, required: ["order_id"] } },
];

function call(id: string, name: string, args: Record<string, unknown>): ChatMessage {
  return { role: "assistant", content: null, tool_calls: [{ id, type: "function", function: { name, arguments: JSON.stringify(args) } }] };
}

const order = { id: "ORD-58036", status: "pending", customer: "Zara Ahmed", city: "Osaka", total: 89.9, placed_on: "2026-01-04" };
const updated = { ...order, status: "paid" };

/** A clean look-up and change: the user gives the id, the agent reads, changes and reports what the results say. */
function cleanMessages(answer = "All set: order ORD-58036 for Zara Ahmed in Osaka now has status paid (total 89.9, placed on 2026-01-04)."): ChatMessage[] {
  return [
    { role: "system", content: "You are the Northwind order assistant." },
    { role: "user", content: "Please mark my order ORD-58036 as paid." },
    call("c1", "get_order", { order_id: "ORD-58036" }),
    { role: "tool", tool_call_id: "c1", content: JSON.stringify(order) },
    call("c2", "update_order", { order_id: "ORD-58036", status: "paid" }),
    { role: "tool", tool_call_id: "c2", content: JSON.stringify(updated) },
    { role: "assistant", content: answer },
  ];
}

function failing(trajectory: Trajectory, machine = {}) {
  const checks = checkTrajectory(trajectory, { machine });
  return { reasons: checks.reasons, failed: [...checks.format, ...checks.rules].filter((check) => !check.passed) };
}

describe("checkTrajectory", () => {
  it("passes a clean trajectory on every rule", () => {
    const result = checkTrajectory({ messages: cleanMessages(), tools, stateChanged: true });
    expect(result.reasons).toEqual([]);
    expect(result.rules.map((check) => check.id)).toEqual(["grounded_claims", "no_success_after_failure", "counts_match", "done_means_done", "ends_with_answer", "no_call_after_stop", "plausible_dates", "no_placeholders", "no_fabricated_ids", "privacy"]);
  });

  it("flags a name, number or id in the answer that no source holds, citing the answer", () => {
    const { reasons, failed } = failing({ messages: cleanMessages("All set: order ORD-58036 for Zara Ahmed in Kyoto now has status paid (total 98.9)."), tools });
    expect(reasons).toEqual(["ungrounded_claim"]);
    expect(failed[0]?.detail).toContain('name "Kyoto"');
    expect(failed[0]?.detail).toContain('number "98.9"');
    expect(failed[0]?.evidence?.[0]?.message).toBe(6);
  });

  it("flags success reported after an error the agent never recovered from, and accepts an answer that admits it", () => {
    const messages = cleanMessages();
    messages[5] = { role: "tool", tool_call_id: "c2", content: JSON.stringify({ error: "internal_error", message: "failed" }) };
    expect(failing({ messages, tools }).reasons).toEqual(expect.arrayContaining(["success_after_failure", "unperformed_change"]));
    messages[6] = { role: "assistant", content: "Sorry, the change of order ORD-58036 failed; please try again later." };
    expect(failing({ messages, tools }).reasons).toEqual([]);
  });

  it("takes the recorded outcome of a call over its text", () => {
    const outcomes = new Map([["c2", "fault" as const]]);
    expect(failing({ messages: cleanMessages(), tools, outcomes }).reasons).toContain("success_after_failure");
  });

  it("flags a count the trajectory does not have, and accepts the right one", () => {
    expect(failing({ messages: cleanMessages("I tried 3 times; order ORD-58036 now has status paid."), tools }).reasons).toEqual(["count_mismatch"]);
    expect(failing({ messages: cleanMessages("I tried once and order ORD-58036 now has status paid."), tools }).reasons).toEqual([]);
  });

  it("flags a change claimed with no call that made it, and one the world state does not show", () => {
    const readOnly = cleanMessages().filter((_, index) => index !== 4 && index !== 5);
    expect(failing({ messages: readOnly, tools }).reasons).toEqual(["unperformed_change"]);
    const verification = { applicable: true, stateMatches: false, missingFacts: [], diff: [] };
    expect(failing({ messages: cleanMessages(), tools, stateChanged: false, verification }).reasons).toContain("unperformed_change");
  });

  it("flags an open question at the end but not a courtesy question", () => {
    expect(failing({ messages: cleanMessages("Shall I change order ORD-58036 to paid?"), tools }).reasons).toContain("ends_with_open_question");
    expect(failing({ messages: cleanMessages("Order ORD-58036 now has status paid. Anything else I can help with?"), tools }).reasons).toEqual([]);
  });

  it("flags a tool call after the user said stop", () => {
    const messages: ChatMessage[] = [...cleanMessages(), { role: "user", content: "That's all, thanks." }, call("c3", "get_order", { order_id: "ORD-58036" }), { role: "tool", tool_call_id: "c3", content: JSON.stringify(updated) }, { role: "assistant", content: "Goodbye." }];
    expect(failing({ messages, tools }).reasons).toEqual(["call_after_stop"]);
  });

  it("flags impossible dates, placeholders and ids nobody gave, each with the call as evidence", () => {
    const messages = cleanMessages();
    messages[4] = call("c2", "update_order", { order_id: "ORD-99999", status: "<status>", deliver_on: "6083-64-34" });
    const { reasons, failed } = failing({ messages, tools });
    expect(reasons).toEqual(expect.arrayContaining(["impossible_date", "placeholder_argument", "fabricated_id"]));
    expect(failed.find((check) => check.reason === "impossible_date")?.evidence).toEqual([{ message: 4, text: "update_order.deliver_on = 6083-64-34" }]);
    messages[4] = call("c2", "update_order", { order_id: "ORD-58036", deliver_on: "2024-02-29T23:59:00Z" });
    expect(failing({ messages, tools }).reasons).toEqual([]);
  });

  it("flags the machine's paths, user name and secrets in any message", () => {
    const machine = describeMachine({ homeDirectory: "/home/dana", userName: "dana", directories: ["/srv/work/data"], env: { OPENAI_API_KEY: "sk-test-abcdefghijklmnop", LANG: "en_US.UTF-8" } });
    expect(machine.secrets).toEqual(["sk-test-abcdefghijklmnop"]);
    const leak = (text: string): string[] => failing({ messages: cleanMessages(`Order ORD-58036 now has status paid. ${text}`), tools }, machine).reasons;
    expect(leak("Saved to /srv/work/data/receipts/1.txt.")).toEqual(expect.arrayContaining(["private_data_leak"]));
    expect(leak("Your key is sk-test-abcdefghijklmnop.")).toEqual(expect.arrayContaining(["private_data_leak"]));
    expect(leak("See C:\\Users\\someone\\notes.txt")).toEqual(expect.arrayContaining(["private_data_leak"]));
    expect(leak("Files live under /sandbox/notes.")).not.toContain("private_data_leak");
    expect(leak("Dana will be glad.")).not.toContain("private_data_leak");
  });

  it("adds final_state_matches when the trajectory was verified against a blueprint", () => {
    const verification = { applicable: true, stateMatches: false, missingFacts: [], diff: [{ path: ["entities", "order", "ORD-58036", "status"], expected: "paid", actual: "pending" }] };
    expect(failing({ messages: cleanMessages(), tools, verification, stateChanged: true }).reasons).toEqual(["world_state_mismatch"]);
  });
});

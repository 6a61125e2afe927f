import { beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../../../src/domain/common.js";
import type { ChatMessage } from "../../../../src/domain/message.js";
import { toFunctionTool, type FunctionTool } from "../../../../src/domain/tool.js";
import type { ModelResponse } from "../../../../src/model/language-model.js";
import { createOfflineModel } from "../../../../src/model/providers/offline/offline-model.js";
import { ToolSynthesisOutputSchema } from "../../../../src/model/request-context.js";
import { buildFailureResult, degradeContent } from "../../../../src/simulate/faults.js";
import { ask, findDomain } from "./offline-fixtures.js";

const model = createOfflineModel({ seed: 12 });
const SYSTEM = "You are the Northwind Orders Assistant. Look orders up before changing them. Always confirm with the customer before you change or cancel anything, and go ahead only after a clear yes.";
const ORDER = { id: "ORD-10442", status: "packed", customer_email: "ana.lima@example.com", total_amount: 89.9, item_count: 2, shipping_city: "Leeds" };
const LOOKUP = '{"order_id":"ORD-10442"}';
let tools: FunctionTool[];

beforeAll(async () => {
  tools = (await ask(model, "tool-synthesis", ToolSynthesisOutputSchema, { purpose: "tool-synthesis", domain: findDomain("online_orders"), count: 10, existingToolNames: [] })).tools.map(toFunctionTool);
});

const opening: ChatMessage[] = [
  { role: "system", content: SYSTEM },
  { role: "user", content: "Hi! Could you look up my order and tell me its current status?" },
  { role: "assistant", content: "Could you give me your order ID?" },
  { role: "user", content: "It's ORD-10442." },
];
const lookUp = (id: string): ChatMessage => ({ role: "assistant", content: null, tool_calls: [{ id, type: "function", function: { name: "get_order", arguments: LOOKUP } }] });
const answer = (id: string, content: string): ChatMessage => ({ role: "tool", tool_call_id: id, content });

function agentTurn(messages: ChatMessage[]): Promise<ModelResponse> {
  return model.generate({ purpose: "agent-turn", messages, tools, parallelToolCalls: true, seed: 3 });
}

function callsOf(response: ModelResponse): string[] {
  return response.toolCalls.map((call) => `${call.function.name}${call.function.arguments}`);
}

describe("the offline agent recovers from injected faults", () => {
  it("retries a timeout or a rate limit once, then tells the user about a persistent failure", async () => {
    for (const kind of ["timeout", "rate_limit", "error"] as const) {
      const failure = JSON.stringify(buildFailureResult(kind, "get_order", 1, 0));
      const retried = await agentTurn([...opening, lookUp("c1"), answer("c1", failure)]);
      expect(callsOf(retried), kind).toEqual([`get_order${LOOKUP}`]);
      expect(retried.content, kind).toBeTruthy();
      const gaveUp = await agentTurn([...opening, lookUp("c1"), answer("c1", failure), lookUp("c2"), answer("c2", failure)]);
      expect(gaveUp.toolCalls, kind).toEqual([]);
      expect(gaveUp.content, kind).toMatch(/try again (a little )?later/i);
    }
  });

  it("looks again after an empty answer, and fetches a cut-short answer once more", async () => {
    const empty = degradeContent("empty", JSON.stringify(ORDER));
    const retried = await agentTurn([...opening, lookUp("c1"), answer("c1", empty)]);
    expect(callsOf(retried)).toEqual([`get_order${LOOKUP}`]);
    const partial = degradeContent("partial", JSON.stringify(ORDER));
    const refetched = await agentTurn([...opening, lookUp("c1"), answer("c1", partial)]);
    expect(callsOf(refetched)).toEqual([`get_order${LOOKUP}`]);
    expect(refetched.content).toMatch(/incomplete|part of the data/i);
    const summary = await agentTurn([...opening, lookUp("c1"), answer("c1", partial), lookUp("c2"), answer("c2", JSON.stringify(ORDER))]);
    expect(summary.toolCalls).toEqual([]);
    expect(summary.content).toContain("ORD-10442");
    expect(summary.content).not.toMatch(/truncated|part of the data/i);
    const stillPartial = await agentTurn([...opening, lookUp("c1"), answer("c1", partial), lookUp("c2"), answer("c2", partial)]);
    expect(stillPartial.toolCalls).toEqual([]);
    expect(stillPartial.content).toMatch(/only part of the data/);
  });

  it("does not repeat a change whose answer came back empty", async () => {
    const cancel: ChatMessage = { role: "assistant", content: null, tool_calls: [{ id: "c2", type: "function", function: { name: "cancel_order", arguments: LOOKUP } }] };
    const confirmed: ChatMessage[] = [
      { role: "system", content: SYSTEM },
      { role: "user", content: "Please cancel my order ORD-10442." },
      lookUp("c1"),
      answer("c1", JSON.stringify(ORDER)),
      { role: "assistant", content: "Just to confirm: I'll cancel order ORD-10442. Shall I go ahead?" },
      { role: "user", content: "Yes, go ahead." },
      cancel,
      answer("c2", "{}"),
    ];
    const response = await agentTurn(confirmed);
    expect(response.toolCalls).toEqual([]);
    expect(response.content).toMatch(/can't confirm/);
  });
});

describe("the offline tool world and recorded real calls", () => {
  it("answers with the recorded result when the arguments match, and in the recording's shape otherwise", async () => {
    const spec = { name: "lookup_weather", description: "Look up the weather for a city.", inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } };
    const examples = [{ tool: "lookup_weather", arguments: { city: "Oslo" }, result: { city: "Oslo", temperature_c: -3, sky: "snow" } }];
    const { ToolSimulationOutputSchema } = await import("../../../../src/model/request-context.js");
    const same = await ask(model, "tool-simulation", ToolSimulationOutputSchema, { purpose: "tool-simulation", tool: spec, arguments: { city: "Oslo" }, state: {}, history: [], examples });
    expect(same).toEqual({ result: examples[0]?.result, isError: false, stateUpdate: [] });
    const other = await ask(model, "tool-simulation", ToolSimulationOutputSchema, { purpose: "tool-simulation", tool: spec, arguments: { city: "Lima" }, state: {}, history: [], examples });
    expect(other.result as JsonObject).toEqual({ city: "Lima", temperature_c: -3, sky: "snow" });
  });
});

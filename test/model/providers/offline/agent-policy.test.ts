import { beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../../../src/domain/common.js";
import type { ChatMessage } from "../../../../src/domain/message.js";
import { toFunctionTool, type FunctionTool, type ToolSpec } from "../../../../src/domain/tool.js";
import type { ModelResponse } from "../../../../src/model/language-model.js";
import { createOfflineModel } from "../../../../src/model/providers/offline/offline-model.js";
import { ToolSynthesisOutputSchema } from "../../../../src/model/request-context.js";
import { validateJsonSchema } from "../../../../src/support/json-schema.js";
import { ask, findDomain } from "./offline-fixtures.js";

const model = createOfflineModel({ seed: 12 });
const CONFIRMING = "You are the Northwind Orders Assistant. Look orders up before changing them. Always confirm with the customer before you change or cancel anything, and go ahead only after a clear yes.";
const DIRECT = "You are the Northwind Orders Assistant. You may carry out a requested change as soon as you have the details it needs; no extra confirmation step is required.";
const ORDER = { id: "ORD-10442", status: "packed", customer_email: "ana.lima@example.com", total_amount: 89.9, item_count: 2, shipping_city: "Leeds", placed_on: "2026-02-20", express_shipping: false };

let specs: ToolSpec[];
let tools: FunctionTool[];

beforeAll(async () => {
  specs = (await ask(model, "tool-synthesis", ToolSynthesisOutputSchema, { purpose: "tool-synthesis", domain: findDomain("online_orders"), count: 10, existingToolNames: [] })).tools;
  tools = specs.map(toFunctionTool);
});

function agentTurn(messages: ChatMessage[], options: { parallel?: boolean; tools?: FunctionTool[] } = {}): Promise<ModelResponse> {
  return model.generate({ purpose: "agent-turn", messages, tools: options.tools ?? tools, parallelToolCalls: options.parallel ?? true, seed: 7 });
}

function call(id: string, name: string, args: JsonObject): ChatMessage {
  return { role: "assistant", content: null, tool_calls: [{ id, type: "function", function: { name, arguments: JSON.stringify(args) } }] };
}

function result(id: string, value: unknown): ChatMessage {
  return { role: "tool", tool_call_id: id, content: JSON.stringify(value) };
}

function expectValidCalls(response: ModelResponse): void {
  for (const toolCall of response.toolCalls) {
    const spec = specs.find((tool) => tool.name === toolCall.function.name);
    expect(spec, toolCall.function.name).toBeDefined();
    expect(validateJsonSchema(spec?.inputSchema ?? {}, JSON.parse(toolCall.function.arguments)).valid).toBe(true);
  }
}

const request: ChatMessage = { role: "user", content: "Hi! Please change the status of my order to shipped." };

describe("agent policy", () => {
  it("asks for the id it needs instead of guessing", async () => {
    const response = await agentTurn([{ role: "system", content: CONFIRMING }, request]);
    expect(response.toolCalls).toEqual([]);
    expect(response.finishReason).toBe("stop");
    expect(response.content).toMatch(/order ID/);
    expect(response.content).toContain("?");
  });

  it("looks the record up first with the id the user gave", async () => {
    const response = await agentTurn([{ role: "system", content: CONFIRMING }, request, { role: "assistant", content: "Could you give me your order ID?" }, { role: "user", content: "It's ORD-10442." }]);
    expect(response.finishReason).toBe("tool_calls");
    expect(response.toolCalls.map((toolCall) => [toolCall.function.name, JSON.parse(toolCall.function.arguments)])).toEqual([["get_order", { order_id: "ORD-10442" }]]);
    expectValidCalls(response);
  });

  const afterLookup: ChatMessage[] = [
    request,
    { role: "assistant", content: "Could you give me your order ID?" },
    { role: "user", content: "It's ORD-10442." },
    call("call_aaaaaaaaaaaa", "get_order", { order_id: "ORD-10442" }),
    result("call_aaaaaaaaaaaa", ORDER),
  ];

  it("asks for confirmation before a write when its prompt says so, then acts on a yes", async () => {
    const confirm = await agentTurn([{ role: "system", content: CONFIRMING }, ...afterLookup]);
    expect(confirm.toolCalls).toEqual([]);
    expect(confirm.content).toMatch(/ORD-10442/);
    expect(confirm.content).toMatch(/from packed to shipped/);
    expect(confirm.content).toMatch(/\?$/);
    const act = await agentTurn([{ role: "system", content: CONFIRMING }, ...afterLookup, { role: "assistant", content: confirm.content }, { role: "user", content: "Yes, go ahead." }]);
    expect(act.toolCalls.map((toolCall) => [toolCall.function.name, JSON.parse(toolCall.function.arguments)])).toEqual([["update_order_status", { order_id: "ORD-10442", status: "shipped" }]]);
    const decline = await agentTurn([{ role: "system", content: CONFIRMING }, ...afterLookup, { role: "assistant", content: confirm.content }, { role: "user", content: "No, don't do that." }]);
    expect(decline.toolCalls).toEqual([]);
    expect(decline.content).toMatch(/won't|left everything/);
  });

  it("writes straight away when no confirmation is required, and summarises the actual result", async () => {
    const act = await agentTurn([{ role: "system", content: DIRECT }, ...afterLookup]);
    expect(act.toolCalls[0]?.function.name).toBe("update_order_status");
    const id = act.toolCalls[0]?.id ?? "";
    const summary = await agentTurn([{ role: "system", content: DIRECT }, ...afterLookup, { role: "assistant", content: null, tool_calls: act.toolCalls }, result(id, { ...ORDER, status: "shipped" })]);
    expect(summary.finishReason).toBe("stop");
    expect(summary.toolCalls).toEqual([]);
    expect(summary.content).toContain("ORD-10442");
    expect(summary.content).toContain("shipped");
  });

  it("runs independent look-ups in parallel, or one at a time when told to", async () => {
    const messages: ChatMessage[] = [
      { role: "system", content: DIRECT },
      { role: "user", content: "I have two orders. Could you compare them and tell me the status of each?" },
      { role: "assistant", content: "Sure — could you give me both order IDs?" },
      { role: "user", content: "My first order number is ORD-10442. My second order number is ORD-20871." },
    ];
    const parallel = await agentTurn(messages);
    expect(parallel.toolCalls.map((toolCall) => JSON.parse(toolCall.function.arguments))).toEqual([{ order_id: "ORD-10442" }, { order_id: "ORD-20871" }]);
    expect(new Set(parallel.toolCalls.map((toolCall) => toolCall.id)).size).toBe(2);
    const sequential = await agentTurn(messages, { parallel: false });
    expect(sequential.toolCalls).toHaveLength(1);
  });

  it("searches first when the user lost the id, then opens the record the search found", async () => {
    const messages: ChatMessage[] = [
      { role: "system", content: DIRECT },
      { role: "user", content: "I can't find my order number, but I know the email address I used. What's the status of my order?" },
    ];
    const ask = await agentTurn(messages);
    expect(ask.content).toMatch(/email/);
    const withEmail: ChatMessage[] = [...messages, { role: "assistant", content: ask.content }, { role: "user", content: "The email address I used is ana.lima@example.com." }];
    const search = await agentTurn(withEmail);
    expect(search.toolCalls.map((toolCall) => [toolCall.function.name, JSON.parse(toolCall.function.arguments)])).toEqual([["search_orders", { customer_email: "ana.lima@example.com" }]]);
    const id = search.toolCalls[0]?.id ?? "";
    const get = await agentTurn([...withEmail, { role: "assistant", content: null, tool_calls: search.toolCalls }, result(id, { results: [ORDER], total: 1 })]);
    expect(get.toolCalls.map((toolCall) => JSON.parse(toolCall.function.arguments))).toEqual([{ order_id: "ORD-10442" }]);
  });

  it("retries a failed call once, then explains the failure", async () => {
    const base: ChatMessage[] = [{ role: "system", content: DIRECT }, request, { role: "user", content: "It's ORD-10442." }, call("call_bbbbbbbbbbbb", "get_order", { order_id: "ORD-10442" }), result("call_bbbbbbbbbbbb", { error: "timeout", message: "The service timed out." })];
    const retry = await agentTurn(base);
    expect(retry.toolCalls.map((toolCall) => JSON.parse(toolCall.function.arguments))).toEqual([{ order_id: "ORD-10442" }]);
    expect(retry.toolCalls[0]?.id).not.toBe("call_bbbbbbbbbbbb");
    const giveUp = await agentTurn([...base, call("call_cccccccccccc", "get_order", { order_id: "ORD-10442" }), result("call_cccccccccccc", { error: "timeout", message: "The service timed out." })]);
    expect(giveUp.toolCalls).toEqual([]);
    expect(giveUp.content).toMatch(/timed out/);
    expect(giveUp.content).toMatch(/sorry|unfortunately/i);
  });

  it("asks the user to double-check an id the system does not know", async () => {
    const response = await agentTurn([{ role: "system", content: DIRECT }, request, { role: "user", content: "It's ORD-99999." }, call("call_dddddddddddd", "get_order", { order_id: "ORD-99999" }), result("call_dddddddddddd", { error: "not_found", message: "No order with ID ORD-99999 exists." })]);
    expect(response.toolCalls).toEqual([]);
    expect(response.content).toMatch(/ORD-99999/);
    expect(response.content).toMatch(/\?/);
  });

  it("never calls a tool it was not given", async () => {
    const onlyReads = tools.filter((tool) => tool.function.name.startsWith("get_") || tool.function.name.startsWith("search_"));
    const response = await agentTurn([{ role: "system", content: DIRECT }, request, { role: "user", content: "It's ORD-10442." }], { tools: onlyReads });
    for (const toolCall of response.toolCalls) expect(onlyReads.map((tool) => tool.function.name)).toContain(toolCall.function.name);
  });

  it("answers in text when it has no tools", async () => {
    const response = await model.generate({ purpose: "agent-turn", messages: [{ role: "system", content: DIRECT }, request] });
    expect(response.toolCalls).toEqual([]);
    expect(response.content).toMatch(/change the status of my order/);
  });
});

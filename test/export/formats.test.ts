import { describe, expect, it } from "vitest";
import { toExportRecord } from "../../src/export/export-record.js";
import { toHfRecord } from "../../src/export/hf-format.js";
import { toOpenAIRecord } from "../../src/export/openai-format.js";
import { toShareGptRecord } from "../../src/export/sharegpt-format.js";
import { toTemplateInput } from "../../src/export/template-input.js";
import { checkHfRecord } from "../helpers/check-hf-record.js";
import { checkOpenAIRecord } from "../helpers/check-openai-record.js";
import { checkShareGptRecord } from "../helpers/check-sharegpt-record.js";
import { makeEpisode, ORDER_CONVERSATION, ORDER_TOOLS } from "../helpers/records.js";
import { expectEveryTemplateRenders, renderTemplate } from "../helpers/render-templates.js";
import { FIXTURE_TEMPLATES } from "../helpers/test-data.js";

// Rendering through the official chat templates: formats.shared.test.ts.
const tools = ORDER_TOOLS;
const call = (id: string, name: string, args: string) => ({ id, type: "function" as const, function: { name, arguments: args } });
const messages = ORDER_CONVERSATION;
const episode = makeEpisode(messages);
const all = { includeSystemPrompt: true, includeReasoning: true, kimiToolCallIds: false };
const render = (templateFile: string, input: { messages: unknown[]; tools: unknown[] }): string => renderTemplate(FIXTURE_TEMPLATES, templateFile, input);

describe("openai format", () => {
  it("passes the independent check, cut after the last answer, reasoning only when asked", () => {
    const record = toOpenAIRecord(episode, tools, { includeSystemPrompt: true });
    expect(checkOpenAIRecord(record)).toEqual([]);
    expect(record.messages).toHaveLength(10);
    expect(JSON.stringify(record)).not.toContain("reasoning_content");
    const withReasoning = toOpenAIRecord(episode, tools, all);
    expect(withReasoning.messages[2]).toMatchObject({ role: "assistant", reasoning_content: "two look-ups at once" });
    expect(checkOpenAIRecord(withReasoning)).toEqual([]);
  });
});

describe("Kimi-style tool-call ids", () => {
  const record = toOpenAIRecord(episode, tools, { includeSystemPrompt: true, kimiToolCallIds: true });

  it("number every call across the conversation and rewrite the tool messages to match", () => {
    const ids = record.messages.flatMap((message) => (message.role === "assistant" ? (message.tool_calls ?? []).map((c) => c.id) : []));
    expect(ids).toEqual(["functions.get_order:0", "functions.get_order:1", "functions.cancel_order:2"]);
    const answered = record.messages.flatMap((message) => (message.role === "tool" ? [message.tool_call_id] : []));
    expect(answered).toEqual(ids);
    expect(checkOpenAIRecord(record)).toEqual([]);
  });

  it("survive a chat template that writes every call with its id and heads each result with the id it answers", () => {
    const text = render("numbered-calls.jinja", record);
    expect(text).toContain("<|call|>functions.get_order:0<|arguments|>");
    expect(text).toContain("<|call|>functions.get_order:1<|arguments|>");
    expect(text).toContain("## Result of functions.cancel_order:2");
  });

  it("survive the hf format too", () => {
    const text = render("numbered-calls.jinja", toHfRecord(episode, tools, { includeSystemPrompt: true, kimiToolCallIds: true }));
    expect(text).toContain("functions.get_order:0");
    expect(text).toContain("## Result of functions.get_order:1");
  });
});

describe("Mistral-style tool-call ids", () => {
  const record = toOpenAIRecord(episode, tools, { includeSystemPrompt: true, callIdStyle: "mistral" });
  const ids = record.messages.flatMap((message) => (message.role === "assistant" ? (message.tool_calls ?? []).map((c) => c.id) : []));

  it("are 9 alphanumeric characters, distinct, answered by the tool messages, the same on every export", () => {
    expect(ids).toHaveLength(3);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9]{9}$/);
    expect(new Set(ids).size).toBe(3);
    expect(record.messages.flatMap((message) => (message.role === "tool" ? [message.tool_call_id] : []))).toEqual(ids);
    expect(checkOpenAIRecord(record)).toEqual([]);
    expect(toOpenAIRecord(episode, tools, { includeSystemPrompt: true, callIdStyle: "mistral" })).toEqual(record);
  });

  it("win over kimiToolCallIds; the openai style keeps the ids as generated", () => {
    expect(toOpenAIRecord(episode, tools, { includeSystemPrompt: true, kimiToolCallIds: true, callIdStyle: "mistral" })).toEqual(record);
    const generated = toOpenAIRecord(episode, tools, { includeSystemPrompt: true, callIdStyle: "openai" });
    expect(generated.messages.flatMap((message) => (message.role === "assistant" ? (message.tool_calls ?? []).map((c) => c.id) : []))).toEqual(["c1", "c2", "c3"]);
  });
});

describe("hf format", () => {
  const record = toHfRecord(episode, tools, all);

  it("names the tool on every tool message (as Hermes-style templates read it)", () => {
    const results = record.messages.filter((message) => message.role === "tool");
    expect(results.map((message) => [message.tool_call_id, "name" in message ? message.name : undefined])).toEqual([["c1", "get_order"], ["c2", "get_order"], ["c3", "cancel_order"]]);
    const kimi = toHfRecord(episode, tools, { includeSystemPrompt: true, callIdStyle: "kimi" });
    expect(kimi.messages.filter((message) => message.role === "tool").map((message) => ("name" in message ? message.name : undefined))).toEqual(["get_order", "get_order", "cancel_order"]);
  });

  it("has messages and tools columns with tool-call arguments as objects", () => {
    expect(Object.keys(record).sort()).toEqual(["messages", "tools"]);
    expect(record.messages[2]).toMatchObject({ role: "assistant", content: "Looking both up.", tool_calls: [{ id: "c1", function: { name: "get_order", arguments: { order_id: "ORD-1001" } } }, { id: "c2" }] });
    expect(record.messages[7]).toMatchObject({ role: "assistant", content: "" });
    expect(checkHfRecord(record)).toEqual([]);
  });

  it("renders through our chat templates, arguments as objects", () => {
    expectEveryTemplateRenders(FIXTURE_TEMPLATES, record);
    expect(render("tagged-calls.jinja", record)).toContain('<call>{"name": "get_order", "arguments": {"order_id": "ORD-1001"}}</call>');
  });

  it("refuses arguments that are not a JSON object", () => {
    const broken = makeEpisode([...messages.slice(0, 2), { role: "assistant", content: null, tool_calls: [call("x", "get_order", "not json")] }, { role: "tool", tool_call_id: "x", content: "{}" }, { role: "assistant", content: "done" }]);
    expect(() => toHfRecord(broken, tools, all)).toThrow(/not JSON/);
  });
});

describe("sharegpt format", () => {
  const record = toShareGptRecord(episode, tools, all);

  it("maps roles the LLaMA-Factory way and passes the independent check", () => {
    expect(record.conversations.map((turn) => turn.from)).toEqual(["system", "human", "function_call", "observation", "gpt", "human", "function_call", "observation", "gpt"]);
    expect(checkShareGptRecord(record)).toEqual([]);
  });

  it("writes parallel calls as a list, one call as an object, results joined, tools as a JSON string", () => {
    const [, , parallel, results, answer, , single] = record.conversations;
    expect(parallel?.value).toBe('<think>\ntwo look-ups at once\n</think>\n\n[{"name":"get_order","arguments":{"order_id":"ORD-1001"}},{"name":"get_order","arguments":{"order_id":"ORD-1002"}}]');
    expect(results?.value).toBe('{"id":"ORD-1001","status":"shipped"}\n</tool_response>\n<tool_response>\n{"id":"ORD-1002","status":"pending"}');
    expect(answer?.value).toBe("<think>\nsummarize\n</think>\n\nORD-1001 has shipped; ORD-1002 is pending.");
    expect(JSON.parse(single?.value ?? "")).toEqual({ name: "cancel_order", arguments: { order_id: "ORD-1002" } });
    expect(JSON.parse(record.tools)).toEqual(tools.map((tool) => ({ name: tool.name, description: tool.description, parameters: tool.inputSchema })));
  });

  it("drops the system turn when asked and still alternates", () => {
    const withoutSystem = toShareGptRecord(episode, tools, { includeSystemPrompt: false });
    expect(withoutSystem.conversations[0]?.from).toBe("human");
    expect(JSON.stringify(withoutSystem)).not.toContain("<think>");
    expect(checkShareGptRecord(withoutSystem)).toEqual([]);
  });

  it("reads back into chat-template input that renders through our chat templates", () => {
    const input = toTemplateInput("sharegpt", JSON.parse(JSON.stringify(record)));
    expect(input.messages).toHaveLength(10);
    expect(input.messages[3]).toEqual({ role: "tool", tool_call_id: "call_0", content: '{"id":"ORD-1001","status":"shipped"}' });
    expectEveryTemplateRenders(FIXTURE_TEMPLATES, input);
  });
});

describe("every format", () => {
  it.each(["openai", "hf", "sharegpt"] as const)("%s drops the system prompt when asked", (format) => {
    const text = JSON.stringify(toExportRecord(format, episode, tools, { includeSystemPrompt: false }));
    expect(text).not.toContain("You are the orders assistant.");
    expect(JSON.stringify(toExportRecord(format, episode, tools, { includeSystemPrompt: true }))).toContain("You are the orders assistant.");
  });
});

describe("the independent checks catch broken records", () => {
  it("hf: arguments left as JSON strings", () => {
    const record = toHfRecord(episode, tools, all);
    const stringly = { ...record, messages: record.messages.map((m) => (m.role === "assistant" && m.tool_calls ? { ...m, tool_calls: m.tool_calls.map((c) => ({ ...c, function: { ...c.function, arguments: JSON.stringify(c.function.arguments) } })) } : m)) };
    expect(checkHfRecord(stringly)).toEqual(expect.arrayContaining([expect.stringContaining("are not an object")]));
  });

  it("sharegpt: broken alternation, an undeclared tool, a missing result", () => {
    const record = toShareGptRecord(episode, tools, all);
    const swapped = { ...record, conversations: [record.conversations[0], record.conversations[2], record.conversations[1], ...record.conversations.slice(3)] };
    expect(checkShareGptRecord(swapped).join("\n")).toMatch(/turn 0 is "function_call"/);
    const undeclared = { ...record, tools: JSON.stringify([]) };
    expect(checkShareGptRecord(undeclared).join("\n")).toMatch(/undeclared tool get_order/);
    const oneResult = { ...record, conversations: record.conversations.map((turn, index) => (index === 3 ? { ...turn, value: "{}" } : turn)) };
    expect(checkShareGptRecord(oneResult).join("\n")).toMatch(/1 result\(s\) for 2 call\(s\)/);
  });
});

import { SCHEMA_VERSION } from "../../src/domain/common.js";
import type { AgentRecord } from "../../src/domain/agent.js";
import type { EpisodeRecord } from "../../src/domain/episode.js";
import type { ChatMessage } from "../../src/domain/message.js";
import type { TaskRecord } from "../../src/domain/task.js";
import type { ToolRecord } from "../../src/domain/tool.js";

const CREATED = "2026-01-01T00:00:00.000Z";
const base = (id: string) => ({ id, createdAt: CREATED, schemaVersion: SCHEMA_VERSION, provenance: { source: "test", models: {}, promptHashes: [] as string[] } });

export function makeTool(name: string, overrides: Partial<ToolRecord> = {}): ToolRecord {
  return {
    ...base(`tool_${name}`),
    kind: "tool",
    name,
    description: `The ${name} tool.`,
    inputSchema: { type: "object", properties: { order_id: { type: "string", pattern: "^ORD-\\d+$" } }, required: ["order_id"], additionalProperties: false },
    outputSchema: { type: "object", properties: { id: { type: "string" }, status: { type: "string" } }, required: ["id"] },
    annotations: { readOnlyHint: name.startsWith("get") },
    source: "synthetic",
    origin: { originalName: name },
    stale: false,
    ...overrides,
  };
}

export function makeAgent(tools: readonly ToolRecord[], overrides: Partial<AgentRecord> = {}): AgentRecord {
  return {
    ...base("agt_1"),
    kind: "agent",
    name: "Orders Assistant",
    domainIds: [],
    rules: [],
    systemPrompt: "You are the orders assistant of Northwind. Use the tools to look orders up and change them.",
    toolIds: tools.map((tool) => tool.id),
    behavior: { confirmBeforeWrite: true, verbosity: "normal", parallelToolCalls: true },
    ...overrides,
  };
}

export function makeTask(agent: AgentRecord, overrides: Partial<TaskRecord> = {}): TaskRecord {
  return {
    ...base("tsk_1"),
    kind: "task",
    agentId: agent.id,
    goal: "Find out where my order is and cancel it.",
    persona: { name: "Ana", style: "brief", expertise: "novice", language: "en", patience: "medium" },
    hiddenFacts: [{ key: "order_id", value: "ORD-1001", description: "your order number" }],
    initialState: { entities: { order: { "ORD-1001": { id: "ORD-1001", status: "shipped" } } } },
    difficulty: "easy",
    expectedTools: ["get_order", "cancel_order"],
    rubric: {
      passThreshold: 0.7,
      criteria: [
        { id: "cancelled", kind: "rule", description: "cancel_order was called for ORD-1001", weight: 1, required: true, check: { type: "tool_called", tool: "cancel_order", args: { order_id: "ORD-1001" }, min: 1 } },
        { id: "helpful", kind: "llm", description: "The assistant told the user the outcome.", weight: 1, required: false },
      ],
    },
    ...overrides,
  };
}

export function makeEpisode(messages: ChatMessage[], overrides: Partial<EpisodeRecord> = {}): EpisodeRecord {
  return {
    ...base("ep_1"),
    kind: "episode",
    taskId: "tsk_1",
    agentId: "agt_1",
    index: 0,
    seed: 1,
    toolIds: ["tool_get_order", "tool_cancel_order"],
    messages,
    steps: messages.map((message, index) => ({ index, actor: message.role === "user" ? "user_simulator" : message.role === "tool" ? "tool_executor" : message.role === "system" ? "system" : "agent", latencyMs: 0, labels: [] })),
    worldState: { initial: {}, final: {} },
    status: "completed",
    endReason: "user_stop",
    labels: [],
    contextCuts: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    ...overrides,
  };
}

const callOf = (id: string, name: string, args: string) => ({ id, type: "function" as const, function: { name, arguments: args } });

/** An order desk's tools, and a conversation with them: parallel calls, reasoning, a second request and a last user turn. */
export const ORDER_TOOLS = [makeTool("get_order"), makeTool("cancel_order")];
export const ORDER_CONVERSATION: ChatMessage[] = [
  { role: "system", content: "You are the orders assistant." },
  { role: "user", content: "Where are ORD-1001 and ORD-1002?" },
  { role: "assistant", content: "Looking both up.", tool_calls: [callOf("c1", "get_order", '{"order_id":"ORD-1001"}'), callOf("c2", "get_order", '{"order_id":"ORD-1002"}')], reasoning_content: "two look-ups at once" },
  { role: "tool", tool_call_id: "c1", content: '{"id":"ORD-1001","status":"shipped"}' },
  { role: "tool", tool_call_id: "c2", content: '{"id":"ORD-1002","status":"pending"}' },
  { role: "assistant", content: "ORD-1001 has shipped; ORD-1002 is pending.", reasoning_content: "summarize" },
  { role: "user", content: "Cancel ORD-1002." },
  { role: "assistant", content: null, tool_calls: [callOf("c3", "cancel_order", '{"order_id":"ORD-1002"}')] },
  { role: "tool", tool_call_id: "c3", content: '{"id":"ORD-1002","status":"cancelled"}' },
  { role: "assistant", content: "ORD-1002 is cancelled." },
  { role: "user", content: "thanks" },
];

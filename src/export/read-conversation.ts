import type { ExportFormat } from "../domain/config.js";
import type { ChatMessage, ToolCall } from "../domain/message.js";
import type { ToolSpec } from "../domain/tool.js";
import { isObject } from "../support/is-object.js";
import { toTemplateInput } from "./template-input.js";

/** A conversation read from a line of a dataset made elsewhere: its messages and the tools it declares. */
export interface ForeignConversation {
  messages: ChatMessage[];
  tools: ToolSpec[];
}

/**
 * Why a line cannot be curated at all: `not_json`, `not_an_object`, `no_messages` (no list of messages, or an
 * empty one), `bad_message` (a message of no known role, or without its content), `tool_message_without_call`
 * (a tool result that answers no earlier call).
 */
export type BadLineReason = "not_json" | "not_an_object" | "no_messages" | "bad_message" | "tool_message_without_call";

export type ReadConversationResult = { ok: true; conversation: ForeignConversation } | { ok: false; reason: BadLineReason; detail: string };

/**
 * Read one JSONL line of a dataset in one of the formats agentsynth exports (and most trainers read): `openai`
 * (`messages` with JSON-string arguments, `tools` as function specs), `hf` (the same with argument objects) or
 * `sharegpt` (LLaMA-Factory's `conversations` of `{from, value}` and `tools` as a JSON string). Tolerant where
 * datasets differ harmlessly (content as a list of text parts, arguments as objects, bare `{name, parameters}`
 * tool specs); a line that holds no conversation is refused with the reason.
 */
export function readConversation(format: ExportFormat, line: string): ReadConversationResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, reason: "not_json", detail: `not JSON: ${(error as Error).message}` };
  }
  if (!isObject(value)) return { ok: false, reason: "not_an_object", detail: `a JSON ${Array.isArray(value) ? "list" : typeof value}, not an object with messages` };
  let raw: { messages: unknown[]; tools: unknown[] };
  if (format === "sharegpt") {
    if (!Array.isArray(value.conversations) || value.conversations.length === 0) return { ok: false, reason: "no_messages", detail: "no `conversations` list (ShareGPT), or an empty one" };
    try {
      raw = toTemplateInput("sharegpt", value);
    } catch (error) {
      return { ok: false, reason: "bad_message", detail: `the ShareGPT turns cannot be read: ${(error as Error).message}` };
    }
  } else {
    if (!Array.isArray(value.messages) || value.messages.length === 0) return { ok: false, reason: "no_messages", detail: "no `messages` list, or an empty one" };
    raw = { messages: value.messages, tools: Array.isArray(value.tools) ? value.tools : [] };
  }
  const messages: ChatMessage[] = [];
  const calls = new Set<string>();
  for (const [index, message] of raw.messages.entries()) {
    const read = readMessage(message);
    if (typeof read === "string") return { ok: false, reason: "bad_message", detail: `message ${index + 1}: ${read}` };
    if (read.role === "assistant") for (const call of read.tool_calls ?? []) calls.add(call.id);
    if (read.role === "tool" && !calls.has(read.tool_call_id)) {
      return { ok: false, reason: "tool_message_without_call", detail: `message ${index + 1} is a tool result for call "${read.tool_call_id}", which no earlier assistant message made` };
    }
    messages.push(read);
  }
  return { ok: true, conversation: { messages, tools: raw.tools.flatMap((tool) => readTool(tool) ?? []) } };
}

/** One message as a ChatMessage, or what is wrong with it. */
function readMessage(message: unknown): ChatMessage | string {
  if (!isObject(message)) return "not an object";
  const content = readContent(message.content);
  switch (message.role) {
    case "system":
    case "user":
      return content === undefined ? `a ${message.role} message without text content` : { role: message.role, content };
    case "assistant": {
      const calls = message.tool_calls === undefined || message.tool_calls === null ? [] : message.tool_calls;
      if (!Array.isArray(calls)) return "tool_calls is not a list";
      const toolCalls: ToolCall[] = [];
      for (const [index, call] of calls.entries()) {
        const read = readToolCall(call);
        if (typeof read === "string") return `tool call ${index + 1}: ${read}`;
        toolCalls.push(read);
      }
      if (content === undefined && toolCalls.length === 0) return "an assistant message with neither text nor tool calls";
      const reasoning = typeof message.reasoning_content === "string" ? { reasoning_content: message.reasoning_content } : {};
      return { role: "assistant", content: content ?? null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}), ...reasoning };
    }
    case "tool":
      if (typeof message.tool_call_id !== "string" || message.tool_call_id === "") return "a tool message without tool_call_id";
      return { role: "tool", tool_call_id: message.tool_call_id, content: content ?? "" };
    default:
      return `unknown role ${JSON.stringify(message.role)}`;
  }
}

/** Text content: a string, or the text of a list of `{type: "text", text}` parts; undefined when there is none. */
function readContent(content: unknown): string | undefined {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return undefined;
  const texts = content.flatMap((part) => (isObject(part) && typeof part.text === "string" ? [part.text] : []));
  return texts.length ? texts.join("\n") : undefined;
}

function readToolCall(call: unknown): ToolCall | string {
  if (!isObject(call) || !isObject(call.function)) return "not a {id, function: {name, arguments}} object";
  const { name } = call.function;
  if (typeof name !== "string" || name === "") return "no function name";
  if (typeof call.id !== "string" || call.id === "") return `the call of ${name} has no id`;
  const args = call.function.arguments;
  return { id: call.id, type: "function", function: { name, arguments: typeof args === "string" ? args : JSON.stringify(args ?? {}) } };
}

/** A tool spec from `{type: "function", function: {name, description, parameters}}` or a bare `{name, description, parameters}`. */
function readTool(tool: unknown): ToolSpec | undefined {
  const spec = isObject(tool) && isObject(tool.function) ? tool.function : tool;
  if (!isObject(spec) || typeof spec.name !== "string" || spec.name === "") return undefined;
  const parameters = isObject(spec.parameters) ? spec.parameters : isObject(spec.inputSchema) ? spec.inputSchema : { type: "object", properties: {} };
  return { name: spec.name, description: typeof spec.description === "string" ? spec.description : "", inputSchema: parameters as ToolSpec["inputSchema"] };
}

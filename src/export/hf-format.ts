import type { JsonObject } from "../domain/common.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { SystemMessage, ToolMessage, UserMessage } from "../domain/message.js";
import { toFunctionTool, type FunctionTool, type ToolSpec } from "../domain/tool.js";
import { prepareConversation, type ExportRecordOptions } from "./conversation.js";
import { parseArgumentsObject } from "./parse-arguments.js";

export interface HfToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: JsonObject };
}

/** A tool message of an HF row: it carries the tool's `name` too (templates such as Hermes' read it). */
export type HfToolMessage = ToolMessage & { name: string };

export type HfMessage = SystemMessage | UserMessage | { role: "assistant"; content: string; tool_calls?: HfToolCall[]; reasoning_content?: string } | HfToolMessage;

/** One row of a Hugging Face chat dataset: `messages` and `tools` columns, as `apply_chat_template` takes them. */
export interface HfChatRecord {
  messages: HfMessage[];
  tools: FunctionTool[];
}

/**
 * An episode as a Hugging Face chat row: like the OpenAI record, but tool-call `arguments` are objects (what
 * chat templates expect), every message has string `content` ("" for a call-only assistant turn), and every tool
 * message names the tool whose result it is.
 */
export function toHfRecord(episode: EpisodeRecord, tools: readonly ToolSpec[], options: ExportRecordOptions): HfChatRecord {
  const toolNames = new Map<string, string>();
  const messages = prepareConversation(episode, options).map((message): HfMessage => {
    if (message.role === "tool") return { role: "tool", tool_call_id: message.tool_call_id, name: toolNames.get(message.tool_call_id) ?? "", content: message.content };
    if (message.role !== "assistant") return message;
    for (const call of message.tool_calls ?? []) toolNames.set(call.id, call.function.name);
    const out: HfMessage = { role: "assistant", content: message.content ?? "" };
    if (message.tool_calls) out.tool_calls = message.tool_calls.map((call) => ({ id: call.id, type: "function", function: { name: call.function.name, arguments: parseArgumentsObject(call) } }));
    if (message.reasoning_content !== undefined) out.reasoning_content = message.reasoning_content;
    return out;
  });
  return { messages, tools: tools.map(toFunctionTool) };
}

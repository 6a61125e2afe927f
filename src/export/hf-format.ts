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

export type HfMessage = SystemMessage | UserMessage | { role: "assistant"; content: string; tool_calls?: HfToolCall[]; reasoning_content?: string } | ToolMessage;

/** One row of a Hugging Face chat dataset: `messages` and `tools` columns, as `apply_chat_template` takes them. */
export interface HfChatRecord {
  messages: HfMessage[];
  tools: FunctionTool[];
}

/**
 * An episode as a Hugging Face chat row: like the OpenAI record, but tool-call `arguments` are objects (what
 * chat templates expect) and every message has string `content` ("" for a call-only assistant turn).
 */
export function toHfRecord(episode: EpisodeRecord, tools: readonly ToolSpec[], options: ExportRecordOptions): HfChatRecord {
  const messages = prepareConversation(episode, options).map((message): HfMessage => {
    if (message.role !== "assistant") return message;
    const out: HfMessage = { role: "assistant", content: message.content ?? "" };
    if (message.tool_calls) out.tool_calls = message.tool_calls.map((call) => ({ id: call.id, type: "function", function: { name: call.function.name, arguments: parseArgumentsObject(call) } }));
    if (message.reasoning_content !== undefined) out.reasoning_content = message.reasoning_content;
    return out;
  });
  return { messages, tools: tools.map(toFunctionTool) };
}

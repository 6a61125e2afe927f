import type { EpisodeRecord } from "../domain/episode.js";
import type { ToolCall } from "../domain/message.js";
import { toFunctionTool, type FunctionTool, type ToolSpec } from "../domain/tool.js";

export type ExportMessage =
  | { role: "system" | "user"; content: string }
  | { role: "assistant"; content?: string; tool_calls?: ToolCall[] }
  | { role: "tool"; tool_call_id: string; content: string };

/** One line of an OpenAI chat fine-tuning JSONL file. */
export interface OpenAIChatRecord {
  messages: ExportMessage[];
  tools: FunctionTool[];
  parallel_tool_calls: boolean;
}

export interface OpenAIFormatOptions {
  includeSystemPrompt: boolean;
}

/**
 * An episode as an OpenAI chat fine-tuning record: `arguments` stay JSON strings, every tool message
 * carries its call's id, and the record ends with the assistant's answer (anything after it is cut).
 */
export function toOpenAIRecord(episode: EpisodeRecord, tools: readonly ToolSpec[], options: OpenAIFormatOptions): OpenAIChatRecord {
  const lastAnswer = episode.messages.findLastIndex((m) => m.role === "assistant" && !m.tool_calls?.length && Boolean(m.content?.trim()));
  if (lastAnswer < 0) throw new Error(`episode ${episode.id} has no assistant answer to end on`);
  const messages: ExportMessage[] = [];
  for (const message of episode.messages.slice(0, lastAnswer + 1)) {
    switch (message.role) {
      case "system":
        if (options.includeSystemPrompt) messages.push({ role: "system", content: message.content });
        break;
      case "user":
        messages.push({ role: "user", content: message.content });
        break;
      case "assistant": {
        const out: ExportMessage = { role: "assistant" };
        if (message.content) out.content = message.content;
        if (message.tool_calls?.length) out.tool_calls = message.tool_calls.map((call) => ({ id: call.id, type: "function", function: { name: call.function.name, arguments: call.function.arguments } }));
        messages.push(out);
        break;
      }
      case "tool":
        messages.push({ role: "tool", tool_call_id: message.tool_call_id, content: message.content });
        break;
    }
  }
  const parallel = episode.messages.some((m) => m.role === "assistant" && (m.tool_calls?.length ?? 0) > 1);
  return { messages, tools: tools.map(toFunctionTool), parallel_tool_calls: parallel };
}

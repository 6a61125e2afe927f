import type { EpisodeRecord } from "../domain/episode.js";
import { toFunctionTool, type FunctionTool, type ToolSpec } from "../domain/tool.js";
import { hasParallelCalls, prepareConversation, type ExportMessage, type ExportRecordOptions } from "./conversation.js";

export type { ExportMessage, ExportRecordOptions };

/** One line of an OpenAI chat fine-tuning JSONL file. */
export interface OpenAIChatRecord {
  messages: ExportMessage[];
  tools: FunctionTool[];
  parallel_tool_calls: boolean;
}

/**
 * An episode as an OpenAI chat fine-tuning record: `arguments` stay JSON strings, every tool message
 * carries its call's id, and the record ends with the assistant's answer (anything after it is cut).
 */
export function toOpenAIRecord(episode: EpisodeRecord, tools: readonly ToolSpec[], options: ExportRecordOptions): OpenAIChatRecord {
  return { messages: prepareConversation(episode, options), tools: tools.map(toFunctionTool), parallel_tool_calls: hasParallelCalls(episode) };
}

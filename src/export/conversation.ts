import type { EpisodeRecord } from "../domain/episode.js";
import type { ExportOptions } from "../domain/config.js";
import type { SystemMessage, ToolCall, ToolMessage, UserMessage } from "../domain/message.js";

/** A message as exported: OpenAI chat shape, `arguments` as JSON strings; an assistant message may have no text. */
export type ExportMessage = SystemMessage | UserMessage | { role: "assistant"; content?: string; tool_calls?: ToolCall[]; reasoning_content?: string } | ToolMessage;

/** What every export format can choose: the system prompt always; reasoning and Kimi-style call ids default to off. */
export type ExportRecordOptions = Pick<ExportOptions, "includeSystemPrompt"> & Partial<Pick<ExportOptions, "includeReasoning" | "kimiToolCallIds">>;

/**
 * The conversation an episode exports: up to and including the assistant's last answer (anything after
 * it is cut), without the system prompt or reasoning unless asked, call ids rewritten when asked. An
 * assistant message keeps its text when it has any; one without tool calls always has text ("" if empty).
 */
export function prepareConversation(episode: EpisodeRecord, options: ExportRecordOptions): ExportMessage[] {
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
        const calls = message.tool_calls ?? [];
        if (message.content || calls.length === 0) out.content = message.content ?? "";
        if (calls.length) out.tool_calls = calls.map((call) => ({ id: call.id, type: "function", function: { name: call.function.name, arguments: call.function.arguments } }));
        if (options.includeReasoning && message.reasoning_content) out.reasoning_content = message.reasoning_content;
        messages.push(out);
        break;
      }
      case "tool":
        messages.push({ role: "tool", tool_call_id: message.tool_call_id, content: message.content });
        break;
    }
  }
  return options.kimiToolCallIds ? rewriteKimiToolCallIds(messages) : messages;
}

/**
 * Kimi K2's tool-call ids: `functions.{name}:{index}`, the index counting every call of the conversation
 * from 0. Each tool message's `tool_call_id` follows its call's new id.
 */
export function rewriteKimiToolCallIds(messages: readonly ExportMessage[]): ExportMessage[] {
  const renamed = new Map<string, string>();
  let index = 0;
  return messages.map((message) => {
    if (message.role === "assistant" && message.tool_calls) {
      const tool_calls = message.tool_calls.map((call) => {
        const id = `functions.${call.function.name}:${index++}`;
        renamed.set(call.id, id);
        return { ...call, id };
      });
      return { ...message, tool_calls };
    }
    if (message.role === "tool") return { ...message, tool_call_id: renamed.get(message.tool_call_id) ?? message.tool_call_id };
    return message;
  });
}

/** True when some assistant message makes more than one call at once. */
export function hasParallelCalls(episode: EpisodeRecord): boolean {
  return episode.messages.some((m) => m.role === "assistant" && (m.tool_calls?.length ?? 0) > 1);
}

import type { EpisodeRecord } from "../domain/episode.js";
import { resolveCallIdStyle, type CallIdStyle, type ExportOptions } from "../domain/config.js";
import { sha256 } from "../support/hash.js";
import type { SystemMessage, ToolCall, ToolMessage, UserMessage } from "../domain/message.js";

/** A message as exported: OpenAI chat shape, `arguments` as JSON strings; an assistant message may have no text. */
export type ExportMessage = SystemMessage | UserMessage | { role: "assistant"; content?: string; tool_calls?: ToolCall[]; reasoning_content?: string } | ToolMessage;

/** What every export format can choose: the system prompt always; reasoning defaults to off, call ids to the `openai` style (as generated). */
export type ExportRecordOptions = Pick<ExportOptions, "includeSystemPrompt"> & Partial<Pick<ExportOptions, "includeReasoning" | "kimiToolCallIds" | "callIdStyle">>;

/**
 * The conversation an episode exports: up to and including the assistant's last answer (anything after
 * it is cut), without the system prompt or reasoning unless asked, call ids in the style asked. An
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
  return rewriteToolCallIds(messages, resolveCallIdStyle(options));
}

/** The conversation with its tool-call ids (and each tool message's `tool_call_id`) in a style. */
export function rewriteToolCallIds(messages: readonly ExportMessage[], style: CallIdStyle): ExportMessage[] {
  switch (style) {
    case "openai":
      return [...messages];
    case "kimi":
      return rewriteKimiToolCallIds(messages);
    case "mistral":
      return renameToolCalls(messages, mistralToolCallIds());
  }
}

/**
 * Kimi K2's tool-call ids: `functions.{name}:{index}`, the index counting every call of the conversation
 * from 0. Each tool message's `tool_call_id` follows its call's new id.
 */
export function rewriteKimiToolCallIds(messages: readonly ExportMessage[]): ExportMessage[] {
  return renameToolCalls(messages, (call, index) => `functions.${call.function.name}:${index}`);
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * Mistral's tool-call ids: 9 alphanumeric characters, derived from the call's id and position (so an export is
 * reproducible), distinct within the conversation.
 */
function mistralToolCallIds(): (call: ToolCall, index: number) => string {
  const taken = new Set<string>();
  return (call, index) => {
    for (let attempt = 0; ; attempt++) {
      const digest = sha256(`${index}:${call.id}:${attempt}`);
      let id = "";
      for (let at = 0; id.length < 9; at += 2) id += ALPHANUMERIC[Number.parseInt(digest.slice(at, at + 2), 16) % ALPHANUMERIC.length];
      if (!taken.has(id)) {
        taken.add(id);
        return id;
      }
    }
  };
}

/** Every call renamed by `rename` (given the call and its index over the conversation); tool messages follow their call. */
function renameToolCalls(messages: readonly ExportMessage[], rename: (call: ToolCall, index: number) => string): ExportMessage[] {
  const renamed = new Map<string, string>();
  let index = 0;
  return messages.map((message) => {
    if (message.role === "assistant" && message.tool_calls) {
      const tool_calls = message.tool_calls.map((call) => {
        const id = rename(call, index++);
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

import type { ChatMessage } from "../domain/message.js";

/** Small helpers for the short text renderings in tool results (hosts like Kimi CLI read only those). */

export function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

/** `a 3, b 1`, or `none`. */
export function renderCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length ? entries.map(([key, count]) => `${key} ${count}`).join(", ") : "none";
}

export function renderMore(nextCursor: string | undefined): string {
  return nextCursor ? `\nmore: call again with cursor "${nextCursor}"` : "";
}

/** One message of a transcript on one line (long parts cut). */
export function renderMessage(message: ChatMessage): string {
  switch (message.role) {
    case "system":
      return `system: ${truncate(message.content, 200)}`;
    case "user":
      return `user: ${message.content}`;
    case "assistant": {
      const calls = (message.tool_calls ?? []).map((call) => `${call.function.name}(${truncate(call.function.arguments, 200)})`);
      return `assistant: ${message.content ?? ""}${calls.length ? `${message.content ? " " : ""}[calls ${calls.join(", ")}]` : ""}`;
    }
    case "tool":
      return `tool ${message.tool_call_id}: ${truncate(message.content, 300)}`;
  }
}

import type { ContextCut } from "../domain/episode.js";
import type { ChatMessage } from "../domain/message.js";

/*
 * Long episodes stay within the agent's context budget: when a request would exceed it, old tool results
 * are shortened in the messages sent to the agent (the stored messages stay whole), oldest first, never the
 * newest few, until the request fits. A result once shortened stays shortened, and each cut is recorded.
 */

export interface ContextBudget {
  /** The agent's context budget in (estimated) tokens. */
  maxTokens: number;
  /** The newest tool results that are never shortened. */
  keepRecentToolResults: number;
  /** About how many tokens a shortened tool result keeps. */
  shortenedTokens: number;
}

const CHARS_PER_TOKEN = 4;

/** Estimated tokens of messages: a token per 4 characters of contents, reasoning and tool-call arguments. */
export function estimateTokens(messages: readonly ChatMessage[]): number {
  let chars = 0;
  for (const message of messages) {
    chars += message.content?.length ?? 0;
    if (message.role !== "assistant") continue;
    chars += message.reasoning_content?.length ?? 0;
    for (const call of message.tool_calls ?? []) chars += call.function.arguments.length;
  }
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/** The head of a tool result and how much was cut; undefined when the result is already about that short. */
export function shortenToolResult(content: string, shortenedTokens: number): string | undefined {
  const keepChars = shortenedTokens * CHARS_PER_TOKEN;
  if (content.length <= keepChars * 1.5) return undefined;
  const head = content.slice(0, keepChars);
  const cutTokens = Math.ceil(content.length / CHARS_PER_TOKEN) - Math.ceil(head.length / CHARS_PER_TOKEN);
  return `${head}…[cut ${formatCount(cutTokens)} tokens to fit the context budget]`;
}

function formatCount(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** The agent's view of an episode's messages under a context budget, with the cuts made so far. */
export class ContextWindow {
  readonly #budget: ContextBudget;
  readonly #shortened = new Map<number, string>();
  readonly #cuts: ContextCut[] = [];

  constructor(budget: ContextBudget) {
    this.#budget = budget;
  }

  get cuts(): readonly ContextCut[] {
    return this.#cuts;
  }

  /** The messages to send: earlier cuts applied, and more old tool results shortened while the request is over budget. */
  fit(messages: readonly ChatMessage[]): { messages: ChatMessage[]; tokens: number } {
    const view = messages.map((message, index) => {
      const shortened = this.#shortened.get(index);
      return shortened !== undefined && message.role === "tool" ? { ...message, content: shortened } : message;
    });
    let tokens = estimateTokens(view);
    if (tokens <= this.#budget.maxTokens) return { messages: view, tokens };
    const toolIndexes = messages.flatMap((message, index) => (message.role === "tool" ? [index] : []));
    const cuttable = toolIndexes.slice(0, Math.max(0, toolIndexes.length - this.#budget.keepRecentToolResults));
    for (const index of cuttable) {
      if (tokens <= this.#budget.maxTokens) break;
      const message = messages[index];
      if (message?.role !== "tool" || this.#shortened.has(index)) continue;
      const shortened = shortenToolResult(message.content, this.#budget.shortenedTokens);
      if (shortened === undefined) continue;
      this.#shortened.set(index, shortened);
      view[index] = { ...message, content: shortened };
      const originalTokens = Math.ceil(message.content.length / CHARS_PER_TOKEN);
      const keptTokens = Math.ceil(shortened.length / CHARS_PER_TOKEN);
      this.#cuts.push({ messageIndex: index, atMessage: messages.length, originalTokens, keptTokens });
      tokens -= originalTokens - keptTokens;
    }
    return { messages: view, tokens: estimateTokens(view) };
  }
}

import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../src/domain/message.js";
import { ContextWindow, estimateTokens, shortenToolResult } from "../../src/simulate/context-budget.js";

const big = (label: string, chars: number): string => `${label}:${"x".repeat(chars - label.length - 1)}`;

function conversation(results: number, chars: number): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: "system", content: "You help." }];
  for (let index = 0; index < results; index++) {
    messages.push({ role: "user", content: `question ${index}` });
    messages.push({ role: "assistant", content: null, tool_calls: [{ id: `call_${index}`, type: "function", function: { name: "get", arguments: '{"id":"A-1"}' } }] });
    messages.push({ role: "tool", tool_call_id: `call_${index}`, content: big(`result ${index}`, chars) });
    messages.push({ role: "assistant", content: `answer ${index}` });
  }
  return messages;
}

describe("context budget", () => {
  it("estimates a token per 4 characters of contents, reasoning and tool-call arguments", () => {
    expect(estimateTokens([{ role: "user", content: "12345678" }])).toBe(2);
    expect(estimateTokens([{ role: "assistant", content: null, reasoning_content: "abcd", tool_calls: [{ id: "c", type: "function", function: { name: "get", arguments: "{}" } }] }])).toBe(2);
    expect(estimateTokens([{ role: "user", content: "1" }, { role: "tool", tool_call_id: "c", content: "12345" }])).toBe(2);
  });

  it("shortens a result to its head and says how much was cut", () => {
    const shortened = shortenToolResult("y".repeat(12_800), 64);
    expect(shortened).toBe(`${"y".repeat(256)}…[cut 3,136 tokens to fit the context budget]`);
    expect(shortenToolResult("short", 64)).toBeUndefined();
  });

  it("cuts old tool results oldest first, never the newest ones, until the request fits, and records each cut once", () => {
    const window = new ContextWindow({ maxTokens: 2000, keepRecentToolResults: 2, shortenedTokens: 16 });
    const messages = conversation(8, 1200);
    const first = window.fit(messages);
    expect(first.tokens).toBeLessThanOrEqual(2000);
    const cutIndexes = window.cuts.map((cut) => cut.messageIndex);
    const toolIndexes = messages.flatMap((message, index) => (message.role === "tool" ? [index] : []));
    expect(cutIndexes).toEqual(toolIndexes.slice(0, cutIndexes.length));
    expect(cutIndexes.length).toBeLessThanOrEqual(toolIndexes.length - 2);
    for (const index of cutIndexes) expect(first.messages[index]?.content).toMatch(/^result \d:x+…\[cut \d+ tokens to fit the context budget\]$/);
    for (const index of toolIndexes.slice(-2)) expect(first.messages[index]).toBe(messages[index]);
    expect(window.cuts[0]).toEqual({ messageIndex: toolIndexes[0], atMessage: messages.length, originalTokens: 300, keptTokens: Math.ceil((first.messages[toolIndexes[0] as number]?.content?.length ?? 0) / 4) });
    expect(messages[toolIndexes[0] as number]?.content).toHaveLength(1200);

    const again = window.fit(messages);
    expect(again.messages).toEqual(first.messages);
    expect(window.cuts.map((cut) => cut.messageIndex)).toEqual(cutIndexes);

    const longer = [...messages, ...conversation(3, 1200).slice(1)];
    window.fit(longer);
    expect(window.cuts.length).toBeGreaterThan(cutIndexes.length);
    expect(new Set(window.cuts.map((cut) => cut.messageIndex)).size).toBe(window.cuts.length);
  });

  it("sends everything whole while the request is within budget", () => {
    const window = new ContextWindow({ maxTokens: 100_000, keepRecentToolResults: 2, shortenedTokens: 16 });
    const messages = conversation(5, 1200);
    expect(window.fit(messages).messages).toEqual(messages);
    expect(window.cuts).toEqual([]);
  });
});

import type { CheckResult } from "../domain/judgment.js";
import type { ChatMessage, ToolCall } from "../domain/message.js";
import { validateJsonSchema } from "../support/json-schema.js";
import type { TrajectoryTool } from "./trajectory.js";

type Conversation = { messages: readonly ChatMessage[] };

export function listToolCalls(episode: Conversation): ToolCall[] {
  return episode.messages.flatMap((message) => (message.role === "assistant" ? (message.tool_calls ?? []) : []));
}

/**
 * Checks every trainable trajectory must pass, whatever its rubric: the tools exist, the arguments are
 * valid, call ids are unique, every call is answered before the conversation moves on, and it ends with
 * an assistant answer. Each failure carries a stable reason code.
 */
export function runFormatChecks(episode: Conversation, tools: readonly TrajectoryTool[]): CheckResult[] {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const calls = listToolCalls(episode);

  const unknown = calls.filter((call) => !byName.has(call.function.name)).map((call) => call.function.name);
  const invalidArguments: string[] = [];
  for (const call of calls) {
    const tool = byName.get(call.function.name);
    if (!tool) continue;
    let args: unknown;
    try {
      args = JSON.parse(call.function.arguments);
    } catch {
      invalidArguments.push(`${call.id} (${call.function.name}): not JSON`);
      continue;
    }
    const check = validateJsonSchema(tool.inputSchema, args);
    if (!check.valid) invalidArguments.push(`${call.id} (${call.function.name}): ${check.errors.join("; ")}`);
  }
  const ids = calls.map((call) => call.id);
  const duplicateIds = ids.filter((id, index) => ids.indexOf(id) !== index);
  const last = episode.messages[episode.messages.length - 1];
  const endsWithAnswer = last?.role === "assistant" && !last.tool_calls?.length && typeof last.content === "string" && last.content.trim() !== "";

  return [
    result("tool_exists", unknown.length === 0, "unknown_tool", `unknown tools: ${[...new Set(unknown)].join(", ")}`),
    result("arguments_valid", invalidArguments.length === 0, "invalid_arguments", invalidArguments.slice(0, 5).join(" | ")),
    result("unique_call_ids", duplicateIds.length === 0, "duplicate_call_id", `repeated ids: ${[...new Set(duplicateIds)].join(", ")}`),
    result("calls_answered", unansweredCalls(episode).length === 0, "unanswered_call", `unanswered: ${unansweredCalls(episode).join(", ")}`),
    result("ends_with_answer", endsWithAnswer, "no_final_answer", "the last message is not an assistant answer"),
  ];
}

/** Ids of tool calls that have no tool message before the next user or assistant message. */
export function unansweredCalls(episode: Conversation): string[] {
  const missing: string[] = [];
  const messages = episode.messages;
  messages.forEach((message, index) => {
    if (message.role !== "assistant" || !message.tool_calls?.length) return;
    const answered = new Set<string>();
    for (let next = index + 1; next < messages.length; next++) {
      const reply = messages[next];
      if (reply?.role !== "tool") break;
      answered.add(reply.tool_call_id);
    }
    for (const call of message.tool_calls) if (!answered.has(call.id)) missing.push(call.id);
  });
  return missing;
}

function result(id: string, passed: boolean, reason: string, detail: string): CheckResult {
  return passed ? { id, passed } : { id, passed, reason, detail };
}

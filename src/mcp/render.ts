import type { ChatMessage } from "../domain/message.js";
import type { VerdictView } from "../domain/judgment.js";

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

/** A judgment for reading: the verdict and reasons, each criterion with its rationale, each failed check with its evidence. */
export function renderVerdict(view: VerdictView): string {
  const criteria = view.criteria.map((criterion) => `- ${criterion.criterionId} (${criterion.kind}${criterion.required ? ", required" : ""}): ${criterion.score} — ${criterion.rationale}`);
  const checks = view.failedChecks.map((check) => `- ${check.reason ?? check.id}: ${check.detail ?? ""}${check.evidence?.length ? ` [${check.evidence.map((entry) => `#${entry.message} ${truncate(entry.text, 80)}`).join("; ")}]` : ""}`);
  return [
    `verdict ${view.verdict} (score ${view.score})${view.reasons.length ? `; reasons: ${view.reasons.join(", ")}` : ""}`,
    ...(criteria.length ? ["criteria:", ...criteria] : []),
    ...(checks.length ? ["failed checks:", ...checks] : []),
    `summary: ${view.summary}`,
  ].join("\n");
}

import type { EpisodeRecord } from "../domain/episode.js";
import type { CheckResult } from "../domain/judgment.js";
import type { ChatMessage } from "../domain/message.js";
import type { RubricCriterion } from "../domain/rubric.js";
import type { TaskRecord } from "../domain/task.js";
import type { ToolRecord } from "../domain/tool.js";
import type { InjectedFault, JudgeContext } from "../model/request-context.js";
import { stableStringify } from "../support/hash.js";
import { describeDifference } from "../world/verify-episode.js";

/** What every judge is told: how to work, the anchored levels, and the answer's shape. */
export const JUDGE_INSTRUCTIONS = [
  "You grade a conversation between a user and a tool-using AI assistant against a rubric, to decide whether it is good training data.",
  "Work in this order:",
  '1. Claims: list every claim the final answer makes (ids, numbers, names, dates, actions it says were done) and check each against the tool outputs in the transcript; cite the numbered line that supports or contradicts it ("none" when no line does). A claim no tool output, user turn or system prompt supports is unsupported.',
  "2. Criteria: for each criterion, write the rationale first — the evidence, citing numbered lines — and only then the score, on these levels:",
  "   - 1: fully met — the transcript shows it, with no shortfall;",
  "   - 0.5: partly met — attempted, but with a real shortfall (a step skipped, a detail wrong or missing); it does not pass;",
  "   - 0: not met — not done, done wrongly, or contradicted by the tool outputs.",
  '3. Verdict: "pass" only when every criterion scores 1, every claim is supported and no automatic check failed that you cannot explain away; otherwise "fail". Then a short summary.',
  "Be strict: unsupported claims, invented data, success reported after an error and unhandled tool errors fail. Some tool results carry faults injected on purpose (errors, timeouts, empty or partial results); they are listed: do not blame the assistant for a fault, judge how it handled it.",
  "The automatic checks, the state changes and the blueprint verification were computed by code, not by a model: trust them as facts.",
  "Answer with JSON only.",
].join("\n");

export interface JudgeRequest {
  messages: ChatMessage[];
  context: JudgeContext;
}

/** The transcript as numbered `role: content` lines (tool calls and results named, so lines can be cited). */
export function renderTranscript(messages: readonly ChatMessage[]): string {
  return messages
    .map((message, index) => {
      switch (message.role) {
        case "assistant": {
          const calls = (message.tool_calls ?? []).map((call) => `[call ${call.id}] ${call.function.name}(${call.function.arguments})`);
          return `${index}. assistant: ${[message.content ?? "", ...calls].filter((part) => part !== "").join(" ")}`;
        }
        case "tool":
          return `${index}. tool [result of ${message.tool_call_id}]: ${message.content}`;
        default:
          return `${index}. ${message.role}: ${message.content}`;
      }
    })
    .join("\n");
}

function renderCheck(check: CheckResult): string {
  if (check.passed) return `- ${check.id}: passed`;
  const evidence = check.evidence?.length ? ` (evidence: ${check.evidence.map((entry) => `line ${entry.message}: ${entry.text}`).join("; ")})` : "";
  return `- ${check.id}: FAILED ${check.reason ?? ""} — ${check.detail ?? ""}${evidence}`;
}

/** The world-state changes an episode's tool calls made, path by path. */
export function listStateChanges(episode: EpisodeRecord): NonNullable<JudgeContext["stateChanges"]> {
  return episode.steps.flatMap((step) =>
    (step.tool?.stateDiff ?? []).map((operation) => ({ path: operation.path.join("."), change: operation.op === "set" ? `set to ${stableStringify(operation.value)}` : "deleted" })),
  );
}

/** The judge's prompt (and the structured context it was rendered from) for an episode's llm criteria. */
export function buildJudgeRequest(input: {
  episode: EpisodeRecord;
  task: TaskRecord;
  criteria: readonly RubricCriterion[];
  /** Every deterministic check's outcome: format checks and default rules. */
  checks: CheckResult[];
  faults: InjectedFault[];
  tools: readonly Pick<ToolRecord, "name" | "description" | "inputSchema">[];
}): JudgeRequest {
  const { episode, task, criteria, checks, faults } = input;
  const tools = input.tools.map((tool) => ({ name: tool.name, description: tool.description, parameters: tool.inputSchema }));
  const stateChanges = listStateChanges(episode);
  const verification = episode.verification;
  const faultLines = faults.length ? faults.map((fault) => `- ${fault.toolName} (call ${fault.toolCallId}): ${fault.fault}`).join("\n") : "none";
  const user = [
    `User goal: ${task.goal}`,
    `Facts the user had: ${JSON.stringify(task.hiddenFacts)}`,
    `Tools the assistant had:\n${tools.map((tool) => `- ${tool.name}: ${tool.description} Parameters: ${JSON.stringify(tool.parameters)}`).join("\n") || "none"}`,
    `Automatic checks:\n${checks.map(renderCheck).join("\n") || "none"}`,
    `State changes made by the tool calls:\n${stateChanges.map((change) => `- ${change.path}: ${change.change}`).join("\n") || "none"}`,
    `Blueprint verification: ${renderVerification(verification)}`,
    `Episode ended: ${episode.endReason}`,
    `Injected faults:\n${faultLines}`,
    "",
    `Criteria:\n${criteria.map((criterion) => `- ${criterion.id}: ${criterion.description}`).join("\n")}`,
    "",
    `Transcript (numbered lines):\n${renderTranscript(episode.messages)}`,
  ].join("\n");
  return {
    messages: [
      { role: "system", content: JUDGE_INSTRUCTIONS },
      { role: "user", content: user },
    ],
    context: {
      purpose: "judge",
      goal: task.goal,
      hiddenFacts: task.hiddenFacts,
      criteria: criteria.map((criterion) => ({ id: criterion.id, description: criterion.description })),
      transcript: episode.messages,
      checks,
      endReason: episode.endReason,
      faults,
      tools,
      stateChanges,
      ...(verification ? { verification } : {}),
    },
  };
}

function renderVerification(verification: EpisodeRecord["verification"]): string {
  if (!verification) return "none (the episode was not verified)";
  if (!verification.applicable) return `not applicable (${verification.reason ?? "cannot be verified"})`;
  const state = verification.stateMatches ? "the final world state is the blueprint's" : `the final world state differs from the blueprint's: ${verification.diff.map(describeDifference).join("; ")}`;
  const facts = verification.missingFacts.length ? `; the final answer does not state ${verification.missingFacts.join(", ")}` : "; the final answer states the blueprint's facts";
  return `${state}${facts}`;
}

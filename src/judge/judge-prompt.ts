import type { EpisodeRecord } from "../domain/episode.js";
import type { CheckResult } from "../domain/judgment.js";
import type { ChatMessage } from "../domain/message.js";
import type { RubricCriterion } from "../domain/rubric.js";
import type { TaskRecord } from "../domain/task.js";
import type { InjectedFault, JudgeContext } from "../model/request-context.js";

const JUDGE_INSTRUCTIONS =
  'You grade a conversation between a user and a tool-using AI assistant against a rubric. For each criterion give a score from 0 to 1 and a one-sentence rationale citing evidence from the transcript; then an overall verdict ("pass" or "fail") and a short summary. Be strict: unverified claims, invented data and unhandled tool errors fail. Some tool results may carry faults injected on purpose (errors, timeouts, empty or partial results); they are listed for you: do not blame the assistant for a fault, judge how it handled it. Answer with JSON only.';

export interface JudgeRequest {
  messages: ChatMessage[];
  context: JudgeContext;
}

/** The judge's prompt (and the structured context it was rendered from) for an episode's llm criteria. */
export function buildJudgeRequest(input: {
  episode: EpisodeRecord;
  task: TaskRecord;
  criteria: readonly RubricCriterion[];
  checks: CheckResult[];
  faults: InjectedFault[];
}): JudgeRequest {
  const { episode, task, criteria, checks, faults } = input;
  const faultLines = faults.length ? faults.map((fault) => `- ${fault.toolName} (call ${fault.toolCallId}): ${fault.fault}`).join("\n") : "none";
  const user = [
    `User goal: ${task.goal}`,
    `Facts the user had: ${JSON.stringify(task.hiddenFacts)}`,
    `Automatic checks: ${JSON.stringify(checks)}`,
    `Episode ended: ${episode.endReason}`,
    `Injected faults:\n${faultLines}`,
    "",
    `Criteria:\n${criteria.map((criterion) => `- ${criterion.id}: ${criterion.description}`).join("\n")}`,
    "",
    `Transcript:\n${JSON.stringify(episode.messages)}`,
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
    },
  };
}

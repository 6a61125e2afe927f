import { SCHEMA_VERSION } from "../domain/common.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { CriterionScore, JudgmentRecord } from "../domain/judgment.js";
import type { TaskRecord } from "../domain/task.js";
import type { ToolRecord } from "../domain/tool.js";
import { generateObject } from "../model/generate.js";
import { JudgeOutputSchema, type JudgeOutput } from "../model/request-context.js";
import type { StageEnv } from "../model/stage-env.js";
import { runFormatChecks } from "./format-checks.js";
import { evaluateRule } from "./rule-criteria.js";

/** A criterion passes when its score reaches this. */
const CRITERION_PASS = 0.5;

/**
 * Judge one episode: format checks, then the rubric's rule criteria, then its LLM criteria scored by the
 * judge model with a rationale each. The verdict is pass only when every format check and required
 * criterion passes, the weighted score reaches the rubric's threshold, and the judge model agrees.
 */
export async function judgeEpisode(env: StageEnv, options: { episode: EpisodeRecord; task: TaskRecord; tools: readonly ToolRecord[] }): Promise<JudgmentRecord> {
  const { episode, task, tools } = options;
  const formatChecks = runFormatChecks(episode, tools);
  const scores: CriterionScore[] = [];
  const reasons: string[] = formatChecks.flatMap((check) => (check.reason ? [check.reason] : []));
  if (episode.status !== "completed") reasons.push(`episode_${episode.endReason}`);

  for (const criterion of task.rubric.criteria) {
    if (criterion.kind !== "rule") continue;
    const outcome = evaluateRule(criterion.check, episode, task, tools);
    scores.push({ criterionId: criterion.id, kind: "rule", score: outcome.passed ? 1 : 0, rationale: outcome.rationale, required: criterion.required, weight: criterion.weight });
    if (!outcome.passed && outcome.reason) reasons.push(outcome.reason);
  }

  const llmCriteria = task.rubric.criteria.filter((criterion) => criterion.kind === "llm");
  let judgeOutput: JudgeOutput | undefined;
  const promptHashes: string[] = [];
  if (llmCriteria.length) {
    const result = await generateObject(env.models.judge, {
      purpose: "judge",
      schema: JudgeOutputSchema,
      schemaName: "judgment",
      signal: env.signal,
      seed: episode.seed,
      messages: [
        {
          role: "system",
          content:
            'You grade a conversation between a user and a tool-using AI assistant against a rubric. For each criterion give a score from 0 to 1 and a one-sentence rationale citing evidence from the transcript; then an overall verdict ("pass" or "fail") and a short summary. Be strict: unverified claims, invented data and unhandled tool errors fail. Answer with JSON only.',
        },
        {
          role: "user",
          content: `User goal: ${task.goal}\nFacts the user had: ${JSON.stringify(task.hiddenFacts)}\nAutomatic checks: ${JSON.stringify(formatChecks)}\nEpisode ended: ${episode.endReason}\n\nCriteria:\n${llmCriteria.map((c) => `- ${c.id}: ${c.description}`).join("\n")}\n\nTranscript:\n${JSON.stringify(episode.messages)}`,
        },
      ],
      context: {
        purpose: "judge",
        goal: task.goal,
        hiddenFacts: task.hiddenFacts,
        criteria: llmCriteria.map((c) => ({ id: c.id, description: c.description })),
        transcript: episode.messages,
        checks: formatChecks,
        endReason: episode.endReason,
      },
    });
    judgeOutput = result.object;
    promptHashes.push(result.promptHash);
    for (const criterion of llmCriteria) {
      const scored = judgeOutput.criteria.find((entry) => entry.id === criterion.id);
      scores.push({
        criterionId: criterion.id,
        kind: "llm",
        score: scored?.score ?? 0,
        rationale: scored?.rationale ?? "the judge gave no score for this criterion",
        required: criterion.required,
        weight: criterion.weight,
      });
      if (!scored) reasons.push("judge_missing_criterion");
    }
    if (judgeOutput.verdict === "fail") reasons.push("judge_fail");
  }

  for (const score of scores) if (score.required && score.score < CRITERION_PASS) reasons.push(`required_failed:${score.criterionId}`);
  const totalWeight = scores.reduce((sum, score) => sum + score.weight, 0);
  const score = totalWeight > 0 ? scores.reduce((sum, s) => sum + s.score * s.weight, 0) / totalWeight : 0;
  if (score < task.rubric.passThreshold) reasons.push("below_rubric_threshold");
  const unique = [...new Set(reasons)];

  return {
    id: env.ids.next("jdg"),
    kind: "judgment",
    createdAt: env.clock.now().toISOString(),
    schemaVersion: SCHEMA_VERSION,
    provenance: {
      source: "judge",
      models: llmCriteria.length ? { judge: env.models.judge.ref } : {},
      seed: episode.seed,
      promptHashes,
      ...(env.runId ? { runId: env.runId } : {}),
    },
    episodeId: episode.id,
    taskId: task.id,
    ...(env.runId ? { runId: env.runId } : {}),
    formatChecks,
    criteria: scores,
    score: Math.round(score * 1000) / 1000,
    verdict: unique.length === 0 ? "pass" : "fail",
    reasons: unique,
    summary: judgeOutput?.summary ?? `rule checks only: ${unique.length === 0 ? "all passed" : unique.join(", ")}`,
  };
}

import { SCHEMA_VERSION } from "../domain/common.js";
import { JUDGE_INVALID_OUTPUT } from "../domain/attribution.js";
import type { EpisodeRecord } from "../domain/episode.js";
import { criterionPasses, type CriterionScore, type JudgmentRecord } from "../domain/judgment.js";
import type { RubricCriterion } from "../domain/rubric.js";
import type { TaskRecord } from "../domain/task.js";
import type { ToolRecord } from "../domain/tool.js";
import type { JudgeMember } from "../model/judge-committee.js";
import type { StageEnv } from "../model/stage-env.js";
import { askCommittee } from "./ask-committee.js";
import { decideCommittee } from "./committee-decision.js";
import { checkTrajectory } from "./check-trajectory.js";
import type { MachineFacts } from "./privacy-rule.js";
import { trajectoryFromEpisode } from "./trajectory.js";
import { listInjectedFaults } from "./injected-faults.js";
import { buildJudgeRequest } from "./judge-prompt.js";
import { evaluateRule } from "./rule-criteria.js";

/** The criterion every episode is judged by unless its rubric has its own `final_state_matches` check. */
export const FINAL_STATE_CRITERION: RubricCriterion = {
  id: "final-state-matches",
  kind: "rule",
  description: "The world state the episode left is the one the task's blueprint leaves, and the final answer states the blueprint's answer facts.",
  weight: 1,
  required: true,
  check: { type: "final_state_matches" },
};

/** The rubric's criteria, with the default `final_state_matches` criterion first when the rubric has none. */
export function withFinalStateCriterion(criteria: readonly RubricCriterion[]): RubricCriterion[] {
  if (criteria.some((criterion) => criterion.kind === "rule" && criterion.check.type === "final_state_matches")) return [...criteria];
  const taken = new Set(criteria.map((criterion) => criterion.id));
  let id = FINAL_STATE_CRITERION.id;
  for (let n = 2; taken.has(id); n++) id = `${FINAL_STATE_CRITERION.id}-${n}`;
  return [{ ...FINAL_STATE_CRITERION, id }, ...criteria];
}

export interface JudgeEpisodeOptions {
  episode: EpisodeRecord;
  task: TaskRecord;
  tools: readonly ToolRecord[];
  /** The judges that score the llm criteria (default: the environment's judge model alone). */
  committee?: readonly JudgeMember[] | undefined;
  /** The machine that made the data, for the privacy rule. */
  machine?: MachineFacts | undefined;
  /** Run the default rules (faithfulness, plausible arguments, privacy); default true. False only to measure what they add. */
  defaultRules?: boolean | undefined;
}

/**
 * Judge one episode: format checks and the default rules (faithfulness of the final answer, plausible arguments,
 * privacy; see checkTrajectory), then the rubric's rule criteria (with `final_state_matches`, required, by
 * default: the episode's verification against its task's blueprint), then its llm criteria scored by a
 * committee of judges (shown the tool specs, every check's outcome, the state changes, the verification and the
 * injected faults), each criterion decided by the committee's majority. The verdict is pass only when every
 * format check, default rule and required criterion passes, the weighted score reaches the rubric's threshold,
 * and the committee's majority verdict is pass.
 */
export async function judgeEpisode(env: StageEnv, options: JudgeEpisodeOptions): Promise<JudgmentRecord> {
  const { episode, task, tools } = options;
  const checks = checkTrajectory(trajectoryFromEpisode(episode, tools), { machine: options.machine, includeVerification: false });
  const formatChecks = checks.format;
  const ruleChecks = options.defaultRules === false ? [] : checks.rules;
  const scores: CriterionScore[] = [];
  const reasons: string[] = [...formatChecks, ...ruleChecks].flatMap((check) => (check.reason ? [check.reason] : []));
  if (episode.status !== "completed") reasons.push(`episode_${episode.endReason}`);

  for (const criterion of withFinalStateCriterion(task.rubric.criteria)) {
    if (criterion.kind !== "rule") continue;
    const outcome = evaluateRule(criterion.check, episode, tools);
    // Verification that does not apply passes without weighing on the score.
    const weight = criterion.check.type === "final_state_matches" && episode.verification?.applicable !== true ? 0 : criterion.weight;
    scores.push({ criterionId: criterion.id, kind: "rule", score: outcome.passed ? 1 : 0, rationale: outcome.rationale, required: criterion.required, weight });
    if (!outcome.passed) reasons.push(outcome.reason);
  }

  const llmCriteria = task.rubric.criteria.filter((criterion) => criterion.kind === "llm");
  const members = options.committee?.length ? options.committee : [{ model: env.models.judge }];
  let committee: JudgmentRecord["committee"];
  let summary: string | undefined;
  const promptHashes: string[] = [];
  if (llmCriteria.length) {
    const request = buildJudgeRequest({ episode, task, criteria: llmCriteria, checks: [...formatChecks, ...ruleChecks], faults: listInjectedFaults(episode), tools });
    const answers = await askCommittee(env, members, request, episode.seed);
    promptHashes.push(...new Set(answers.flatMap((answer) => (answer.promptHash ? [answer.promptHash] : []))));
    const results = answers.map((answer) => answer.result);
    const decision = decideCommittee(llmCriteria.map((criterion) => criterion.id), results);
    for (const criterion of llmCriteria) {
      const decided = decision.criteria.get(criterion.id);
      scores.push({
        criterionId: criterion.id,
        kind: "llm",
        score: decided?.score ?? 0,
        rationale: decided?.rationale ?? "no judge gave a score for this criterion",
        required: criterion.required,
        weight: criterion.weight,
        ...(decided ? { agreement: decided.agreement } : {}),
      });
      if (!decided && decision.verdict !== undefined) reasons.push("judge_missing_criterion");
    }
    if (decision.verdict === undefined) reasons.push(JUDGE_INVALID_OUTPUT);
    if (decision.verdict === "fail") reasons.push("judge_fail");
    committee = { members: results, agreement: decision.agreement };
    summary = decision.verdict === undefined ? `No judge gave a valid answer (${results.map((member) => member.error ?? "no answer").join("; ")}): the failure is the judge model's, not the episode's.` : decision.summary;
  }

  for (const score of scores) if (score.required && !criterionPasses(score.score)) reasons.push(`required_failed:${score.criterionId}`);
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
      models: llmCriteria.length && members[0] ? { judge: members[0].model.ref } : {},
      seed: episode.seed,
      promptHashes,
      ...(env.runId ? { runId: env.runId } : {}),
    },
    episodeId: episode.id,
    taskId: task.id,
    ...(env.runId ? { runId: env.runId } : {}),
    formatChecks,
    ruleChecks,
    criteria: scores,
    score: Math.round(score * 1000) / 1000,
    verdict: unique.length === 0 ? "pass" : "fail",
    reasons: unique,
    summary: summary ?? `rule checks only: ${unique.length === 0 ? "all passed" : unique.join(", ")}`,
    ...(committee ? { committee } : {}),
  };
}

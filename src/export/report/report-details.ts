import type { JsonObject } from "../../domain/common.js";
import type { EpisodeRecord } from "../../domain/episode.js";
import type { JudgmentRecord } from "../../domain/judgment.js";
import type { TaskRecord } from "../../domain/task.js";
import { ROW_STATUS } from "./report-model.js";

/** A world state larger than this (as JSON) is left out of the episode page, with its size said instead. */
const MAX_STATE_CHARACTERS = 50_000;

/**
 * An episode as the episode view shows it: the record's conversation, steps, faults, cuts and labels, with its
 * task, agent and domain, and what the filter did with it.
 */
export function toEpisodeDetail(
  episode: EpisodeRecord,
  context: { task: TaskRecord | undefined; agentName: string | undefined; domain: string | undefined; filtered: { status: number; reasons: readonly string[] } },
) {
  const { task } = context;
  return {
    id: episode.id,
    taskId: episode.taskId,
    agentId: episode.agentId,
    agentName: context.agentName,
    domain: context.domain,
    runId: episode.runId,
    seed: episode.seed,
    status: episode.status,
    endReason: episode.endReason,
    error: episode.error,
    labels: episode.labels,
    faultAttribution: episode.faultAttribution,
    faultPlan: episode.faultPlan,
    contextCuts: episode.contextCuts,
    usage: episode.usage,
    messages: episode.messages,
    steps: episode.steps.map((step) => ({ actor: step.actor, model: step.model ? `${step.model.provider}/${step.model.model}` : undefined, tool: step.tool, labels: step.labels, usage: step.usage })),
    worldState: { initial: capState(episode.worldState.initial), final: capState(episode.worldState.final) },
    verification: episode.verification,
    dataset: { status: statusName(context.filtered.status), reasons: context.filtered.reasons },
    task: task
      ? {
          goal: task.goal,
          scenario: task.scenario,
          shape: task.shape,
          difficulty: task.difficulty,
          persona: task.persona,
          hiddenFacts: task.hiddenFacts,
          criteria: task.rubric.criteria.map((criterion) => ({ id: criterion.id, kind: criterion.kind, description: criterion.description, required: criterion.required, weight: criterion.weight })),
          passThreshold: task.rubric.passThreshold,
        }
      : undefined,
  };
}

/** A judgment as the episode view shows it beside the conversation. */
export function toJudgmentDetail(judgment: JudgmentRecord) {
  return {
    id: judgment.id,
    episodeId: judgment.episodeId,
    runId: judgment.runId,
    verdict: judgment.verdict,
    score: judgment.score,
    reasons: judgment.reasons,
    summary: judgment.summary,
    formatChecks: judgment.formatChecks,
    criteria: judgment.criteria,
    judges: judgment.committee?.members.map((member) => `${member.model.provider}/${member.model.model}${member.temperature === undefined ? "" : ` @${member.temperature}`}${member.error ? ` (no valid answer: ${member.error})` : ""}`),
    agreement: judgment.committee?.agreement.overall,
    model: judgment.provenance.models.judge ? `${judgment.provenance.models.judge.provider}/${judgment.provenance.models.judge.model}` : undefined,
  };
}

function capState(state: JsonObject): JsonObject {
  const size = JSON.stringify(state).length;
  return size > MAX_STATE_CHARACTERS ? { "(left out)": `${Math.round(size / 1024)} KB of world state; see the episode in the store` } : state;
}

function statusName(status: number): "kept" | "rejected" | "not filtered" {
  if (status === ROW_STATUS.kept) return "kept";
  if (status === ROW_STATUS.rejected) return "rejected";
  return "not filtered";
}

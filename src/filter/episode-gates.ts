import type { FaultAttribution } from "../domain/episode.js";
import type { TaskStats } from "../domain/dataset.js";
import type { EpisodeRecord } from "../domain/episode.js";
import { criterionPasses, type JudgmentRecord } from "../domain/judgment.js";

/** A criterion passes when its score reaches this (as the judge decides). */

export interface LengthBounds {
  minMessages?: number | undefined;
  maxMessages?: number | undefined;
  minToolCalls?: number | undefined;
  maxToolCalls?: number | undefined;
}

export interface GateOptions {
  minScore: number;
  requirePass: boolean;
  /** Criterion ids that must pass wherever a judgment has them. */
  requiredCriteria?: readonly string[] | undefined;
  excludeAttributions?: readonly FaultAttribution[] | undefined;
  length?: LengthBounds | undefined;
  /** Difficulty band: the task's success rate must lie within it. */
  successRate?: { min: number; max: number } | undefined;
}

/** Every reason code an episode fails the per-episode checks for (empty when it passes them all). */
export function collectGateReasons(episode: EpisodeRecord, judgment: JudgmentRecord | undefined, task: TaskStats | undefined, options: GateOptions): string[] {
  return [...statusReasons(episode), ...judgmentReasons(judgment, options), ...attributionReasons(episode, options), ...lengthReasons(episode, options.length), ...bandReasons(task, options.successRate)];
}

/** An episode that did not complete (a model's bad answer or a cancellation ended it) is never training data, whatever the criteria. */
function statusReasons(episode: EpisodeRecord): string[] {
  return episode.status === "completed" ? [] : [`episode_${episode.status}`];
}

function judgmentReasons(judgment: JudgmentRecord | undefined, options: GateOptions): string[] {
  if (!judgment) return ["not_judged"];
  const reasons: string[] = [];
  if (options.requirePass && judgment.verdict !== "pass") reasons.push("verdict_fail", ...judgment.reasons);
  if (judgment.score < options.minScore) reasons.push("below_min_score");
  for (const id of options.requiredCriteria ?? []) {
    const criterion = judgment.criteria.find((entry) => entry.criterionId === id);
    if (criterion && !criterionPasses(criterion.score)) reasons.push(`required_failed:${id}`);
  }
  return reasons;
}

function attributionReasons(episode: EpisodeRecord, options: GateOptions): string[] {
  const attribution = episode.faultAttribution;
  return attribution && options.excludeAttributions?.includes(attribution) ? [`fault_attribution:${attribution}`] : [];
}

function lengthReasons(episode: EpisodeRecord, bounds: LengthBounds | undefined): string[] {
  if (!bounds) return [];
  const messages = episode.messages.length;
  const toolCalls = episode.messages.reduce((total, message) => total + (message.role === "assistant" ? (message.tool_calls?.length ?? 0) : 0), 0);
  const reasons: string[] = [];
  if (bounds.minMessages !== undefined && messages < bounds.minMessages) reasons.push("messages_below_min");
  if (bounds.maxMessages !== undefined && messages > bounds.maxMessages) reasons.push("messages_above_max");
  if (bounds.minToolCalls !== undefined && toolCalls < bounds.minToolCalls) reasons.push("tool_calls_below_min");
  if (bounds.maxToolCalls !== undefined && toolCalls > bounds.maxToolCalls) reasons.push("tool_calls_above_max");
  return reasons;
}

function bandReasons(task: TaskStats | undefined, band: GateOptions["successRate"]): string[] {
  if (!band || !task) return [];
  if (task.successRate < band.min) return ["task_too_hard"];
  if (task.successRate > band.max) return ["task_too_easy"];
  return [];
}

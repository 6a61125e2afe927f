import type { EpisodeRecord, FaultAttribution } from "./episode.js";

/*
 * Why an episode failed, from what it recorded: its labels (episode and steps), its tool steps and its end
 * reason. A simulated user or tool that broke the rules spoils the data whatever the agent did, so those are
 * blamed first; then live servers and other infrastructure; what remains is the agent's doing.
 */

/**
 * Labels that mean the user simulator broke its rules or its output contract. (`user_revealed_fact_unasked`
 * is counted but spoils nothing: the agent just has less to ask.)
 */
export const USER_SIMULATOR_FAILURE_LABELS: readonly string[] = [
  "user_simulator_invalid_output",
  "user_simulator_empty_message",
  "user_stopped_before_start",
  "user_stopped_before_confirmed_action",
  "user_invented_id",
];

/** Labels that mean the tool simulator answered wrongly and could not fix it on its retry. */
export const TOOL_SIMULATOR_FAILURE_LABELS: readonly string[] = ["tool_simulator_invalid_output", "output_schema_mismatch", "state_inconsistent"];

/** Labels that mean a live server or the machinery around the models failed. */
export const INFRASTRUCTURE_LABELS: readonly string[] = ["real_call_fallback", "infrastructure_error"];

/** Labels that mean the agent failed to take part in the conversation. */
export const AGENT_FAILURE_LABELS: readonly string[] = ["agent_empty_reply"];

const FAILURE_LABELS = new Set([...USER_SIMULATOR_FAILURE_LABELS, ...TOOL_SIMULATOR_FAILURE_LABELS, ...AGENT_FAILURE_LABELS]);

/** Every label of the episode and its steps. */
function collectLabels(episode: Pick<EpisodeRecord, "labels" | "steps">): Set<string> {
  return new Set([...episode.labels, ...episode.steps.flatMap((step) => step.labels)]);
}

/** Whether the episode failed: it ended in an error, or carries a label that means failure. */
export function isFailedEpisode(episode: Pick<EpisodeRecord, "status" | "labels" | "steps">): boolean {
  if (episode.status === "failed") return true;
  for (const label of collectLabels(episode)) if (FAILURE_LABELS.has(label)) return true;
  return false;
}

/**
 * Who a failed episode's failure is attributed to: `user_simulator` when the simulated user misbehaved
 * (invalid or empty replies, a stop before the action it had agreed to, invented or unasked facts),
 * `tool_simulator` when a simulated tool answer stayed invalid or inconsistent with the world state after its
 * retry, `infrastructure` when a live server failed (its call fell back to the simulator) or the run itself
 * errored, and otherwise `agent`.
 */
export function attributeFailure(episode: EpisodeRecord): FaultAttribution {
  const labels = collectLabels(episode);
  const has = (candidates: readonly string[]): boolean => candidates.some((label) => labels.has(label));
  if (has(USER_SIMULATOR_FAILURE_LABELS)) return "user_simulator";
  if (has(TOOL_SIMULATOR_FAILURE_LABELS)) return "tool_simulator";
  if (has(INFRASTRUCTURE_LABELS) || episode.steps.some((step) => step.tool?.execution === "fallback")) return "infrastructure";
  return "agent";
}

/** The reason code of a judgment no judge gave a valid answer for: the failure is the judge model's, not the episode's. */
export const JUDGE_INVALID_OUTPUT = "judge_invalid_output";

/** Whom a failing verdict is blamed on: the judge when its model answered nothing usable, else the episode's own attribution. */
export function blameVerdict(episodeAttribution: string, reasons: readonly string[] | undefined): string {
  return reasons?.includes(JUDGE_INVALID_OUTPUT) ? "judge" : episodeAttribution;
}

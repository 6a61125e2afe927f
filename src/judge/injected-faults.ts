import type { EpisodeRecord } from "../domain/episode.js";
import type { InjectedFault } from "../model/request-context.js";

/** The faults the tool simulator injected into an episode's tool results, in order. */
export function listInjectedFaults(episode: EpisodeRecord): InjectedFault[] {
  return episode.steps.flatMap((step) => (step.tool?.fault ? [{ toolCallId: step.tool.toolCallId, toolName: step.tool.toolName, fault: step.tool.fault }] : []));
}

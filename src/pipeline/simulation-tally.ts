import { attributeFailure } from "../domain/attribution.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { Verdict } from "../domain/judgment.js";
import type { SimulationTally } from "../domain/run.js";

/** A running tally of episodes; `failed` says whether the episode counts as a failure (not completed, or judged fail). */
export class SimulationTallier {
  readonly #tally: SimulationTally = { endReasons: {}, faultAttributions: {}, executions: {}, faultsInjected: {}, contextCuts: 0 };

  add(episode: EpisodeRecord, failed: boolean): void {
    const tally = this.#tally;
    increment(tally.endReasons, episode.endReason);
    if (failed) increment(tally.faultAttributions, episode.faultAttribution ?? attributeFailure(episode));
    for (const step of episode.steps) {
      if (!step.tool) continue;
      increment(tally.executions, step.tool.execution);
      if (step.tool.fault) increment(tally.faultsInjected, step.tool.fault);
    }
    tally.contextCuts += episode.contextCuts.length;
  }

  get tally(): SimulationTally {
    return structuredClone(this.#tally);
  }
}

/** The tally of a set of episodes, failures judged by `verdictOf` (an unjudged completed episode is not a failure). */
export function tallySimulation(episodes: Iterable<EpisodeRecord>, verdictOf: (episodeId: string) => Verdict | undefined): SimulationTally {
  const tallier = new SimulationTallier();
  for (const episode of episodes) tallier.add(episode, isFailure(episode, verdictOf(episode.id)));
  return tallier.tally;
}

export function isFailure(episode: EpisodeRecord, verdict: Verdict | undefined): boolean {
  return episode.status !== "completed" || verdict === "fail";
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

import { attributeFailure, blameVerdict } from "../domain/attribution.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { JudgmentRecord, Verdict } from "../domain/judgment.js";
import type { SimulationTally } from "../domain/run.js";

/** A running tally of episodes; `failed` says whether the episode counts as a failure (not completed, or judged fail). */
export class SimulationTallier {
  readonly #tally: SimulationTally = { endReasons: {}, faultAttributions: {}, executions: {}, faultsInjected: {}, contextCuts: 0 };

  /** `reasons`: the failing judgment's reason codes (a judge that gave no valid answer takes the blame). */
  add(episode: EpisodeRecord, failed: boolean, reasons?: readonly string[]): void {
    const tally = this.#tally;
    increment(tally.endReasons, episode.endReason);
    const attribution = episode.faultAttribution ?? attributeFailure(episode);
    if (failed) increment(tally.faultAttributions, episode.status === "completed" ? blameVerdict(attribution, reasons) : attribution);
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
export function tallySimulation(episodes: Iterable<EpisodeRecord>, judgmentOf: (episodeId: string) => Pick<JudgmentRecord, "verdict" | "reasons"> | undefined): SimulationTally {
  const tallier = new SimulationTallier();
  for (const episode of episodes) {
    const judgment = judgmentOf(episode.id);
    tallier.add(episode, isFailure(episode, judgment?.verdict), judgment?.reasons);
  }
  return tallier.tally;
}

export function isFailure(episode: EpisodeRecord, verdict: Verdict | undefined): boolean {
  return episode.status !== "completed" || verdict === "fail";
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

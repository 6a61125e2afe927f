import { blameVerdict } from "../domain/attribution.js";
import type { Verdict } from "../domain/judgment.js";
import type { IndexEntry } from "./sharded-collection.js";
import type { EpisodeFacts, EpisodeStatistics, JudgmentFacts } from "./types.js";

/** The newest judgment of one episode: its place in the store, and what it decided. */
interface LatestJudgment {
  shard: number;
  offset: number;
  verdict: Verdict;
  reasons: readonly string[];
}

/**
 * Counts over every episode and its newest judgment, updated record by record as the episode and judgment
 * indexes take records in (this process's appends, other processes' records, a cold start alike), so reading
 * them costs nothing however many episodes there are. Whatever depends on the judgment (verdict, rejection
 * reasons, whether a completed episode failed) is taken back out and put in again when a newer judgment of its
 * episode arrives, in whichever order episodes and judgments come.
 */
export class EpisodeStatisticsIndex {
  readonly #episodes = new Map<string, EpisodeFacts>();
  readonly #latest = new Map<string, LatestJudgment>();
  #judgments = 0;
  readonly #counts: EpisodeStatistics = {
    episodes: 0,
    judgments: 0,
    byStatus: {},
    verdicts: {},
    rejectionReasons: {},
    simulation: { endReasons: {}, faultAttributions: {}, executions: {}, faultsInjected: {}, contextCuts: 0 },
    verification: {},
  };

  /** For the episode index: an episode taken in (replacing `previous` when its id was there before). */
  readonly onEpisode = (id: string, entry: IndexEntry<EpisodeFacts>, previous: IndexEntry<EpisodeFacts> | undefined): void => {
    if (previous) {
      this.#countJudged(id, -1);
      this.#countEpisode(previous.facts, -1);
    }
    this.#episodes.set(id, entry.facts);
    this.#countEpisode(entry.facts, 1);
    this.#countJudged(id, 1);
  };

  /** For the judgment index: a judgment taken in; it counts when it is its episode's newest. */
  readonly onJudgment = (_id: string, entry: IndexEntry<JudgmentFacts>, previous: IndexEntry<JudgmentFacts> | undefined): void => {
    if (!previous) this.#judgments += 1;
    const { episodeId, verdict, reasons } = entry.facts;
    const current = this.#latest.get(episodeId);
    if (current && (current.shard - entry.shard || current.offset - entry.offset) > 0) return;
    this.#countJudged(episodeId, -1);
    this.#latest.set(episodeId, { shard: entry.shard, offset: entry.offset, verdict, reasons: reasons ?? [] });
    this.#countJudged(episodeId, 1);
  };

  /** A copy of the counts as they are now. */
  snapshot(): EpisodeStatistics {
    return structuredClone({ ...this.#counts, episodes: this.#episodes.size, judgments: this.#judgments });
  }

  /** What an episode adds whatever its judgment says. */
  #countEpisode(facts: EpisodeFacts, sign: 1 | -1): void {
    const { byStatus, simulation } = this.#counts;
    adjust(byStatus, facts.status, sign);
    adjust(simulation.endReasons, facts.endReason, sign);
    for (const [execution, count] of Object.entries(facts.executions)) adjust(simulation.executions, execution, sign * count);
    for (const [fault, count] of Object.entries(facts.faults)) adjust(simulation.faultsInjected, fault, sign * count);
    simulation.contextCuts += sign * facts.contextCuts;
    adjust(this.#counts.verification, facts.verification, sign);
  }

  /** What an episode adds through its newest judgment (nothing until the episode itself is there). */
  #countJudged(episodeId: string, sign: 1 | -1): void {
    const facts = this.#episodes.get(episodeId);
    if (!facts) return;
    const latest = this.#latest.get(episodeId);
    adjust(this.#counts.verdicts, latest?.verdict ?? "unjudged", sign);
    if (latest?.verdict === "fail") for (const reason of latest.reasons) adjust(this.#counts.rejectionReasons, reason, sign);
    if (facts.status !== "completed") adjust(this.#counts.simulation.faultAttributions, facts.attribution, sign);
    else if (latest?.verdict === "fail") adjust(this.#counts.simulation.faultAttributions, blameVerdict(facts.attribution, latest.reasons), sign);
  }
}

/** Adds `delta` to a count, dropping a count that comes back to zero (so only present keys are listed). */
function adjust(counts: Record<string, number>, key: string, delta: number): void {
  const value = (counts[key] ?? 0) + delta;
  if (value === 0) delete counts[key];
  else counts[key] = value;
}

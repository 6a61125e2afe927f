import type { EpisodeRecord } from "../../domain/episode.js";
import { addToHistogram, buildScoreHistogram, type ScoreBin } from "../score-histogram.js";
import { ROW_STATUS, VERIFICATION_OUTCOMES, type VerificationOutcome } from "./report-model.js";

/** What the report knows of one episode besides its record: where it came from and how it was judged and filtered. */
export interface EpisodeContext {
  domain: string | undefined;
  shape: string | undefined;
  /** ROW_STATUS */
  status: number;
  verdict: "pass" | "fail" | undefined;
  score: number | undefined;
}

/** Counts by key, in first-seen order. */
export class Counter {
  readonly #counts = new Map<string, number>();

  add(key: string, amount = 1): void {
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + amount);
  }

  get(key: string): number {
    return this.#counts.get(key) ?? 0;
  }

  entries(): Array<[string, number]> {
    return [...this.#counts];
  }

  get size(): number {
    return this.#counts.size;
  }
}

/**
 * The figures of the overview and coverage pages, counted episode by episode as the store streams past (nothing
 * but counters is kept, so memory does not grow with the number of episodes).
 */
export class ReportTally {
  episodes = 0;
  completed = 0;
  kept = 0;
  rejected = 0;
  judged = 0;
  passed = 0;
  contextCuts = 0;
  readonly domainShapes = new Counter();
  readonly toolCalls = new Counter();
  readonly toolsOffered = new Set<string>();
  readonly executions = new Counter();
  readonly endReasons = new Counter();
  readonly faultsInjected = new Counter();
  /** Injected faults in episodes the judge passed: the agent recovered. */
  readonly faultsRecovered = new Counter();
  readonly verification = new Counter();
  readonly callsPerEpisode = new Counter();
  readonly userTurnsPerEpisode = new Counter();
  readonly messagesPerEpisode = new Counter();
  readonly scores: ScoreBin[] = buildScoreHistogram([]);

  /** Count an episode in; returns its own figures (tool calls, the tools it called, user turns, faults, verification). */
  add(episode: EpisodeRecord, context: EpisodeContext): { calls: number; tools: string[]; userTurns: number; faults: number; verification: VerificationOutcome } {
    this.episodes++;
    if (episode.status === "completed") this.completed++;
    if (context.status === ROW_STATUS.kept) this.kept++;
    if (context.status === ROW_STATUS.rejected) this.rejected++;
    if (context.verdict) this.judged++;
    if (context.verdict === "pass") this.passed++;
    if (context.score !== undefined) addToHistogram(this.scores, context.score, context.status === ROW_STATUS.kept);
    this.domainShapes.add(`${context.domain ?? "(no domain)"}\u0000${context.shape ?? "not recorded"}`);
    this.endReasons.add(episode.endReason);
    this.contextCuts += episode.contextCuts.length;
    episode.toolIds.forEach((id) => this.toolsOffered.add(id));

    let calls = 0;
    let userTurns = 0;
    const tools = new Set<string>();
    for (const message of episode.messages) {
      if (message.role === "user") userTurns++;
      if (message.role !== "assistant") continue;
      for (const call of message.tool_calls ?? []) {
        calls++;
        tools.add(call.function.name);
        this.toolCalls.add(call.function.name);
      }
    }
    let faults = 0;
    for (const step of episode.steps) {
      if (!step.tool) continue;
      this.executions.add(step.tool.execution);
      if (!step.tool.fault) continue;
      faults++;
      this.faultsInjected.add(step.tool.fault);
      if (context.verdict === "pass") this.faultsRecovered.add(step.tool.fault);
    }
    this.callsPerEpisode.add(String(calls));
    this.userTurnsPerEpisode.add(String(userTurns));
    this.messagesPerEpisode.add(String(episode.messages.length));
    const verification = readVerification(episode);
    this.verification.add(verification);
    return { calls, tools: [...tools], userTurns, faults, verification };
  }
}

/** What the blueprint verification of an episode said; older episodes carry none ("not recorded"). */
export function readVerification(episode: EpisodeRecord): VerificationOutcome {
  const { verification } = episode;
  if (!verification) return "not recorded";
  if (!verification.applicable) return "not applicable";
  if (verification.stateMatches === undefined) return "not recorded";
  return verification.stateMatches ? "state matched" : "failed";
}

export const VERIFICATION_CODE: Record<VerificationOutcome, number> = Object.fromEntries(VERIFICATION_OUTCOMES.map((outcome, index) => [outcome, index])) as Record<VerificationOutcome, number>;

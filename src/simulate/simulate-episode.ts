import type { EpisodeRecord } from "../domain/episode.js";
import type { StageEnv } from "../model/stage-env.js";
import { throwIfAborted } from "../support/concurrency.js";
import { EpisodeSession, type EpisodeLimits, type EpisodeSessionOptions } from "./episode-session.js";

export type { EpisodeLimits };
export type SimulateEpisodeOptions = EpisodeSessionOptions;

/**
 * One multi-turn episode: the user simulator speaks, the agent answers (calling tools as it likes, the
 * tool executor answering each call against the episode's world state), until the user stops or a limit
 * is hit. Model misbehaviour is recorded as labels; only infrastructure failures and cancellation throw.
 */
export async function simulateEpisode(env: StageEnv, options: SimulateEpisodeOptions): Promise<EpisodeRecord> {
  const session = new EpisodeSession(env, options);
  for (let turn = 0; turn < options.limits.maxTurns; turn++) {
    throwIfAborted(env.signal);
    if (!(await session.runUserSimulator())) break;
    if (!(await session.runAgentUntilAnswer())) break;
  }
  return session.toRecord();
}

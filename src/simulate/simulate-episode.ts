import type { EpisodeRecord } from "../domain/episode.js";
import { classifyModelFailure } from "../model/failures.js";
import type { StageEnv } from "../model/stage-env.js";
import { throwIfAborted } from "../support/concurrency.js";
import { EpisodeSession, type EpisodeLimits, type EpisodeSessionOptions } from "./episode-session.js";

export type { EpisodeLimits };
export type SimulateEpisodeOptions = EpisodeSessionOptions;

/**
 * One multi-turn episode: the user simulator speaks, the agent answers (calling tools as it likes, the
 * tool executor answering each call against the episode's world state), until the user stops or a limit
 * is hit. Model misbehaviour is recorded as labels; a request of a role that failed for good (after its retries) or an
 * answer that stayed invalid fails the episode (status failed, `failureReason` e.g. `agent_http_error`). Only
 * systemic failures (no access, an open circuit, a budget reached), defects and cancellation throw.
 */
export async function simulateEpisode(env: StageEnv, options: SimulateEpisodeOptions): Promise<EpisodeRecord> {
  const session = new EpisodeSession(env, options);
  try {
    for (let turn = 0; turn < options.limits.maxTurns; turn++) {
      throwIfAborted(env.signal);
      if (!(await session.runUserSimulator())) break;
      if (!(await session.runAgentUntilAnswer())) break;
    }
  } catch (error) {
    const failure = classifyModelFailure(error);
    if (failure.scope !== "item") throw error;
    session.fail(`${ROLE_LABELS[failure.error.details.purpose] ?? "model"}_${failure.kind}`, failure.message);
  }
  return session.toRecord();
}

/** How an episode's failure label names the role whose request failed, by the request's purpose. */
const ROLE_LABELS: Record<string, string> = { "agent-turn": "agent", "user-turn": "user_simulator", "tool-simulation": "tool_simulator" };

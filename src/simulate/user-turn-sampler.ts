import type { ModelRef, TokenUsage } from "../domain/common.js";
import { ModelOutputError } from "../errors/model-output-error.js";
import type { StageEnv } from "../model/stage-env.js";
import { seedFrom } from "../support/hash.js";
import { generateUserTurn, type UserTurnOptions } from "./user-simulator.js";
import { isPrematureStop } from "./user-turn-guard.js";

/** Resamples allowed after an invalid reply (invalid JSON, an empty message without a stop, a stop before the first message). */
const INVALID_REPLY_RETRIES = 2;

interface Sampled {
  promptHashes: string[];
  usage: TokenUsage;
  latencyMs: number;
  /** Labels for the step (and the episode): what was resampled and why. */
  labels: string[];
}

export type SampledUserTurn =
  | (Sampled & { kind: "message"; message: string; model: ModelRef })
  | (Sampled & { kind: "stop"; message: string; premature: boolean })
  | (Sampled & { kind: "failed"; label: string; error: string });

/**
 * One user turn from the user simulator, guarded: an invalid reply is sampled again with a new seed (up to
 * twice) before the turn fails; a stop right after the agent asked to confirm an action it has not carried
 * out is rejected once and the turn sampled again with a note; a stop that persists is returned marked
 * premature.
 */
export async function sampleUserTurn(env: StageEnv, options: Omit<UserTurnOptions, "stopRejected">): Promise<SampledUserTurn> {
  const sampled: Sampled = { promptHashes: [], usage: { inputTokens: 0, outputTokens: 0 }, latencyMs: 0, labels: [] };
  let stopRejected = false;
  let invalid = 0;
  for (let attempt = 0; ; attempt++) {
    const seed = attempt === 0 ? options.seed : seedFrom(options.seed, "resample", attempt);
    let failure: { label: string; error: string } | undefined;
    try {
      const result = await generateUserTurn(env, { ...options, seed, stopRejected });
      sampled.promptHashes.push(result.promptHash);
      sampled.usage.inputTokens += result.usage.inputTokens;
      sampled.usage.outputTokens += result.usage.outputTokens;
      sampled.latencyMs += result.latencyMs;
      const { message, stop } = result.object;
      if (stop && options.turn === 0) failure = { label: "user_stopped_before_start", error: "the user simulator stopped before saying anything" };
      else if (!stop && message.trim() === "") failure = { label: "user_simulator_empty_message", error: "the user simulator sent an empty message without stopping" };
      else if (isPrematureStop(options.messages, { message, stop })) {
        if (!stopRejected) {
          stopRejected = true;
          sampled.labels.push("premature_stop_rejected");
          continue;
        }
        return { ...sampled, kind: "stop", message, premature: true };
      } else if (stop) return { ...sampled, kind: "stop", message, premature: false };
      else return { ...sampled, kind: "message", message, model: result.response.model };
    } catch (caught) {
      if (!(caught instanceof ModelOutputError)) throw caught;
      failure = { label: "user_simulator_invalid_output", error: caught.message };
    }
    invalid++;
    if (invalid > INVALID_REPLY_RETRIES) return { ...sampled, kind: "failed", ...(failure ?? { label: "user_simulator_invalid_output", error: "the user simulator gave no usable reply" }) };
    if (!sampled.labels.includes("user_turn_resampled")) sampled.labels.push("user_turn_resampled");
  }
}

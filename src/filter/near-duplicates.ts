import type { EpisodeRecord } from "../domain/episode.js";
import { sha256, stableStringify } from "../support/hash.js";
import { chooseLshParams, createMinHasher, estimateJaccard, LshIndex, type MinHasher } from "./minhash.js";

const SHINGLE_WORDS = 3;

function userTurns(episode: EpisodeRecord): string[] {
  return episode.messages.filter((message) => message.role === "user").map((message) => message.content.trim().toLowerCase());
}

function toolCallNames(episode: EpisodeRecord): string[] {
  return episode.messages.flatMap((message) => (message.role === "assistant" ? (message.tool_calls ?? []).map((call) => call.function.name) : []));
}

/** What makes two episodes the same training example: the user turns and the tool-call sequence. */
export function episodeSignature(episode: EpisodeRecord): string {
  return sha256(stableStringify({ userTurns: userTurns(episode), calls: toolCallNames(episode) }));
}

/** How many times each bigram of the tool-call sequence counts, so a different tool-use pattern outweighs a few changed words. */
const CALL_SHINGLE_WEIGHT = 4;

/**
 * The shingles near-duplicate detection compares: word 3-grams of each user turn (a shorter turn is one
 * shingle) and the bigrams of the tool-call name sequence, with start and end marks so order and length count,
 * each bigram present CALL_SHINGLE_WEIGHT times (as distinct copies).
 */
export function episodeShingles(episode: EpisodeRecord): Set<string> {
  const shingles = new Set<string>();
  for (const turn of userTurns(episode)) {
    const words = turn.match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length === 0) continue;
    if (words.length <= SHINGLE_WORDS) shingles.add(`user:${words.join(" ")}`);
    for (let start = 0; start + SHINGLE_WORDS <= words.length; start++) shingles.add(`user:${words.slice(start, start + SHINGLE_WORDS).join(" ")}`);
  }
  const calls = ["^", ...toolCallNames(episode), "$"];
  for (let index = 0; index + 1 < calls.length; index++) {
    for (let copy = 0; copy < CALL_SHINGLE_WEIGHT; copy++) shingles.add(`call${copy}:${calls[index]}>${calls[index + 1]}`);
  }
  return shingles;
}

export type DuplicateReason = "duplicate" | "near_duplicate";

/**
 * Remembers the episodes kept so far and says whether a new one repeats one of them: exactly (same user
 * turns and tool calls) or nearly (MinHash-estimated Jaccard similarity of their shingles at or above the
 * threshold, found through LSH so that not every pair is compared). Without a threshold only exact
 * duplicates count.
 */
export class DuplicateDetector {
  readonly #exact = new Set<string>();
  readonly #hasher: MinHasher | undefined;
  readonly #index: LshIndex | undefined;
  readonly #threshold: number;
  readonly #signatures: Uint32Array[] = [];

  constructor(options: { nearDuplicateThreshold?: number | undefined; seed?: number; permutations?: number }) {
    this.#threshold = options.nearDuplicateThreshold ?? Number.POSITIVE_INFINITY;
    if (options.nearDuplicateThreshold === undefined) return;
    this.#hasher = createMinHasher({ permutations: options.permutations ?? 128, seed: options.seed ?? 1 });
    this.#index = new LshIndex(chooseLshParams(this.#hasher.permutations, options.nearDuplicateThreshold));
  }

  /** The duplicate reason, or undefined when the episode is new (it is then remembered). */
  check(episode: EpisodeRecord): DuplicateReason | undefined {
    const exact = episodeSignature(episode);
    if (this.#exact.has(exact)) return "duplicate";
    const signature = this.#hasher?.signature(episodeShingles(episode));
    if (signature && this.#index) {
      const near = this.#index.candidates(signature).some((id) => {
        const kept = this.#signatures[id];
        return kept !== undefined && estimateJaccard(signature, kept) >= this.#threshold;
      });
      if (near) return "near_duplicate";
      this.#index.insert(this.#signatures.push(signature) - 1, signature);
    }
    this.#exact.add(exact);
    return undefined;
  }
}

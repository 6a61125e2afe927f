import { createRandom } from "../support/random.js";

/*
 * MinHash signatures and LSH banding, for near-duplicate detection without comparing every pair.
 * A signature keeps, for each of `permutations` seeded hash functions, the smallest hash over a set's
 * shingles; the share of equal positions in two signatures estimates the sets' Jaccard similarity.
 * LSH cuts signatures into `bands` of `rows`: two sets become candidates when any band matches exactly,
 * which happens with probability 1 - (1 - s^rows)^bands for similarity s.
 */

const EMPTY_SLOT = 0xffffffff;

/** murmur3's 32-bit finalizer: a bijection whose every output bit depends on every input bit. */
export function mix32(value: number): number {
  let hash = value >>> 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** 32-bit FNV-1a over the string's UTF-16 code units, finished with mix32. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return mix32(hash);
}

export interface MinHasher {
  readonly permutations: number;
  /** The signature of a set of shingles (every slot empty for an empty set). */
  signature(shingles: Iterable<string>): Uint32Array;
}

/** A MinHasher whose hash functions h_i(x) = mix32(hash(x) xor seed_i) take their seeds from `seed`. */
export function createMinHasher(options: { permutations?: number; seed?: number } = {}): MinHasher {
  const permutations = options.permutations ?? 128;
  const random = createRandom(options.seed ?? 1).fork("minhash");
  const seeds = Uint32Array.from({ length: permutations }, () => Math.floor(random.next() * 0x100000000));
  return {
    permutations,
    signature(shingles) {
      const signature = new Uint32Array(permutations).fill(EMPTY_SLOT);
      for (const shingle of shingles) {
        const base = hashString(shingle);
        for (let slot = 0; slot < permutations; slot++) {
          const value = mix32(base ^ (seeds[slot] ?? 0));
          if (value < (signature[slot] ?? EMPTY_SLOT)) signature[slot] = value;
        }
      }
      return signature;
    },
  };
}

/** The share of equal slots: an estimate of the Jaccard similarity of the two sets. */
export function estimateJaccard(first: Uint32Array, second: Uint32Array): number {
  if (first.length !== second.length || first.length === 0) throw new RangeError("signatures of different lengths cannot be compared");
  let equal = 0;
  for (let slot = 0; slot < first.length; slot++) if (first[slot] === second[slot]) equal++;
  return equal / first.length;
}

export interface LshParams {
  bands: number;
  rows: number;
}

/**
 * Bands and rows (bands × rows ≤ permutations) that best separate pairs above `threshold` from pairs below:
 * the least weighted area of false positives below the threshold and false negatives above it. Misses
 * weigh more than false alarms, because candidates are verified against the threshold anyway.
 */
export function chooseLshParams(permutations: number, threshold: number, weights = { falsePositive: 0.3, falseNegative: 0.7 }): LshParams {
  let best: LshParams = { bands: 1, rows: permutations };
  let bestError = Number.POSITIVE_INFINITY;
  for (let bands = 1; bands <= permutations; bands++) {
    for (let rows = 1; rows * bands <= permutations; rows++) {
      const candidate = (similarity: number): number => 1 - (1 - similarity ** rows) ** bands;
      const falsePositive = integrate(candidate, 0, threshold);
      const falseNegative = integrate((similarity) => 1 - candidate(similarity), threshold, 1);
      const error = weights.falsePositive * falsePositive + weights.falseNegative * falseNegative;
      if (error < bestError) {
        bestError = error;
        best = { bands, rows };
      }
    }
  }
  return best;
}

function integrate(f: (x: number) => number, from: number, to: number, steps = 64): number {
  if (to <= from) return 0;
  const width = (to - from) / steps;
  let area = 0;
  for (let step = 0; step < steps; step++) area += f(from + (step + 0.5) * width) * width;
  return area;
}

/** An LSH index over signatures: items sharing at least one whole band with a query are its candidates. */
export class LshIndex {
  readonly #params: LshParams;
  readonly #buckets = new Map<string, number[]>();

  constructor(params: LshParams) {
    this.#params = params;
  }

  /** Ids of the items that share a band with `signature`, ascending. */
  candidates(signature: Uint32Array): number[] {
    const found = new Set<number>();
    for (const key of this.#bandKeys(signature)) for (const id of this.#buckets.get(key) ?? []) found.add(id);
    return [...found].sort((a, b) => a - b);
  }

  insert(id: number, signature: Uint32Array): void {
    for (const key of this.#bandKeys(signature)) {
      const bucket = this.#buckets.get(key);
      if (bucket) bucket.push(id);
      else this.#buckets.set(key, [id]);
    }
  }

  #bandKeys(signature: Uint32Array): string[] {
    const { bands, rows } = this.#params;
    if (signature.length < bands * rows) throw new RangeError(`a signature of ${signature.length} slots is too short for ${bands} bands of ${rows} rows`);
    return Array.from({ length: bands }, (_, band) => `${band}:${signature.subarray(band * rows, (band + 1) * rows).join(",")}`);
  }
}

import { describe, expect, it } from "vitest";
import { LshIndex, chooseLshParams, createMinHasher, estimateJaccard, hashString } from "../../src/filter/minhash.js";

const words = (prefix: string, from: number, to: number) => Array.from({ length: to - from }, (_, index) => `${prefix}${from + index}`);
const jaccard = (a: readonly string[], b: readonly string[]) => {
  const second = new Set(b);
  const shared = new Set(a.filter((item) => second.has(item))).size;
  return shared / new Set([...a, ...b]).size;
};

describe("MinHash", () => {
  const hasher = createMinHasher({ permutations: 128, seed: 42 });

  it.each([
    [words("w", 0, 100), words("w", 0, 100)],
    [words("w", 0, 100), words("w", 10, 110)],
    [words("w", 0, 100), words("w", 50, 150)],
    [words("w", 0, 100), words("w", 80, 180)],
    [words("w", 0, 100), words("v", 0, 100)],
  ])("estimates the Jaccard similarity (case %#)", (first, second) => {
    const estimate = estimateJaccard(hasher.signature(first), hasher.signature(second));
    expect(Math.abs(estimate - jaccard(first, second))).toBeLessThan(0.12);
  });

  it("is seeded: the same seed gives the same signature, another seed another", () => {
    const set = words("w", 0, 20);
    expect(createMinHasher({ seed: 42 }).signature(set)).toEqual(hasher.signature(set));
    expect(createMinHasher({ seed: 43 }).signature(set)).not.toEqual(hasher.signature(set));
  });

  it("hashes strings to unsigned 32-bit integers", () => {
    expect(hashString("abc")).toBe(hashString("abc"));
    expect(hashString("abc")).not.toBe(hashString("abd"));
    expect(hashString("anything")).toBeGreaterThanOrEqual(0);
    expect(hashString("anything")).toBeLessThan(2 ** 32);
  });
});

describe("LSH banding", () => {
  it.each([0.5, 0.7, 0.85, 0.95])("chooses bands × rows within the permutations with the S-curve near %f", (threshold) => {
    const { bands, rows } = chooseLshParams(128, threshold);
    expect(bands * rows).toBeLessThanOrEqual(128);
    const knee = (1 / bands) ** (1 / rows);
    expect(Math.abs(knee - threshold)).toBeLessThan(0.15);
  });

  it("makes near sets candidates and leaves distant ones out", () => {
    const hasher = createMinHasher({ seed: 7 });
    const index = new LshIndex(chooseLshParams(hasher.permutations, 0.8));
    index.insert(0, hasher.signature(words("w", 0, 100)));
    index.insert(1, hasher.signature(words("x", 0, 100)));
    expect(index.candidates(hasher.signature(words("w", 3, 103)))).toEqual([0]);
    expect(index.candidates(hasher.signature(words("y", 0, 100)))).toEqual([]);
  });
});

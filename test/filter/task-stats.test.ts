import { describe, expect, it } from "vitest";
import { averagePassHatK, computePassHatK, computeTaskStats } from "../../src/filter/task-stats.js";

describe("pass^k", () => {
  it.each([
    [4, 2, 1, 0.5],
    [4, 2, 2, 1 / 6],
    [4, 2, 3, 0],
    [4, 3, 2, 0.5],
    [4, 3, 3, 0.25],
    [5, 5, 5, 1],
    [8, 6, 4, 15 / 70],
    [1, 0, 1, 0],
  ])("n=%i, c=%i: pass^%i = C(c,k)/C(n,k) = %f", (n, c, k, expected) => {
    expect(computePassHatK(n, c, k)).toBeCloseTo(expected, 12);
  });

  it("refuses k outside 1..n", () => {
    expect(() => computePassHatK(3, 1, 4)).toThrow(RangeError);
    expect(() => computePassHatK(3, 1, 0)).toThrow(RangeError);
  });
});

describe("computeTaskStats", () => {
  const outcomes = [
    ...[true, false, true, true].map((passed) => ({ taskId: "a", passed })),
    ...[false, false].map((passed) => ({ taskId: "b", passed })),
    { taskId: "c", passed: true },
  ];

  it("gives each task its success rate and pass^k for k = 1..n", () => {
    expect(computeTaskStats(outcomes)).toEqual({
      a: { episodes: 4, passed: 3, successRate: 0.75, passHatK: { "1": 0.75, "2": 0.5, "3": 0.25, "4": 0 } },
      b: { episodes: 2, passed: 0, successRate: 0, passHatK: { "1": 0, "2": 0 } },
      c: { episodes: 1, passed: 1, successRate: 1, passHatK: { "1": 1 } },
    });
  });

  it("averages pass^k over the tasks with at least k episodes", () => {
    expect(averagePassHatK(computeTaskStats(outcomes))).toEqual({ "1": Math.round(((0.75 + 0 + 1) / 3) * 10000) / 10000, "2": 0.25, "3": 0.25, "4": 0 });
  });
});

import type { PassHatK, TaskStats } from "../domain/dataset.js";

/**
 * pass^k of a task as τ-bench defines it: the chance that k episodes drawn without replacement from the
 * task's n judged episodes, c of which passed, all pass — C(c, k) / C(n, k).
 */
export function computePassHatK(episodes: number, passed: number, k: number): number {
  if (k < 1 || k > episodes) throw new RangeError(`pass^${k} needs 1 ≤ k ≤ ${episodes} episodes`);
  let ratio = 1;
  for (let drawn = 0; drawn < k; drawn++) ratio *= Math.max(0, passed - drawn) / (episodes - drawn);
  return ratio;
}

/** Success rate and pass^k (k = 1..n) of every task, from whether each of its judged episodes passed. */
export function computeTaskStats(outcomes: Iterable<{ taskId: string; passed: boolean }>): Record<string, TaskStats> {
  const tallies = new Map<string, { episodes: number; passed: number }>();
  for (const outcome of outcomes) {
    const tally = tallies.get(outcome.taskId) ?? { episodes: 0, passed: 0 };
    tally.episodes++;
    if (outcome.passed) tally.passed++;
    tallies.set(outcome.taskId, tally);
  }
  const stats: Record<string, TaskStats> = {};
  for (const [taskId, { episodes, passed }] of tallies) {
    const passHatK: PassHatK = {};
    for (let k = 1; k <= episodes; k++) passHatK[String(k)] = round(computePassHatK(episodes, passed, k));
    stats[taskId] = { episodes, passed, successRate: round(passed / episodes), passHatK };
  }
  return stats;
}

/** pass^k for each k, averaged over the tasks with at least k judged episodes (τ-bench's dataset figure). */
export function averagePassHatK(stats: Record<string, TaskStats>): PassHatK {
  const sums = new Map<number, { total: number; tasks: number }>();
  for (const task of Object.values(stats)) {
    for (let k = 1; k <= task.episodes; k++) {
      const sum = sums.get(k) ?? { total: 0, tasks: 0 };
      sums.set(k, { total: sum.total + computePassHatK(task.episodes, task.passed, k), tasks: sum.tasks + 1 });
    }
  }
  return Object.fromEntries([...sums].sort(([a], [b]) => a - b).map(([k, sum]) => [String(k), round(sum.total / sum.tasks)]));
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}

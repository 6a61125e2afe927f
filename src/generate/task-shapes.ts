import { DEFAULT_TASK_SHAPES, type TaskShapeMix } from "../domain/config.js";
import { TaskShapeSchema, type TaskShape } from "../domain/task.js";

/**
 * `count` task shapes in the proportions of the mix, spread out rather than bunched (a smooth weighted
 * round-robin): every shape with a weight shows up as soon as the count allows, in a fixed order.
 */
export function assignShapes(mix: TaskShapeMix = DEFAULT_TASK_SHAPES, count: number): TaskShape[] {
  const weighted = TaskShapeSchema.options.flatMap((shape) => ((mix[shape] ?? 0) > 0 ? [{ shape, weight: mix[shape] as number, current: 0 }] : []));
  const total = weighted.reduce((sum, entry) => sum + entry.weight, 0);
  if (total === 0) return [];
  return Array.from({ length: count }, () => {
    for (const entry of weighted) entry.current += entry.weight;
    const best = weighted.reduce((top, entry) => (entry.current > top.current ? entry : top));
    best.current -= total;
    return best.shape;
  });
}

/** Deal the shapes to agents round-robin, each taking as many as it has tasks, so every agent gets a spread. */
export function dealShapes(shapes: readonly TaskShape[], counts: readonly number[]): TaskShape[][] {
  const dealt: TaskShape[][] = counts.map(() => []);
  let agent = 0;
  for (const shape of shapes) {
    for (let tried = 0; tried < counts.length && (dealt[agent]?.length ?? 0) >= (counts[agent] ?? 0); tried++) agent = (agent + 1) % counts.length;
    dealt[agent]?.push(shape);
    agent = (agent + 1) % counts.length;
  }
  return dealt;
}

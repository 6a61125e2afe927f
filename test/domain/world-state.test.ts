import { describe, expect, it } from "vitest";
import type { Step } from "../../src/domain/episode.js";
import { applyStateOperations, readPath, rebuildWorldState } from "../../src/domain/world-state.js";

const initial = { entities: { order: { "ORD-1": { id: "ORD-1", status: "shipped" } } } };
const step = (index: number, stateDiff: NonNullable<Step["tool"]>["stateDiff"]): Step => ({
  index,
  actor: "tool_executor",
  latencyMs: 0,
  labels: [],
  tool: { toolCallId: `c${index}`, toolName: "t", execution: "simulated", outcome: "ok", stateDiff },
});

describe("world state", () => {
  it("applies set and delete operations to a copy and reports those that applied", () => {
    const { state, applied } = applyStateOperations(initial, [
      { op: "set", path: ["entities", "order", "ORD-2"], value: { id: "ORD-2" } },
      { op: "delete", path: ["entities", "nothing", "here"] },
      { op: "delete", path: ["entities", "order", "ORD-1"] },
    ]);
    expect(applied).toHaveLength(2);
    expect(state).toEqual({ entities: { order: { "ORD-2": { id: "ORD-2" } } } });
    expect(initial.entities.order["ORD-1"]).toBeDefined();
    expect(readPath(state, "entities.order.ORD-2.id")).toBe("ORD-2");
  });

  it("rebuilds the state after any step from the initial state and the steps' diffs", () => {
    const steps: Step[] = [
      { index: 0, actor: "system", latencyMs: 0, labels: [] },
      step(1, [{ op: "set", path: ["entities", "order", "ORD-2"], value: { id: "ORD-2", status: "pending" } }]),
      step(2, []),
      step(3, [{ op: "set", path: ["entities", "order", "ORD-1", "status"], value: "cancelled" }]),
      step(4, [{ op: "delete", path: ["entities", "order", "ORD-2"] }]),
    ];
    expect(rebuildWorldState(initial, steps, 0)).toEqual(initial);
    expect(rebuildWorldState(initial, steps, 2)).toEqual({ entities: { order: { "ORD-1": { id: "ORD-1", status: "shipped" }, "ORD-2": { id: "ORD-2", status: "pending" } } } });
    expect(rebuildWorldState(initial, steps, 3)).toEqual({ entities: { order: { "ORD-1": { id: "ORD-1", status: "cancelled" }, "ORD-2": { id: "ORD-2", status: "pending" } } } });
    expect(rebuildWorldState(initial, steps)).toEqual({ entities: { order: { "ORD-1": { id: "ORD-1", status: "cancelled" } } } });
    expect(initial.entities.order["ORD-1"].status).toBe("shipped");
  });
});

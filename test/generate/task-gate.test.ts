import { describe, expect, it } from "vitest";
import type { BlueprintTool } from "../../src/world/blueprint.js";
import { gateTask, type GateInput } from "../../src/generate/task-gate.js";
import { ORDER, SHOP_TOOLS, shopState } from "../world/world-fixtures.js";

const TOOLS: BlueprintTool[] = Object.values(SHOP_TOOLS).map((tool) => ({ ...tool, entities: [ORDER] }));
const FACTS = [{ key: "order_id", value: "ORD-10001", description: "your order number" }];

function gate(overrides: Partial<GateInput>) {
  return gateTask({ hiddenFacts: FACTS, initialState: shopState(), ...overrides }, TOOLS);
}

describe("the gate before simulation", () => {
  it("passes a task whose blueprint runs, and computes its final state by executing the actions", () => {
    const result = gate({ shape: "chained", blueprint: { actions: [{ tool: "get_order", arguments: { order_id: "ORD-10001" } }, { tool: "cancel_order", arguments: { order_id: "ORD-10001" } }], answerFacts: [] } });
    expect(result.verdict).toEqual({ passed: true, problems: [], verifiable: true });
    expect(result.blueprint?.finalState).toMatchObject({ entities: { order: { "ORD-10001": { status: "cancelled" }, "ORD-10002": { status: "delivered" } } } });
  });

  it("refuses a task without a blueprint", () => {
    expect(gate({}).verdict).toMatchObject({ passed: false, problems: [{ reason: "missing_blueprint" }] });
  });

  it("refuses hidden facts that name records the initial state does not hold", () => {
    const result = gate({ hiddenFacts: [{ key: "order_id", value: "ORD-55555", description: "your order number" }], blueprint: { actions: [{ tool: "get_order", arguments: { order_id: "ORD-10001" } }], answerFacts: ["pending"] } });
    expect(result.verdict.problems).toEqual([{ reason: "unknown_record", detail: "hidden fact order_id names order ORD-55555, which the initial state does not hold" }]);
  });

  it("refuses actions of unknown tools, with invalid arguments, or that fail on the initial state", () => {
    expect(gate({ blueprint: { actions: [{ tool: "refund_order", arguments: { order_id: "ORD-10001" } }], answerFacts: [] } }).verdict.problems[0]?.reason).toBe("action_unknown_tool");
    expect(gate({ blueprint: { actions: [{ tool: "get_order", arguments: { order_id: "10001" } }], answerFacts: [] } }).verdict.problems[0]).toMatchObject({ reason: "action_invalid_arguments", detail: expect.stringMatching(/get_order.*pattern/) });
    const failing = gate({ blueprint: { actions: [{ tool: "cancel_order", arguments: { order_id: "ORD-10002" } }], answerFacts: [] } });
    expect(failing.verdict.problems).toEqual([{ reason: "action_error", detail: expect.stringMatching(/cannot be cancelled: it is delivered/) }]);
    expect(failing.blueprint).toBeUndefined();
  });

  it("refuses a write that changes nothing, a look-up without answer facts and an infeasible task that writes", () => {
    expect(gate({ blueprint: { actions: [{ tool: "update_shipping_city", arguments: { order_id: "ORD-10001", shipping_city: "Lisbon" } }], answerFacts: [] } }).verdict.problems.map((problem) => problem.reason)).toEqual(["write_without_change"]);
    expect(gate({ shape: "lookup", blueprint: { actions: [{ tool: "get_order", arguments: { order_id: "ORD-10001" } }], answerFacts: [] } }).verdict.problems.map((problem) => problem.reason)).toEqual(["lookup_without_facts"]);
    expect(gate({ shape: "infeasible", blueprint: { actions: [{ tool: "cancel_order", arguments: { order_id: "ORD-10001" } }], answerFacts: [] } }).verdict.problems.map((problem) => problem.reason)).toEqual(["infeasible_with_writes"]);
    expect(gate({ shape: "infeasible", blueprint: { actions: [{ tool: "get_order", arguments: { order_id: "ORD-10002" } }], answerFacts: [] } }).verdict.passed).toBe(true);
    expect(gate({ shape: "no_tool", blueprint: { actions: [], answerFacts: [] } }).verdict.passed).toBe(true);
  });

  it("checks tools without an effect against their schema only, and says their episodes cannot be verified", () => {
    const withoutEffect: BlueprintTool[] = [{ name: "read_file", inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] }, entities: [] }];
    const result = gateTask({ hiddenFacts: [], initialState: {}, blueprint: { actions: [{ tool: "read_file", arguments: { path: "/notes.txt" } }], answerFacts: [] } }, withoutEffect);
    expect(result.verdict).toEqual({ passed: true, problems: [], verifiable: false });
    expect(gateTask({ hiddenFacts: [], initialState: {}, blueprint: { actions: [{ tool: "read_file", arguments: {} }], answerFacts: [] } }, withoutEffect).verdict.problems[0]?.reason).toBe("action_invalid_arguments");
  });
});

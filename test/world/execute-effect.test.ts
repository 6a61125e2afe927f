import { describe, expect, it } from "vitest";
import { executeEffect, type WorldTool } from "../../src/world/execute-effect.js";
import { validateJsonSchema } from "../../src/support/json-schema.js";
import { ORDER, SHOP_TOOLS, shopState } from "./world-fixtures.js";
import type { JsonObject } from "../../src/domain/common.js";

function run(tool: WorldTool, args: JsonObject, state = shopState()) {
  return executeEffect({ tool, entity: tool.effect.entity ? ORDER : undefined, state, arguments: args });
}

describe("the environment executor", () => {
  it("answers a get from the state, in the output schema's shape, and changes nothing", () => {
    const answer = run(SHOP_TOOLS.getOrder, { order_id: "ORD-10001" });
    expect(answer.isError).toBe(false);
    expect(answer.result).toEqual({ id: "ORD-10001", status: "pending", customer_email: "ana.lima@example.com", total_amount: 42.5, shipping_city: "Lisbon" });
    expect(answer.stateUpdate).toEqual([]);
    expect(answer.problems).toEqual([]);
  });

  it("answers a fabricated id with the declared not-found error and leaves the state alone", () => {
    const state = shopState();
    const answer = run(SHOP_TOOLS.cancelOrder, { order_id: "ORD-99999" }, state);
    expect(answer).toMatchObject({ isError: true, result: { error: "order_not_found", message: "No order with ID ORD-99999 exists." }, error: { when: "not_found" }, stateUpdate: [] });
    expect(answer.state).toEqual(shopState());
  });

  it("answers a violated precondition with its declared error, filled in", () => {
    const answer = run(SHOP_TOOLS.cancelOrder, { order_id: "ORD-10002" });
    expect(answer).toMatchObject({ isError: true, result: { error: "order_not_cancellable", message: "Order ORD-10002 cannot be cancelled: it is delivered." }, error: { when: "precondition" } });
    expect(answer.stateUpdate).toEqual([]);
  });

  it("moves a record through a transition and records the change as a state operation", () => {
    const answer = run(SHOP_TOOLS.cancelOrder, { order_id: "ORD-10001", reason: "ordered twice" });
    expect(answer.isError).toBe(false);
    expect(answer.result).toMatchObject({ id: "ORD-10001", status: "cancelled" });
    expect(answer.stateUpdate).toEqual([{ op: "set", path: ["entities", "order", "ORD-10001"], value: { ...(shopState().entities as JsonObject & { order: Record<string, JsonObject> }).order["ORD-10001"], status: "cancelled" } }]);
    expect(answer.state).toMatchObject({ entities: { order: { "ORD-10001": { status: "cancelled" }, "ORD-10002": { status: "delivered" } } } });
  });

  it("gives the same answer to the same call on the same state", () => {
    for (const [tool, args] of [
      [SHOP_TOOLS.createOrder, { customer_email: "new@example.com", total_amount: 10 }],
      [SHOP_TOOLS.searchOrders, { customer_email: "ANA.LIMA@example.com " }],
      [SHOP_TOOLS.cancelOrder, { order_id: "ORD-10003" }],
    ] as const) {
      expect(run(tool, args)).toEqual(run(tool, args));
    }
  });

  it("creates records with new, unique ids of the entity's prefix, and the fields the call gives", () => {
    let state = shopState();
    const ids = new Set<string>();
    for (let n = 0; n < 20; n++) {
      const answer = run(SHOP_TOOLS.createOrder, { customer_email: "same@example.com", total_amount: 10 }, state);
      expect(answer.isError).toBe(false);
      const id = (answer.result as JsonObject).id as string;
      expect(id).toMatch(/^ORD-\d{5}$/);
      expect(Object.keys((state.entities as Record<string, JsonObject>).order as JsonObject)).not.toContain(id);
      ids.add(id);
      expect(answer.result).toEqual({ id, customer_email: "same@example.com", total_amount: 10, status: "pending" });
      state = answer.state;
    }
    expect(ids.size).toBe(20);
  });

  it("searches by equality, bounds and text, and shapes the list with its count", () => {
    expect(run(SHOP_TOOLS.searchOrders, { customer_email: "ana.lima@example.com", min_total: 100 }).result).toMatchObject({ total: 1, orders: [{ id: "ORD-10002" }] });
    expect(run(SHOP_TOOLS.searchOrders, { city: "port" }).result).toMatchObject({ total: 1, orders: [{ id: "ORD-10002" }] });
    expect(run(SHOP_TOOLS.searchOrders, {}).result).toMatchObject({ total: 3 });
    expect(run(SHOP_TOOLS.searchOrders, { customer_email: "nobody@example.com" }).result).toEqual({ orders: [], total: 0 });
  });

  it("updates only the fields the call sets, and deletes records", () => {
    expect(run(SHOP_TOOLS.updateCity, { order_id: "ORD-10003", shipping_city: "Kyoto" }).result).toEqual({ id: "ORD-10003", status: "paid", customer_email: "kenji@example.com", total_amount: 9.99, shipping_city: "Kyoto" });
    const deleted = run(SHOP_TOOLS.deleteOrder, { order_id: "ORD-10003" });
    expect(deleted.result).toEqual({ id: "ORD-10003", deleted: true });
    expect(deleted.stateUpdate).toEqual([{ op: "delete", path: ["entities", "order", "ORD-10003"] }]);
    expect(run(SHOP_TOOLS.getOrder, { order_id: "ORD-10003" }, deleted.state).isError).toBe(true);
  });

  it("counts and sums over the selected records", () => {
    expect(run(SHOP_TOOLS.countOrders, { status: "pending" }).result).toEqual({ total: 1 });
    expect(run(SHOP_TOOLS.countOrders, {}).result).toEqual({ total: 3 });
    expect(run(SHOP_TOOLS.sumOrders, { customer_email: "ana.lima@example.com" }).result).toEqual({ amount: 162.5 });
  });

  it("computes a pure function from its arguments without asking for an id", () => {
    const answer = run(SHOP_TOOLS.circumference, { radius: 2 });
    expect(answer).toMatchObject({ isError: false, result: { circumference: 12.566371 }, stateUpdate: [] });
    expect(run(SHOP_TOOLS.circumference, { radius: "x" })).toMatchObject({ isError: true, result: { error: "invalid_arguments" } });
  });

  it("shapes every successful answer to the tool's output schema", () => {
    for (const [tool, args] of [
      [SHOP_TOOLS.getOrder, { order_id: "ORD-10001" }],
      [SHOP_TOOLS.createOrder, { customer_email: "x@example.com", total_amount: 1 }],
      [SHOP_TOOLS.searchOrders, {}],
      [SHOP_TOOLS.deleteOrder, { order_id: "ORD-10001" }],
      [SHOP_TOOLS.countOrders, {}],
    ] as const) {
      const answer = run(tool, args);
      expect(answer.problems).toEqual([]);
      expect(validateJsonSchema(tool.outputSchema ?? {}, answer.result).valid).toBe(true);
    }
  });

  it("fills required output fields the effect does not produce and wraps a record the schema nests", () => {
    const tool: WorldTool = {
      ...SHOP_TOOLS.getOrder,
      outputSchema: { type: "object", properties: { order: { type: "object", properties: { id: { type: "string" } } }, success: { type: "boolean" }, message: { type: "string" } }, required: ["order", "success", "message"], additionalProperties: false },
    };
    expect(run(tool, { order_id: "ORD-10001" }).result).toMatchObject({ order: { id: "ORD-10001", status: "pending" }, success: true, message: "Order ORD-10001 found." });
  });
});

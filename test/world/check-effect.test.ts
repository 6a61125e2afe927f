import { describe, expect, it } from "vitest";
import { ToolEffectSchema } from "../../src/domain/effect.js";
import { checkEffect } from "../../src/world/check-effect.js";
import { ORDER, SHOP_TOOLS } from "./world-fixtures.js";

const input = { type: "object", properties: { order_id: { type: "string" }, status: { type: "string" }, radius: { type: "number" }, label: { type: "string" } } };

function check(effect: unknown) {
  return checkEffect(ToolEffectSchema.parse(effect), { inputSchema: input }, [ORDER]);
}

describe("effect validation", () => {
  it("accepts effects that fit the tool and the domain", () => {
    for (const tool of Object.values(SHOP_TOOLS)) expect(checkEffect(tool.effect, tool, [ORDER]), tool.name).toEqual([]);
  });

  it("names the entity, field, parameter or value that does not fit", () => {
    expect(check({ entity: "invoice", operation: "get", select: [{ parameter: "order_id", field: "id" }] })).toEqual(['effect.entity: "invoice" is not an entity of the domain (its entities: order)']);
    expect(check({ entity: "order", operation: "get", select: [{ parameter: "id", field: "id" }] })).toEqual([
      'effect.select[0].parameter: "id" is not a parameter of the tool (its parameters: order_id, status, radius, label)',
    ]);
    expect(check({ entity: "order", operation: "update", select: [{ parameter: "order_id", field: "id" }], set: [{ parameter: "status", field: "state" }] })).toEqual([
      'effect.set[0].field: "state" is not a field of order (its fields: id, status, customer_email, total_amount, shipping_city)',
    ]);
    expect(check({ entity: "order", operation: "transition", select: [{ parameter: "order_id", field: "id" }], transition: { field: "status", to: "lost" } })[0]).toMatch(
      /^effect\.transition\.to: "lost" is not a value order\.status allows/,
    );
    expect(check({ entity: "order", operation: "transition", select: [{ parameter: "order_id", field: "id" }], transition: { field: "status", to: "cancelled" }, preconditions: [{ field: "status", oneOf: ["open"], error: "x" }] })).toEqual([
      'effect.preconditions[0].oneOf: "open" not allowed by order.status',
    ]);
  });

  it("wants a target for record operations, a change for updates and numbers for formulas", () => {
    expect(check({ entity: "order", operation: "delete" })).toEqual(["effect.select: a delete names the record it works on (a parameter selecting by id)"]);
    expect(check({ entity: "order", operation: "update", select: [{ parameter: "order_id", field: "id" }] })).toEqual(["effect.set: an update sets at least one field"]);
    expect(check({ operation: "compute", compute: { kind: "formula", expression: "label * 2", result: "x" } })).toEqual(['effect.compute.expression: "label" is not a numeric parameter']);
    expect(check({ operation: "compute", compute: { kind: "formula", expression: "2 * diameter", result: "x" } })[0]).toMatch(/"diameter" is not a parameter of the tool/);
    expect(check({ entity: "order", operation: "compute", compute: { kind: "sum", field: "shipping_city" } })).toEqual(["effect.compute.field: order.shipping_city is not numeric"]);
  });
});

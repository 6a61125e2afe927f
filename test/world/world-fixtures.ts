import type { JsonObject } from "../../src/domain/common.js";
import type { Entity } from "../../src/domain/domain.js";
import { ToolEffectSchema, type ToolEffect } from "../../src/domain/effect.js";
import type { WorldTool } from "../../src/world/execute-effect.js";

/** A small shop domain's order entity, a state with three orders, and tools with declared effects over it. */
export const ORDER: Entity = {
  name: "order",
  plural: "orders",
  idPrefix: "ORD",
  description: "A customer order",
  fields: [
    { name: "status", description: "Where the order is", schema: { type: "string", enum: ["pending", "paid", "shipped", "delivered", "cancelled"] }, examples: [] },
    { name: "customer_email", description: "Who ordered", schema: { type: "string", format: "email" }, examples: [] },
    { name: "total_amount", description: "The total", schema: { type: "number", minimum: 0 }, examples: [] },
    { name: "shipping_city", description: "Where it goes", schema: { type: "string" }, examples: [] },
  ],
  actions: [],
};

export function shopState(): JsonObject {
  return {
    entities: {
      order: {
        "ORD-10001": { id: "ORD-10001", status: "pending", customer_email: "ana.lima@example.com", total_amount: 42.5, shipping_city: "Lisbon" },
        "ORD-10002": { id: "ORD-10002", status: "delivered", customer_email: "ana.lima@example.com", total_amount: 120, shipping_city: "Porto" },
        "ORD-10003": { id: "ORD-10003", status: "paid", customer_email: "kenji@example.com", total_amount: 9.99, shipping_city: "Osaka" },
      },
    },
  };
}

const RECORD_SCHEMA = {
  type: "object",
  properties: {
    id: { type: "string", pattern: "^ORD-\\d{4,6}$" },
    status: { type: "string", enum: ["pending", "paid", "shipped", "delivered", "cancelled"] },
    customer_email: { type: "string" },
    total_amount: { type: "number" },
    shipping_city: { type: "string" },
  },
  required: ["id", "status"],
  additionalProperties: false,
};
const ORDER_ID = { order_id: { type: "string", pattern: "^ORD-\\d{4,6}$" } };

function tool(name: string, properties: Record<string, unknown>, required: string[], effect: unknown, outputSchema: Record<string, unknown> = RECORD_SCHEMA): WorldTool {
  return { name, inputSchema: { type: "object", properties, required, additionalProperties: false }, outputSchema, effect: ToolEffectSchema.parse(effect) as ToolEffect };
}

const notFound = { code: "order_not_found", message: "No order with ID {id} exists.", when: "not_found" };

export const SHOP_TOOLS = {
  getOrder: tool("get_order", ORDER_ID, ["order_id"], { entity: "order", operation: "get", select: [{ parameter: "order_id", field: "id" }], errors: [notFound] }),
  searchOrders: tool(
    "search_orders",
    { customer_email: { type: "string" }, min_total: { type: "number" }, city: { type: "string" } },
    [],
    {
      entity: "order",
      operation: "search",
      select: [
        { parameter: "customer_email", field: "customer_email" },
        { parameter: "min_total", field: "total_amount", match: "min" },
        { parameter: "city", field: "shipping_city", match: "contains" },
      ],
    },
    { type: "object", properties: { orders: { type: "array", items: RECORD_SCHEMA }, total: { type: "integer" } }, required: ["orders", "total"] },
  ),
  createOrder: tool(
    "create_order",
    { customer_email: { type: "string" }, total_amount: { type: "number" }, shipping_city: { type: "string" } },
    ["customer_email", "total_amount"],
    {
      entity: "order",
      operation: "create",
      set: [
        { parameter: "customer_email", field: "customer_email" },
        { parameter: "total_amount", field: "total_amount" },
        { parameter: "shipping_city", field: "shipping_city" },
      ],
      transition: { field: "status", to: "pending" },
    },
  ),
  cancelOrder: tool(
    "cancel_order",
    { ...ORDER_ID, reason: { type: "string" } },
    ["order_id"],
    {
      entity: "order",
      operation: "transition",
      select: [{ parameter: "order_id", field: "id" }],
      transition: { field: "status", to: "cancelled" },
      preconditions: [{ field: "status", oneOf: ["pending", "paid"], error: "order_not_cancellable" }],
      errors: [notFound, { code: "order_not_cancellable", message: "Order {id} cannot be cancelled: it is {value}.", when: "precondition" }],
    },
  ),
  updateCity: tool("update_shipping_city", { ...ORDER_ID, shipping_city: { type: "string" } }, ["order_id", "shipping_city"], {
    entity: "order",
    operation: "update",
    select: [{ parameter: "order_id", field: "id" }],
    set: [{ parameter: "shipping_city", field: "shipping_city" }],
    errors: [notFound],
  }),
  deleteOrder: tool("delete_order", ORDER_ID, ["order_id"], { entity: "order", operation: "delete", select: [{ parameter: "order_id", field: "id" }], errors: [notFound] }, {
    type: "object",
    properties: { id: { type: "string" }, deleted: { type: "boolean" } },
    required: ["id", "deleted"],
  }),
  countOrders: tool("count_orders", { status: { type: "string" } }, [], { entity: "order", operation: "compute", select: [{ parameter: "status", field: "status" }], compute: { kind: "count" } }, {
    type: "object",
    properties: { total: { type: "integer" } },
    required: ["total"],
  }),
  sumOrders: tool("sum_order_totals", { customer_email: { type: "string" } }, [], { entity: "order", operation: "compute", select: [{ parameter: "customer_email", field: "customer_email" }], compute: { kind: "sum", field: "total_amount" } }, {
    type: "object",
    properties: { amount: { type: "number" } },
    required: ["amount"],
  }),
  circumference: tool("calculate_circumference", { radius: { type: "number" } }, ["radius"], { operation: "compute", compute: { kind: "formula", expression: "2 * pi * radius", result: "circumference" } }, {
    type: "object",
    properties: { circumference: { type: "number" } },
    required: ["circumference"],
  }),
} satisfies Record<string, WorldTool>;

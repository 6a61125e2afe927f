import { beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../../../src/domain/common.js";
import type { DomainSpec } from "../../../../src/domain/domain.js";
import type { ToolSpec } from "../../../../src/domain/tool.js";
import { createOfflineModel } from "../../../../src/model/providers/offline/offline-model.js";
import { ToolSimulationOutputSchema, ToolSynthesisOutputSchema, type ToolCallRecord, type ToolSimulationOutput } from "../../../../src/model/request-context.js";
import { validateJsonSchema } from "../../../../src/support/json-schema.js";
import { applyOperations, ask, findDomain } from "./offline-fixtures.js";

const model = createOfflineModel({ seed: 31 });
let domain: DomainSpec;
let tools: Map<string, ToolSpec>;
const ORDER = { id: "ORD-10442", status: "packed", customer_email: "ana.lima@example.com", total_amount: 89.9, item_count: 2, shipping_city: "Leeds", placed_on: "2026-02-20", express_shipping: false };
const OTHER = { ...ORDER, id: "ORD-20871", status: "delivered", customer_email: "kenji.watanabe@example.com" };
const initial: JsonObject = { entities: { order: { [ORDER.id]: ORDER, [OTHER.id]: OTHER } } };

beforeAll(async () => {
  domain = findDomain("online_orders");
  const synthesized = await ask(model, "tool-synthesis", ToolSynthesisOutputSchema, { purpose: "tool-synthesis", domain, count: 40, existingToolNames: [] });
  tools = new Map(synthesized.tools.map((tool) => [tool.name, tool]));
});

function tool(name: string): ToolSpec {
  const spec = tools.get(name);
  if (!spec) throw new Error(`no tool ${name}`);
  return spec;
}

async function simulate(name: string, args: JsonObject, state: JsonObject, history: ToolCallRecord[] = [], withDomain = true): Promise<ToolSimulationOutput> {
  return ask(model, "tool-simulation", ToolSimulationOutputSchema, { purpose: "tool-simulation", tool: tool(name), arguments: args, state, history, ...(withDomain ? { domain } : {}) });
}

function expectFitsOutput(name: string, output: ToolSimulationOutput): void {
  const schema = tool(name).outputSchema;
  if (schema) expect(validateJsonSchema(schema, output.result).errors).toEqual([]);
}

describe("tool world", () => {
  it("reads a record from the state, and answers not_found for an unknown id", async () => {
    const found = await simulate("get_order", { order_id: "ORD-10442" }, initial);
    expect(found).toMatchObject({ isError: false, stateUpdate: [], result: ORDER });
    expectFitsOutput("get_order", found);
    const missing = await simulate("get_order", { order_id: "ORD-55555" }, initial);
    expect(missing.isError).toBe(true);
    expect(missing.result).toMatchObject({ error: "not_found" });
    expect(missing.stateUpdate).toEqual([]);
  });

  it("filters searches by the fields given", async () => {
    const byEmail = await simulate("search_orders", { customer_email: "kenji.watanabe@example.com" }, initial);
    expect(byEmail.result).toEqual({ results: [OTHER], total: 1 });
    const byStatus = await simulate("search_orders", { status: "packed" }, initial);
    expect(byStatus.result).toEqual({ results: [ORDER], total: 1 });
    const none = await simulate("search_orders", { status: "cancelled", limit: 5 }, initial);
    expect(none.result).toEqual({ results: [], total: 0 });
    expectFitsOutput("search_orders", byEmail);
  });

  it("creates a record with a fresh id that can be read back", async () => {
    const created = await simulate("create_order", { customer_email: "mei.chen@example.com", total_amount: 42.5, item_count: 1, shipping_city: "Osaka" }, initial);
    expect(created.isError).toBe(false);
    expectFitsOutput("create_order", created);
    const record = created.result as JsonObject;
    expect(record.id).toMatch(/^ORD-\d{5}$/);
    expect(record.id).not.toBe(ORDER.id);
    expect(record).toMatchObject({ status: "pending", customer_email: "mei.chen@example.com", total_amount: 42.5 });
    expect(created.stateUpdate).toEqual([{ op: "set", path: ["entities", "order", String(record.id)], value: record }]);
    const state = applyOperations(initial, created.stateUpdate);
    const readBack = await simulate("get_order", { order_id: String(record.id) }, state, [{ tool: "create_order", arguments: {}, result: record }]);
    expect(readBack.result).toEqual(record);
  });

  it("changes status, applies domain actions and cancels through state updates", async () => {
    const updated = await simulate("update_order_status", { order_id: "ORD-10442", status: "shipped" }, initial);
    expect(updated.result).toMatchObject({ id: "ORD-10442", status: "shipped" });
    const shipped = applyOperations(initial, updated.stateUpdate);
    expect((shipped.entities as Record<string, Record<string, JsonObject>>).order?.["ORD-10442"]?.status).toBe("shipped");
    const cancelled = await simulate("cancel_order", { order_id: "ORD-10442" }, shipped);
    expect(cancelled.result).toMatchObject({ status: "cancelled" });
    // A domain action no effect stands behind (as an imported spec would be) is played from its spec.
    tools.set("refund_order", { ...tool("cancel_order"), name: "refund_order", description: "Refund an order: the amount given goes back to the customer.", inputSchema: { type: "object", properties: { order_id: { type: "string" }, amount: { type: "number" } }, required: ["order_id", "amount"] } });
    const refunded = await simulate("refund_order", { order_id: "ORD-20871", amount: 20 }, initial);
    expect(refunded.isError).toBe(false);
    expectFitsOutput("refund_order", refunded);
    const edited = await simulate("update_order", { order_id: "ORD-20871", shipping_city: "Porto" }, initial);
    expect(edited.result).toMatchObject({ shipping_city: "Porto", status: "delivered" });
    const missing = await simulate("update_order_status", { order_id: "ORD-77777", status: "shipped" }, initial);
    expect(missing).toMatchObject({ isError: true, result: { error: "not_found" }, stateUpdate: [] });
  });

  it("deletes records so that they are not found afterwards", async () => {
    const stock = findDomain("project_tasks");
    const synthesized = await ask(model, "tool-synthesis", ToolSynthesisOutputSchema, { purpose: "tool-synthesis", domain: stock, count: 40, existingToolNames: [] });
    const byName = new Map(synthesized.tools.map((spec) => [spec.name, spec]));
    const remove = byName.get("delete_work_item");
    const get = byName.get("get_work_item");
    if (!remove || !get) throw new Error("missing work item tools");
    const state: JsonObject = { entities: { work_item: { "WI-10001": { id: "WI-10001", status: "todo", title: "Release notes" } } } };
    const deleted = await ask(model, "tool-simulation", ToolSimulationOutputSchema, { purpose: "tool-simulation", tool: remove, arguments: { work_item_id: "WI-10001" }, state, history: [], domain: stock });
    expect(deleted.result).toEqual({ id: "WI-10001", deleted: true });
    expect(deleted.stateUpdate).toEqual([{ op: "delete", path: ["entities", "work_item", "WI-10001"] }]);
    const after = applyOperations(state, deleted.stateUpdate);
    const gone = await ask(model, "tool-simulation", ToolSimulationOutputSchema, { purpose: "tool-simulation", tool: get, arguments: { work_item_id: "WI-10001" }, state: after, history: [], domain: stock });
    expect(gone).toMatchObject({ isError: true, result: { error: "not_found" } });
  });

  it("works without the domain, finding the collection by id", async () => {
    const found = await simulate("get_order", { order_id: "ORD-20871" }, initial, [], false);
    expect(found.result).toEqual(OTHER);
  });

  it("answers a tool no entity stands behind from its output schema, the same way for the same arguments", async () => {
    const weather: ToolSpec = {
      name: "get_weather",
      description: "Current weather for a city.",
      inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      outputSchema: { type: "object", properties: { city: { type: "string" }, temperature_c: { type: "number" }, conditions: { type: "string", enum: ["sunny", "cloudy", "rain"] } }, required: ["city", "temperature_c", "conditions"] },
    };
    const first = await ask(model, "tool-simulation", ToolSimulationOutputSchema, { purpose: "tool-simulation", tool: weather, arguments: { city: "Lisbon" }, state: {}, history: [] });
    expect(validateJsonSchema(weather.outputSchema ?? {}, first.result).valid).toBe(true);
    expect(first.result).toMatchObject({ city: "Lisbon" });
    const history: ToolCallRecord[] = [{ tool: "get_weather", arguments: { city: "Lisbon" }, result: first.result }];
    const again = await ask(model, "tool-simulation", ToolSimulationOutputSchema, { purpose: "tool-simulation", tool: weather, arguments: { city: "Lisbon" }, state: { other: 1 }, history });
    expect(again.result).toEqual(first.result);
    const noSchema = await ask(model, "tool-simulation", ToolSimulationOutputSchema, { purpose: "tool-simulation", tool: { ...weather, outputSchema: undefined }, arguments: { city: "Porto" }, state: {}, history: [] });
    expect(noSchema.result).toMatchObject({ status: "ok", city: "Porto" });
  });

  it("answers a pure function from its arguments, never asking for an id, even when a domain entity shares its name", async () => {
    const circleDomain: DomainSpec = { ...domain, entities: [{ name: "circle", plural: "circles", idPrefix: "CIR", description: "A drawn circle", fields: [{ name: "radius", description: "Its radius", schema: { type: "number" }, examples: [] }], actions: [] }] };
    const circumference: ToolSpec = {
      name: "calculate_circle_circumference",
      description: "The circumference of a circle of the given radius.",
      inputSchema: { type: "object", properties: { radius: { type: "number" } }, required: ["radius"] },
      outputSchema: { type: "object", properties: { circumference: { type: "number" } }, required: ["circumference"] },
    };
    const answer = await ask(model, "tool-simulation", ToolSimulationOutputSchema, { purpose: "tool-simulation", tool: circumference, arguments: { radius: 2 }, state: { entities: { circle: {} } }, history: [], domain: circleDomain });
    expect(answer.isError).toBe(false);
    expect(JSON.stringify(answer.result)).not.toMatch(/id is required/i);
    expect(validateJsonSchema(circumference.outputSchema ?? {}, answer.result).valid).toBe(true);
  });
});

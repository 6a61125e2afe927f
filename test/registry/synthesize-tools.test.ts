import { describe, expect, it } from "vitest";
import { SCHEMA_VERSION } from "../../src/domain/common.js";
import type { DomainRecord } from "../../src/domain/domain.js";
import { synthesizeTools } from "../../src/registry/synthesize-tools.js";
import { checkEffect } from "../../src/world/check-effect.js";
import { taxonomyDomains } from "../model/providers/offline/offline-fixtures.js";
import { createScriptedModel } from "../helpers/scripted-model.js";
import { createTestEnv } from "../helpers/stage-env.js";
import { ORDER } from "../world/world-fixtures.js";

function domainRecord(spec: Omit<DomainRecord, "id" | "kind" | "createdAt" | "schemaVersion" | "provenance">, id = "dom_1"): DomainRecord {
  return { ...spec, id, kind: "domain", createdAt: "2026-01-01T00:00:00.000Z", schemaVersion: SCHEMA_VERSION, provenance: { source: "test", models: {}, promptHashes: [] } };
}

const SHOP = domainRecord({ category: "Commerce", name: "shop", title: "Shop", description: "A small shop.", organization: "Corner Shop", entities: [ORDER] });
const OUTPUT = { type: "object", properties: { id: { type: "string" }, status: { type: "string" } }, required: ["id"] };
const INPUT = { type: "object", properties: { order_id: { type: "string" } }, required: ["order_id"], additionalProperties: false };
const annotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: true };

describe("tool synthesis with declared effects", () => {
  it("keeps tools whose effect fits the domain, with the effect on the record, and rejects the others with the reason", async () => {
    const generator = createScriptedModel(() => ({
      tools: [
        { name: "get_order", description: "Look up one order by its ID.", inputSchema: INPUT, outputSchema: OUTPUT, annotations, effect: { entity: "order", operation: "get", select: [{ parameter: "order_id", field: "id" }] } },
        { name: "ship_order", description: "Ship one order to its customer.", inputSchema: INPUT, outputSchema: OUTPUT, annotations },
        { name: "close_order", description: "Close one order for good.", inputSchema: INPUT, outputSchema: OUTPUT, annotations, effect: { entity: "order", operation: "transition", select: [{ parameter: "order_id", field: "id" }], transition: { field: "status", to: "closed" } } },
        { name: "find_invoice", description: "Find an invoice by its ID.", inputSchema: INPUT, outputSchema: OUTPUT, annotations, effect: { entity: "invoice", operation: "get", select: [{ parameter: "order_id", field: "id" }] } },
      ],
    }));
    const env = createTestEnv({ generator });
    const { tools, rejected } = await synthesizeTools(env, { domains: [SHOP], perDomain: 4, concurrency: 1 });
    expect(tools.map((tool) => tool.name)).toEqual(["get_order"]);
    expect(tools[0]?.effect).toMatchObject({ entity: "order", operation: "get" });
    expect(rejected).toEqual([
      { domain: "shop", name: "ship_order", reason: "missing_effect", detail: "it declares no effect on the domain's entities" },
      { domain: "shop", name: "close_order", reason: "effect_mismatch", detail: expect.stringMatching(/effect\.transition\.to: "closed" is not a value order\.status allows/) },
      { domain: "shop", name: "find_invoice", reason: "effect_mismatch", detail: expect.stringMatching(/"invoice" is not an entity of the domain/) },
    ]);
    expect(env.warnings).toHaveLength(3);
  });

  it("asks for the effect and shows the domain's entities in full", async () => {
    const generator = createScriptedModel(() => ({ tools: [] }));
    await synthesizeTools(createTestEnv({ generator }), { domains: [SHOP], perDomain: 2, concurrency: 1, existingToolNames: ["get_order"] }).catch(() => undefined);
    const prompt = (generator.requests[0]?.messages ?? []).map((message) => message.content).join("\n");
    expect(prompt).toContain('"effect"');
    expect(prompt).toContain(JSON.stringify(ORDER.fields[0]?.schema));
    expect(prompt).toContain("Names already taken (choose others): get_order");
  });

  it("gives every tool the offline engine writes for the taxonomy an effect that fits its domain", async () => {
    const domains = taxonomyDomains().map((spec, index) => domainRecord(spec, `dom_${index}`));
    const { tools, rejected } = await synthesizeTools(createTestEnv(), { domains, perDomain: 12, concurrency: 4 });
    expect(rejected).toEqual([]);
    expect(tools.length).toBeGreaterThan(domains.length * 8);
    for (const tool of tools) {
      const domain = domains.find((candidate) => candidate.id === tool.domainId) as DomainRecord;
      expect(tool.effect, tool.name).toBeDefined();
      expect(checkEffect(tool.effect!, tool, domain.entities), tool.name).toEqual([]);
    }
    const operations = new Set(tools.map((tool) => tool.effect?.operation));
    expect([...operations].sort()).toEqual(["compute", "create", "delete", "get", "search", "transition", "update"]);
  });
});

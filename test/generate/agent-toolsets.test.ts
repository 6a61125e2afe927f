import { describe, expect, it } from "vitest";
import { planToolsets } from "../../src/generate/generate-agents.js";
import { SCHEMA_VERSION } from "../../src/domain/common.js";
import type { DomainRecord } from "../../src/domain/domain.js";
import { makeTool } from "../helpers/records.js";
import { ORDER } from "../world/world-fixtures.js";

const SHOP: DomainRecord = { id: "dom_shop", kind: "domain", createdAt: "2026-01-01T00:00:00.000Z", schemaVersion: SCHEMA_VERSION, provenance: { source: "test", models: {}, promptHashes: [] }, category: "Commerce", name: "shop", title: "Shop", description: "A small shop.", organization: "Corner Shop", entities: [ORDER] };

describe("agent toolsets", () => {
  it("leave out tools that failed their audit, and stale ones", () => {
    const passed = { passed: true, checks: [{ check: "valid_call" as const, passed: true, detail: "ok" }] };
    const failed = { passed: false, checks: [{ check: "valid_call" as const, passed: false, detail: "the answer does not fit the output schema" }] };
    const tools = [
      makeTool("get_order", { domainId: SHOP.id, audit: passed }),
      makeTool("cancel_order", { domainId: SHOP.id, audit: failed }),
      makeTool("list_orders", { domainId: SHOP.id, stale: true }),
      makeTool("search_orders", { domainId: SHOP.id }),
    ];
    const plans = planToolsets({ domains: [SHOP], tools, count: 3, minTools: 1, maxTools: 8, concurrency: 1 }, 1);
    for (const plan of plans) expect(plan.tools.map((tool) => tool.name).sort()).toEqual(["get_order", "search_orders"]);
  });
});

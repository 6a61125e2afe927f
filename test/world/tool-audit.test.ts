import { describe, expect, it } from "vitest";
import { ToolEffectSchema } from "../../src/domain/effect.js";
import { auditTool } from "../../src/world/tool-audit.js";
import type { WorldTool } from "../../src/world/execute-effect.js";
import { SCHEMA_VERSION } from "../../src/domain/common.js";
import type { DomainRecord } from "../../src/domain/domain.js";
import { synthesizeTools } from "../../src/registry/synthesize-tools.js";
import { taxonomyDomains } from "../model/providers/offline/offline-fixtures.js";
import { createTestEnv } from "../helpers/stage-env.js";
import { ORDER, SHOP_TOOLS } from "./world-fixtures.js";

const checksOf = (tool: WorldTool) => auditTool(tool, [ORDER]).checks.map((check) => [check.check, check.passed]);

describe("the tool audit", () => {
  it("passes tools that behave: a valid call, the same answer twice, not found for an unknown id, the declared error on a broken precondition", () => {
    expect(checksOf(SHOP_TOOLS.cancelOrder)).toEqual([["effect", true], ["valid_call", true], ["same_answer", true], ["unknown_id", true], ["precondition", true]]);
    expect(checksOf(SHOP_TOOLS.createOrder)).toEqual([["effect", true], ["valid_call", true], ["same_answer", true]]);
    expect(checksOf(SHOP_TOOLS.circumference)).toEqual([["effect", true], ["valid_call", true], ["same_answer", true]]);
    for (const tool of Object.values(SHOP_TOOLS)) expect(auditTool(tool, [ORDER]).passed, tool.name).toBe(true);
  });

  it("fails a tool whose effect does not fit, whose answers miss the output schema, or whose write changes nothing", () => {
    const misfit = { ...SHOP_TOOLS.getOrder, effect: ToolEffectSchema.parse({ entity: "order", operation: "get", select: [{ parameter: "ticket_id", field: "id" }] }) };
    expect(auditTool(misfit, [ORDER])).toMatchObject({ passed: false, checks: [{ check: "effect", passed: false, detail: expect.stringMatching(/"ticket_id" is not a parameter/) }] });

    const wrongOutput = { ...SHOP_TOOLS.getOrder, outputSchema: { type: "object", properties: { id: { type: "string", pattern: "^order_[a-z]+$" } }, required: ["id"] } };
    const audit = auditTool(wrongOutput, [ORDER]);
    expect(audit.passed).toBe(false);
    expect(audit.checks.find((check) => check.check === "valid_call")).toMatchObject({ passed: false, detail: expect.stringMatching(/does not fit the output schema/) });

    const noChange: WorldTool = { ...SHOP_TOOLS.updateCity, effect: ToolEffectSchema.parse({ ...SHOP_TOOLS.updateCity.effect, set: [], transition: { field: "status", to: "pending" }, preconditions: [{ field: "status", oneOf: ["pending"], error: "x" }] }) };
    expect(auditTool(noChange, [ORDER]).checks.find((check) => check.check === "valid_call")).toMatchObject({ passed: false, detail: "a valid call of a write changed nothing" });
  });

  it("fails a tool that cannot be called as its own input schema says", () => {
    const impossible = { ...SHOP_TOOLS.getOrder, inputSchema: { type: "object", properties: { order_id: { type: "string", pattern: "^ORD-\\d+$" }, code: { type: "string", pattern: "^(?=x)y$" } }, required: ["order_id", "code"] } };
    expect(auditTool(impossible, [ORDER]).checks.at(-1)).toMatchObject({ check: "valid_call", passed: false, detail: expect.stringMatching(/no sample call fits the input schema/) });
  });

  it("passes every tool the offline engine writes for the taxonomy", async () => {
    const domains = taxonomyDomains().map((spec, index): DomainRecord => ({ ...spec, id: `dom_${index}`, kind: "domain", createdAt: "2026-01-01T00:00:00.000Z", schemaVersion: SCHEMA_VERSION, provenance: { source: "test", models: {}, promptHashes: [] } }));
    const { tools } = await synthesizeTools(createTestEnv(), { domains, perDomain: 12, concurrency: 4 });
    const failed = tools.flatMap((tool) => {
      const domain = domains.find((candidate) => candidate.id === tool.domainId) as DomainRecord;
      const audit = auditTool({ ...tool, effect: tool.effect! }, domain.entities);
      return audit.passed ? [] : [`${tool.name}: ${audit.checks.filter((check) => !check.passed).map((check) => check.detail).join("; ")}`];
    });
    expect(failed).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { analyzeTool } from "../../../../src/model/providers/offline/tool-anatomy.js";

const tool = (name: string, description: string) => ({ type: "function" as const, function: { name, description, parameters: { type: "object", properties: { names: { type: "array", items: { type: "string" } } } } } });

describe("analyzeTool", () => {
  it("reads 'open' from the description: opening named nodes reads, opening a new ticket creates", () => {
    expect(analyzeTool(tool("open_nodes", "Open specific nodes in the knowledge graph by their names")).operation).not.toMatch(/create|update|delete|action/);
    expect(analyzeTool(tool("open_ticket", "Open a new support ticket for the customer")).operation).toBe("create");
  });
});

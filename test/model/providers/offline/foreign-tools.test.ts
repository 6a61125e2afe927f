import { describe, expect, it } from "vitest";
import { FIXTURE_CATALOG, FIXTURE_FUNCTIONS } from "../../../helpers/test-data.js";
import { catalogToolsets, exercise, functionToolsets } from "./foreign-toolsets.js";

/** Tools that no taxonomy entity stands behind: our own server catalog and function list (the real ones: foreign-tools.shared.test.ts). */
describe("tools from outside the taxonomy", () => {
  it("drives a catalog of MCP servers' tools without invalid calls, and mostly gets results", async () => {
    const toolsets = catalogToolsets(FIXTURE_CATALOG.file, { servers: 60, toolsPerServer: 8 });
    expect(toolsets).toHaveLength(11);
    const { episodes, withResults } = await exercise(toolsets);
    expect(episodes).toBe(22);
    expect(withResults / episodes).toBeGreaterThan(0.85);
  });

  it("drives a list of OpenAI function specs", async () => {
    const { episodes } = await exercise(functionToolsets(FIXTURE_FUNCTIONS.file));
    expect(episodes).toBe(4);
  });
});

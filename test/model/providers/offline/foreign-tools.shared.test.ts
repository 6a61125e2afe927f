import { describe, expect, it } from "vitest";
import { TAU_BENCH_FUNCTIONS, TOUCAN_CATALOG } from "../../../helpers/test-data.js";
import { catalogToolsets, exercise, functionToolsets } from "./foreign-toolsets.js";

/** Tools that no taxonomy entity stands behind: real MCP servers (Toucan crawl) and tau-bench's function specs. */
describe("tools from outside the taxonomy (shared data)", () => {
  it("drives real MCP servers' tools without invalid calls, and mostly gets results", async () => {
    const { episodes, withResults } = await exercise(catalogToolsets(TOUCAN_CATALOG.file, { servers: 60, toolsPerServer: 8 }));
    console.log(`foreign toolsets: ${withResults}/${episodes} episodes got results`);
    expect(episodes).toBeGreaterThan(80);
    expect(withResults / episodes).toBeGreaterThan(0.85);
  });

  it("drives tau-bench's airline and retail function specs", async () => {
    const { episodes } = await exercise(functionToolsets(TAU_BENCH_FUNCTIONS.file));
    expect(episodes).toBe(8);
  });
});

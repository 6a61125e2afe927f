import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TOOL_NAME_PATTERN } from "../../src/domain/tool.js";
import { buildImportedTools, parseToolSpecs } from "../../src/registry/import-tools.js";
import { createFixedClock } from "../../src/support/clock.js";
import { createSequentialIds } from "../../src/support/ids.js";
import { TOUCAN_CATALOG } from "../helpers/test-data.js";

describe("parseToolSpecs of the Toucan crawl (shared data)", () => {
  it("imports the Toucan crawl (870 servers, ~6,000 real MCP tools) with portable, unique names", () => {
    const parsed = parseToolSpecs(JSON.parse(readFileSync(TOUCAN_CATALOG.file, "utf8")));
    expect(parsed.specs.length + parsed.skipped.length).toBeGreaterThan(5_900);
    expect(parsed.specs.length).toBeGreaterThan(5_000);
    const { tools } = buildImportedTools(parsed.specs, { existing: [], ids: createSequentialIds(), clock: createFixedClock() });
    expect(tools.every((tool) => TOOL_NAME_PATTERN.test(tool.name))).toBe(true);
    expect(new Set(tools.map((tool) => tool.name)).size).toBe(tools.length);
    expect(tools.every((tool) => tool.origin.serverName && tool.origin.format === "mcp-tools")).toBe(true);
  });
});

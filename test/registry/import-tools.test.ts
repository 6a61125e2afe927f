import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TOOL_NAME_PATTERN } from "../../src/domain/tool.js";
import { InputError } from "../../src/errors/input-error.js";
import { DomainSpecSchema } from "../../src/domain/domain.js";
import { buildImportedTools, defaultImportDomainName, domainForImport, IMPORTED_TOOLS_CATEGORY, parseToolSpecs } from "../../src/registry/import-tools.js";
import { createFixedClock } from "../../src/support/clock.js";
import { createSequentialIds } from "../../src/support/ids.js";
import { REPO_ROOT } from "../helpers/run-cli.js";
import { FIXTURE_CATALOG } from "../helpers/test-data.js";

const object = (properties: Record<string, unknown> = {}) => ({ type: "object", properties });

describe("parseToolSpecs", () => {
  it("reads OpenAI tools, legacy OpenAI functions and MCP tools in one list", () => {
    const parsed = parseToolSpecs([
      { type: "function", function: { name: "get_weather", description: "Weather.", parameters: object({ city: { type: "string" } }) } },
      { name: "legacy_fn", description: "Old style.", parameters: object() },
      { name: "no_parameters" },
      { name: "mcp_tool", description: "MCP style.", inputSchema: object(), outputSchema: object(), annotations: { readOnlyHint: true } },
    ]);
    expect(parsed.skipped).toEqual([]);
    expect(parsed.specs.map((spec) => [spec.originalName, spec.format])).toEqual([
      ["get_weather", "openai-tools"],
      ["legacy_fn", "openai-functions"],
      ["no_parameters", "openai-functions"],
      ["mcp_tool", "mcp-tools"],
    ]);
    expect(parsed.specs[2]?.inputSchema).toEqual(object());
    expect(parsed.specs[3]).toMatchObject({ outputSchema: object(), annotations: { readOnlyHint: true } });
  });

  it("skips unusable specs with the reason", () => {
    const parsed = parseToolSpecs({
      tools: [
        { name: "fine", inputSchema: object() },
        { name: "not_object", inputSchema: { type: "string" } },
        { name: "broken", inputSchema: { type: "object", properties: { a: { type: 42 } } } },
        { name: "broken_output", inputSchema: object(), outputSchema: { type: "nonsense" } },
        { name: "fine", inputSchema: object() },
        "just a string",
      ],
    });
    expect(parsed.specs.map((spec) => spec.originalName)).toEqual(["fine"]);
    expect(parsed.skipped).toEqual([
      { name: "not_object", reason: 'its inputSchema is not a JSON Schema of type "object"' },
      { name: "broken", reason: expect.stringContaining("its inputSchema does not compile") },
      { name: "broken_output", reason: expect.stringContaining("its outputSchema does not compile") },
      { name: "fine", reason: "the same tool (name, description and input schema) appears earlier in this import" },
      { name: "(entry 6)", reason: "not an object" },
    ]);
  });

  it("rejects a document of an unknown shape, naming the shapes it takes", () => {
    expect(() => parseToolSpecs({ functions: [] })).toThrow(InputError);
    expect(() => parseToolSpecs("tools")).toThrow(/OpenAI function specs .* MCP tools\/list/);
  });

  it("imports a catalog of MCP servers with portable, unique names, skipping broken and repeated tools", () => {
    const parsed = parseToolSpecs(JSON.parse(readFileSync(FIXTURE_CATALOG.file, "utf8")));
    expect(parsed.specs).toHaveLength(FIXTURE_CATALOG.imported);
    expect(parsed.skipped.filter((entry) => entry.reason.includes("does not compile"))).toHaveLength(FIXTURE_CATALOG.uncompilable);
    expect(parsed.skipped.filter((entry) => entry.reason.includes("appears earlier in this import")).map((entry) => entry.name)).toEqual(["get_booking", "resolve-library-id", "get-library-docs"]);
    const { tools } = buildImportedTools(parsed.specs, { existing: [], ids: createSequentialIds(), clock: createFixedClock() });
    expect(tools.every((tool) => TOOL_NAME_PATTERN.test(tool.name))).toBe(true);
    expect(new Set(tools.map((tool) => tool.name)).size).toBe(tools.length);
    expect(tools.every((tool) => tool.origin.serverName && tool.origin.format === "mcp-tools")).toBe(true);
    const renamed = tools.filter((tool) => tool.name !== tool.origin.originalName).map((tool) => [tool.origin.originalName, tool.name]);
    expect(renamed).toEqual([
      ["weather.alerts", "weather_alerts"],
      ["get forecast", "get_forecast_2"],
      ["汇率 FX 查询", "FX"],
      ["平均值", expect.stringMatching(/^tool_[0-9a-f]{8}$/)],
      ["Hello Tool", "Hello_Tool"],
      ["list_airports", "list_airports_2"],
      ["!pg", "pg"],
      ["get status", "get_status"],
      ["get_status", "get_status_2"],
    ]);
    expect(new Set(tools.map((tool) => tool.origin.category)).size).toBe(FIXTURE_CATALOG.categories);
  });
});

describe("buildImportedTools", () => {
  const ids = createSequentialIds();
  const clock = createFixedClock();
  it("keeps the original name, makes names unique against the registry, and skips what was imported before", () => {
    const { specs } = parseToolSpecs([{ name: "search.items", parameters: object() }, { name: "lookup", parameters: object() }]);
    const first = buildImportedTools(specs, { existing: [], ids, clock, file: "/tmp/specs.json", domainId: "dom_1" });
    expect(first.tools.map((tool) => [tool.name, tool.origin.originalName])).toEqual([["search_items", "search.items"], ["lookup", "lookup"]]);
    expect(first.tools[0]).toMatchObject({ source: "imported", domainId: "dom_1", origin: { file: "/tmp/specs.json", format: "openai-functions" }, provenance: { source: "import:openai-functions" } });

    const again = buildImportedTools(specs, { existing: first.tools, ids, clock });
    expect(again.tools).toEqual([]);
    expect(again.skipped.map((entry) => entry.reason)).toEqual([`already imported as search_items (${first.tools[0]?.id})`, `already imported as lookup (${first.tools[1]?.id})`]);

    const changed = parseToolSpecs([{ name: "lookup", description: "A different lookup.", parameters: object() }]);
    const renamed = buildImportedTools(changed.specs, { existing: first.tools, ids, clock });
    expect(renamed.tools.map((tool) => [tool.name, tool.origin.originalName])).toEqual([["lookup_2", "lookup"]]);
  });
});

describe("domains of imported tools", () => {
  it("names the default domain after the file, or imported_tools for inline specs", () => {
    expect(defaultImportDomainName("/home/ada/specs/weather-tools.json")).toBe("weather-tools");
    expect(defaultImportDomainName("catalog.v2.json")).toBe("catalog.v2");
    expect(defaultImportDomainName(undefined)).toBe("imported_tools");
  });

  it("builds a user domain in snake_case with entities read from the tool names", () => {
    const { specs } = parseToolSpecs(JSON.parse(readFileSync(join(REPO_ROOT, "test", "fixtures", "tools", "weather-tools.json"), "utf8")));
    const domain = domainForImport("weather-tools", specs, "/specs/weather-tools.json");
    expect(DomainSpecSchema.parse(domain)).toEqual(domain);
    expect(domain).toMatchObject({ category: IMPORTED_TOOLS_CATEGORY, name: "weather_tools", title: "Weather Tools" });
    expect(domain.description).toContain("weather-tools.json: 5 tools");
    expect(domain.entities.map((entity) => entity.name)).toEqual(["alert", "forecast", "condition", "subscription"]);
  });

  it("gives a spec of a catalog category its category's domain, and every other spec the named one", () => {
    const { specs } = parseToolSpecs([
      { server: "weather-server", category: "Weather", tools: [{ name: "forecast", inputSchema: object() }] },
      { name: "loose_function", parameters: object() },
      { server: "uncategorized-server", tools: [{ name: "ping", inputSchema: object() }] },
    ]);
    const built = buildImportedTools(specs, { existing: [], ids: createSequentialIds(), clock: createFixedClock(), domainFor: (category) => (category === "Weather" ? "dom_weather" : undefined), domainId: "dom_named" });
    expect(built.tools.map((tool) => [tool.origin.originalName, tool.domainId])).toEqual([
      ["forecast", "dom_weather"],
      ["loose_function", "dom_named"],
      ["ping", "dom_named"],
    ]);
  });
});

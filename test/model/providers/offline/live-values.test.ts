import { describe, expect, it } from "vitest";
import { describeFreeResult } from "../../../../src/model/providers/offline/free-results.js";
import { collectLiveValues, groundedValue } from "../../../../src/model/providers/offline/live-values.js";
import type { ToolCallRecord } from "../../../../src/model/request-context.js";
import type { ToolParam } from "../../../../src/model/providers/offline/tool-anatomy.js";
import { createRandom } from "../../../../src/support/random.js";

const EXAMPLES: ToolCallRecord[] = [
  { tool: "list_allowed_directories", arguments: {}, result: { content: "Allowed directories:\n/srv/team" } },
  { tool: "list_directory", arguments: { path: "/srv/team" }, result: { content: "[FILE] README.md\n[DIR] notes" } },
  { tool: "read_graph", arguments: {}, result: { entities: [{ name: "Ana Lima", entityType: "person" }], relations: [{ from: "Ana Lima", to: "Kenji", relationType: "works with" }] } },
];

const param = (name: string, schema: Record<string, unknown>): ToolParam => ({ name, schema, required: true, description: "", stems: [name] });

describe("live values", () => {
  it("collects absolute paths, listed entries under the listed folder, and names", () => {
    expect(collectLiveValues(EXAMPLES)).toEqual({ paths: ["/srv/team", "/srv/team/README.md", "/srv/team/notes"], names: ["Ana Lima"] });
  });

  it("grounds path and name parameters of the right type, and nothing else", () => {
    const values = collectLiveValues(EXAMPLES);
    const random = createRandom(3);
    expect(values.paths).toContain(groundedValue(values, param("path", { type: "string" }), random));
    const paths = groundedValue(values, param("paths", { type: "array", items: { type: "string" } }), random) as string[];
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.every((path) => values.paths.includes(path))).toBe(true);
    expect(groundedValue(values, param("names", { type: "array", items: { type: "string" } }), random)).toEqual(["Ana Lima"]);
    expect(groundedValue(values, param("deletions", { type: "array", items: { type: "object" } }), random)).toBeUndefined();
    expect(groundedValue(values, param("pattern", { type: "string" }), random)).toBeUndefined();
    expect(groundedValue(undefined, param("path", { type: "string" }), random)).toBeUndefined();
  });
});

describe("describeFreeResult", () => {
  it("describes text by its first lines and collections by their names", () => {
    expect(describeFreeResult("[FILE] a.md\n[DIR] notes\n")).toBe("[FILE] a.md; [DIR] notes");
    expect(describeFreeResult({ content: "one\ntwo\nthree\nfour\nfive" })).toBe("one; two; three; four (and 1 more lines)");
    expect(describeFreeResult(EXAMPLES[2]?.result)).toBe("1 entities: Ana Lima; 1 relations: Ana Lima works with Kenji");
    expect(describeFreeResult({ entities: [] })).toBe("no entities");
    expect(describeFreeResult(42)).toBeUndefined();
  });
});

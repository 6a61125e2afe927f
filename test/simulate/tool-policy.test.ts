import { describe, expect, it } from "vitest";
import { ToolExecutionConfigSchema, type ToolExecutionConfig } from "../../src/domain/config.js";
import type { ToolRecord } from "../../src/domain/tool.js";
import { decideToolPolicy } from "../../src/simulate/tool-policy.js";
import { makeTool } from "../helpers/records.js";

const execution = (overrides: Partial<ToolExecutionConfig> = {}): ToolExecutionConfig => ({ ...ToolExecutionConfigSchema.parse({}), ...overrides });

function realTool(originalName: string, annotations: ToolRecord["annotations"]): ToolRecord {
  return makeTool(originalName, { source: "real", annotations, origin: { originalName, configName: "filesystem" } });
}

const readFile = realTool("read_text_file", { readOnlyHint: true, openWorldHint: false });
const writeFile = realTool("write_file", { readOnlyHint: false, destructiveHint: true });
const createDirectory = realTool("create_directory", { readOnlyHint: false, destructiveHint: false });
const unannotated = realTool("mystery", undefined);
const contradictory = realTool("read_and_purge", { readOnlyHint: true, destructiveHint: true });

describe("decideToolPolicy", () => {
  it("auto runs live only what is annotated read-only and not destructive", () => {
    expect(decideToolPolicy(readFile, execution()).live).toBe(true);
    expect(decideToolPolicy(writeFile, execution())).toEqual({ live: false, reason: "policy auto: not annotated read-only" });
    expect(decideToolPolicy(createDirectory, execution()).live).toBe(false);
    expect(decideToolPolicy(unannotated, execution()).live).toBe(false);
    expect(decideToolPolicy(contradictory, execution()).live).toBe(false);
  });

  it("never runs synthetic or imported tools live, whatever the policy", () => {
    const synthetic = makeTool("get_order");
    const imported = makeTool("search_repos", { source: "imported", origin: { originalName: "search_repos", serverName: "github" } });
    expect(decideToolPolicy(synthetic, execution({ policy: "real" })).live).toBe(false);
    expect(decideToolPolicy(imported, execution({ policy: "real" })).live).toBe(false);
  });

  it("applies the tool override over the server override over the default", () => {
    const config = execution({ policy: "simulated", overrides: { filesystem: "real", "filesystem/write_file": "simulated" } });
    expect(decideToolPolicy(readFile, config).live).toBe(true);
    expect(decideToolPolicy(writeFile, config).live).toBe(false);
    expect(decideToolPolicy(createDirectory, execution({ overrides: { "filesystem/create_directory": "real" } })).live).toBe(true);
  });

  it("lets the deny-list beat everything and a non-empty allow-list admit only what it names", () => {
    expect(decideToolPolicy(readFile, execution({ policy: "real", deny: ["filesystem"] }))).toEqual({ live: false, reason: "denied by tools.execution.deny" });
    expect(decideToolPolicy(readFile, execution({ deny: ["filesystem/read_text_file"] })).live).toBe(false);
    expect(decideToolPolicy(readFile, execution({ allow: ["memory"] }))).toEqual({ live: false, reason: "not in tools.execution.allow" });
    expect(decideToolPolicy(readFile, execution({ allow: ["filesystem/read_text_file"] })).live).toBe(true);
    // The allow-list admits; it does not override the policy of a writing tool.
    expect(decideToolPolicy(writeFile, execution({ allow: ["filesystem"] })).live).toBe(false);
  });
});

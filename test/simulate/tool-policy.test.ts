import { describe, expect, it } from "vitest";
import { ToolExecutionConfigSchema, type ToolExecutionConfig } from "../../src/domain/config.js";
import type { ToolRecord } from "../../src/domain/tool.js";
import { decideToolPolicy } from "../../src/simulate/tool-policy.js";
import { makeTool } from "../helpers/records.js";

const TRUSTED = { trustedServer: true };
const UNTRUSTED = { trustedServer: false };
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
    expect(decideToolPolicy(readFile, execution(), TRUSTED).live).toBe(true);
    expect(decideToolPolicy(writeFile, execution(), TRUSTED)).toEqual({ live: false, reason: "policy auto: not annotated read-only" });
    expect(decideToolPolicy(createDirectory, execution(), TRUSTED).live).toBe(false);
    expect(decideToolPolicy(unannotated, execution(), TRUSTED).live).toBe(false);
    expect(decideToolPolicy(contradictory, execution(), TRUSTED).live).toBe(false);
  });

  it("auto believes read-only annotations only from a trusted server or for an allow-listed tool", () => {
    expect(decideToolPolicy(readFile, execution(), UNTRUSTED)).toEqual({ live: false, reason: "policy auto: annotations of an untrusted server are not believed" });
    expect(decideToolPolicy(readFile, execution({ allow: ["filesystem/read_text_file"] }), UNTRUSTED)).toEqual({ live: true, reason: "policy auto: read-only, allow-listed" });
    expect(decideToolPolicy(readFile, execution({ allow: ["filesystem"] }), UNTRUSTED).live).toBe(true);
    // Being allow-listed does not make a writing tool read-only, trusted or not.
    expect(decideToolPolicy(writeFile, execution({ allow: ["filesystem"] }), UNTRUSTED).live).toBe(false);
    // An explicit policy is the user's decision, not an annotation.
    expect(decideToolPolicy(readFile, execution({ overrides: { filesystem: "real" } }), UNTRUSTED).live).toBe(true);
  });

  it("never runs synthetic or imported tools live, whatever the policy", () => {
    const synthetic = makeTool("get_order");
    const imported = makeTool("search_repos", { source: "imported", origin: { originalName: "search_repos", serverName: "github" } });
    expect(decideToolPolicy(synthetic, execution({ policy: "real" }), TRUSTED).live).toBe(false);
    expect(decideToolPolicy(imported, execution({ policy: "real" }), TRUSTED).live).toBe(false);
  });

  it("applies the tool override over the server override over the default", () => {
    const config = execution({ policy: "simulated", overrides: { filesystem: "real", "filesystem/write_file": "simulated" } });
    expect(decideToolPolicy(readFile, config, TRUSTED).live).toBe(true);
    expect(decideToolPolicy(writeFile, config, TRUSTED).live).toBe(false);
    expect(decideToolPolicy(createDirectory, execution({ overrides: { "filesystem/create_directory": "real" } }), TRUSTED).live).toBe(true);
  });

  it("lets the deny-list beat everything and a non-empty allow-list admit only what it names", () => {
    expect(decideToolPolicy(readFile, execution({ policy: "real", deny: ["filesystem"] }), TRUSTED)).toEqual({ live: false, reason: "denied by tools.execution.deny" });
    expect(decideToolPolicy(readFile, execution({ deny: ["filesystem/read_text_file"] }), TRUSTED).live).toBe(false);
    expect(decideToolPolicy(readFile, execution({ allow: ["memory"] }), TRUSTED)).toEqual({ live: false, reason: "not in tools.execution.allow" });
    expect(decideToolPolicy(readFile, execution({ allow: ["filesystem/read_text_file"] }), TRUSTED).live).toBe(true);
    // The allow-list admits; it does not override the policy of a writing tool.
    expect(decideToolPolicy(writeFile, execution({ allow: ["filesystem"] }), TRUSTED).live).toBe(false);
  });
});

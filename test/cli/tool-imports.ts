import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentRecordSchema } from "../../src/domain/agent.js";
import { ToolRecordSchema, type ToolRecord } from "../../src/domain/tool.js";
import { SMALL_CONFIG } from "../helpers/mcp-client.js";
import { runCli, type CliResult } from "../helpers/run-cli.js";
import type { FunctionSpecs, ServerCatalog } from "../helpers/test-data.js";

export const TIMEOUT = 60_000;
export const TOOLS_CLI_CONFIG = { ...SMALL_CONFIG, name: "cli-tools-test", tools: { perDomain: 3 }, tasks: { count: 2 } };

/** A working directory for `agentsynth` runs: its default ./mcp.json has no third-party servers, so runs never start any. */
export async function makeToolsWorkdir(): Promise<string> {
  const workdir = await mkdtemp(join(tmpdir(), "agentsynth-tools-cli-"));
  await writeFile(join(workdir, "mcp.json"), JSON.stringify({ mcpServers: {} }));
  await writeFile(join(workdir, "small.json"), JSON.stringify(TOOLS_CLI_CONFIG));
  // Keeps failing episodes too: a run whose filter keeps nothing fails (EMPTY_RESULT), and the offline judge fails some catalog tools.
  await writeFile(join(workdir, "keep-all.json"), JSON.stringify({ ...TOOLS_CLI_CONFIG, filter: { requirePass: false, minScore: 0 } }));
  return workdir;
}

/** A fresh working directory (makeToolsWorkdir) for the tests of the enclosing describe, and a CLI that runs in it. */
function useToolsWorkdir(): { workdir: () => string; cli: (args: string[]) => Promise<CliResult> } {
  let directory: string | undefined;
  beforeAll(async () => {
    directory = await makeToolsWorkdir();
  });
  afterAll(async () => directory && rm(directory, { recursive: true, force: true }));
  const workdir = (): string => {
    if (!directory) throw new Error("the working directory is made in beforeAll");
    return directory;
  };
  return { workdir, cli: (args) => runCli(args, { cwd: workdir(), timeoutMs: TIMEOUT }) };
}

/** The records of one store collection file (`{records: [...]}`). */
export async function readCollection(workdir: string, dataDir: string, file: string): Promise<unknown[]> {
  return (JSON.parse(await readFile(join(workdir, dataDir, file), "utf8")) as { records: unknown[] }).records;
}

export function listedTools(result: CliResult): ToolRecord[] {
  expect(result.code).toBe(0);
  return ToolRecordSchema.array().parse(JSON.parse(result.stdout));
}

/**
 * `agentsynth tools import` of a server catalog in the Toucan shape (one domain per category, every skipped
 * tool printed with its reason; a run over the imported tools only) and of a list of OpenAI function specs.
 */
export function describeToolImports(data: { catalog: ServerCatalog; functions: FunctionSpecs }): void {
  const { catalog, functions } = data;
  describe(`agentsynth tools import of the server catalog ${basename(catalog.file)}`, () => {
    const { workdir, cli } = useToolsWorkdir();
    let imported: CliResult;
    beforeAll(async () => {
      imported = await cli(["tools", "import", catalog.file, "--data-dir", "catalog"]);
    }, TIMEOUT);

    it(`imports ${catalog.imported} tools into ${catalog.categories} category domains and prints each skipped tool with its reason`, () => {
      expect(imported.stderr).not.toContain("error");
      expect(imported.code).toBe(0);
      const [summary, ...lines] = imported.stdout.trimEnd().split("\n");
      expect(summary).toBe(`imported ${catalog.imported} tools, skipped ${catalog.skipped}; ${catalog.categories} category domains`);
      const skipped = lines.filter((line) => line.startsWith("  skipped "));
      expect(skipped).toHaveLength(catalog.skipped);
      for (const line of skipped) expect(line).toMatch(/^ {2}skipped \S.*: .+/);
      expect(skipped.filter((line) => line.includes("does not compile as JSON Schema"))).toHaveLength(catalog.uncompilable);
      expect(skipped.filter((line) => line.includes("appears earlier in this import"))).toHaveLength(catalog.repeated);
    });

    it("tools list --source imported --json gives records with their category and domain", { timeout: TIMEOUT }, async () => {
      const tools = listedTools(await cli(["tools", "list", "--source", "imported", "--json", "--data-dir", "catalog"]));
      expect(tools).toHaveLength(catalog.imported);
      for (const tool of tools) {
        expect(tool.source).toBe("imported");
        expect(tool.origin).toMatchObject({ category: expect.any(String), serverName: expect.any(String), file: catalog.file, format: "mcp-tools" });
        expect(tool.domainId).toMatch(/^dom_/);
        expect(tool.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
      }
      expect(new Set(tools.map((tool) => tool.domainId)).size).toBe(catalog.categories);
      expect(new Set(tools.map((tool) => tool.origin.category)).size).toBe(catalog.categories);
    });

    it("run --tool-source imported builds agents only from imported tools", { timeout: TIMEOUT }, async () => {
      const result = await cli(["run", "--tool-source", "imported", "--config", "keep-all.json", "--data-dir", "catalog", "--out", "out-imported"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`domains ${catalog.categories} → tools ${catalog.imported} → agents 2 → tasks 2`);
      const tools = ToolRecordSchema.array().parse(await readCollection(workdir(), "catalog", "tools.json"));
      expect(new Set(tools.map((tool) => tool.source))).toEqual(new Set(["imported"]));
      const toolsById = new Map(tools.map((tool) => [tool.id, tool]));
      const agents = AgentRecordSchema.array().parse(await readCollection(workdir(), "catalog", "agents.json"));
      expect(agents).toHaveLength(2);
      for (const agent of agents) {
        expect(agent.toolIds.length).toBeGreaterThanOrEqual(3);
        for (const toolId of agent.toolIds) expect(toolsById.get(toolId)?.source).toBe("imported");
      }
    });
  });

  describe(`agentsynth tools import of the function specs ${basename(functions.file)}`, () => {
    const { cli } = useToolsWorkdir();
    it(`imports all ${functions.count} OpenAI function specs`, { timeout: TIMEOUT }, async () => {
      const result = await cli(["tools", "import", functions.file, "--data-dir", "functions"]);
      expect(result.code).toBe(0);
      // Without --domain, a plain function list goes into a new domain named after its file.
      expect(result.stdout.trim()).toMatch(new RegExp(`^imported ${functions.count} tools, skipped 0; into domain [a-z0-9_]+ \\(new\\)$`));
      const tools = listedTools(await cli(["tools", "list", "--source", "imported", "--json", "--data-dir", "functions"]));
      expect(tools).toHaveLength(functions.count);
      expect(new Set(tools.map((tool) => tool.origin.format))).toEqual(new Set(["openai-functions"]));
      expect(tools.map((tool) => tool.name)).toContain("book_reservation");
    });
  });
}

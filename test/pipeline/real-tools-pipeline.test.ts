import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EpisodeRecord } from "../../src/domain/episode.js";
import type { ToolRecord } from "../../src/domain/tool.js";
import { parseConfig } from "../../src/pipeline/load-config.js";
import { McpServers } from "../../src/pipeline/mcp-servers.js";
import { runPipeline, type PipelineResult } from "../../src/pipeline/run-pipeline.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/types.js";
import { createFixedClock } from "../../src/support/clock.js";
import { createSequentialIds } from "../../src/support/ids.js";
import { fingerprint } from "../helpers/fingerprint.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

const BIN = (name: string): string => join(REPO_ROOT, "node_modules", "@modelcontextprotocol", `server-${name}`, "dist", "index.js");


/** The "done when": an mcp.json naming server-memory and server-filesystem, and a whole offline run. */
describe("a pipeline run with real MCP servers", () => {
  let directory: string;
  let sandbox: string;
  let memoryFile: string;
  let store: Store;
  let servers: McpServers;
  let result: PipelineResult;
  let before: { sandbox: Record<string, string>; memory: string };
  const episodes: EpisodeRecord[] = [];
  let tools: Map<string, ToolRecord>;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "agentsynth-real-run-"));
    sandbox = join(directory, "sandbox");
    memoryFile = join(directory, "memory.jsonl");
    await mkdir(join(sandbox, "reports"), { recursive: true });
    await writeFile(join(sandbox, "reports", "q3.md"), "# Q3 report\nRevenue grew 12%.\n");
    await writeFile(join(sandbox, "contacts.csv"), "name,email\nAda,ada@example.com\n");
    await writeFile(join(sandbox, "settings.json"), JSON.stringify({ theme: "dark" }));
    await writeFile(memoryFile, `${JSON.stringify({ type: "entity", name: "Ada", entityType: "person", observations: ["owns the Q3 report"] })}\n`);
    before = { sandbox: await fingerprint(sandbox), memory: await readFile(memoryFile, "utf8") };
    const mcpFile = join(directory, "mcp.json");
    await writeFile(
      mcpFile,
      JSON.stringify({
        mcpServers: {
          memory: { trusted: true, command: "node", args: [BIN("memory")], env: { MEMORY_FILE_PATH: "${MEMORY_DIR}/memory.jsonl" } },
          filesystem: { trusted: true, command: "node", args: [BIN("filesystem"), sandbox] },
        },
      }),
    );
    const config = parseConfig({
      seed: 5,
      domains: { count: 2 },
      tools: { perDomain: 3 },
      agents: { count: 4, minTools: 4, maxTools: 8 },
      tasks: { count: 12 },
      simulation: { concurrency: 4, maxTurns: 6 },
      judge: { concurrency: 4 },
    });
    const ids = createSequentialIds();
    const clock = createFixedClock();
    store = await openStore({ dataDir: join(directory, "data") });
    servers = await McpServers.open({ file: mcpFile, store, env: { PATH: process.env.PATH, MEMORY_DIR: directory }, ids, clock, execution: config.tools.execution });
    result = await runPipeline({ config, configDirectory: directory, store, servers, outDir: join(directory, "out"), ids, clock });
    for await (const episode of store.episodes.scan()) episodes.push(episode);
    tools = new Map((await store.tools.all()).map((tool) => [tool.id, tool]));
  }, 120_000);

  afterAll(async () => {
    await servers.close();
    await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  it("syncs the 23 tools of server-memory and server-filesystem with provenance", async () => {
    expect(result.run.status).toBe("completed");
    const real = [...tools.values()].filter((tool) => tool.source === "real");
    expect(real).toHaveLength(23);
    for (const tool of real) {
      expect(tool.origin).toMatchObject({ transport: "stdio", serverName: expect.any(String), serverVersion: expect.any(String), protocolVersion: expect.any(String) });
      expect(["memory", "filesystem"]).toContain(tool.origin.configName);
      expect(tool.domainId).toBeDefined();
    }
    const servers = await store.servers.all();
    expect(servers.map((server) => [server.name, server.toolCount, server.envKeys])).toEqual([
      ["memory", 9, ["MEMORY_FILE_PATH"]],
      ["filesystem", 14, []],
    ]);
    // env values are never stored: only their names
    expect(JSON.stringify(servers)).not.toContain(memoryFile);
  });

  it("runs read-only tools for real and only them, and leaves the folder and the memory file untouched", async () => {
    const steps = episodes.flatMap((episode) => episode.steps.flatMap((step) => (step.tool ? [step.tool] : [])));
    const real = steps.filter((step) => step.execution === "real");
    expect(real.length).toBeGreaterThan(0);
    for (const step of real) {
      const tool = tools.get(step.toolId ?? "");
      expect(tool?.source).toBe("real");
      expect(tool?.annotations?.readOnlyHint, step.toolName).toBe(true);
    }
    const writes = steps.filter((step) => tools.get(step.toolId ?? "")?.source === "real" && tools.get(step.toolId ?? "")?.annotations?.readOnlyHint !== true);
    for (const step of writes) expect(step.execution, step.toolName).not.toBe("real");
    expect(await fingerprint(sandbox)).toEqual(before.sandbox);
    expect(await readFile(memoryFile, "utf8")).toBe(before.memory);
    expect(result.run.simulation?.executions.real).toBe(real.length);
  });

  it("builds agents from the real servers' domains first", async () => {
    const agents = await store.agents.all();
    const realAgents = agents.filter((agent) => agent.toolIds.every((id) => tools.get(id)?.source === "real"));
    expect(realAgents.length).toBeGreaterThanOrEqual(2);
  });

  it("writes tasks about things that exist on the live servers", async () => {
    const tasks = await store.tasks.all();
    const facts = tasks.flatMap((task) => task.hiddenFacts.map((fact) => JSON.stringify(fact.value)));
    expect(facts.some((value) => value.includes(sandbox))).toBe(true);
    const recordings = await store.recordings.find((recording) => recording.originalName === "list_allowed_directories");
    expect(recordings.length).toBeGreaterThanOrEqual(1);
  });
});

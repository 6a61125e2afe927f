import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../../src/domain/run.js";
import { openStore } from "../../../src/store/open-store.js";
import { SMALL_CONFIG } from "../../helpers/mcp-client.js";
import { CLI, runCli } from "../../helpers/run-cli.js";
import { connectStdioHost, type StdioHost } from "../../helpers/stdio-host.js";

/** Two hosts, each with its own `agentsynth serve` over stdio, and an `agentsynth run`, all on one data directory. */

let directory: string;
const hosts: StdioHost[] = [];

/** The command and arguments in the JSON `agentsynth config --host H` prints for this directory. */
async function launchOf(host: "claude" | "vscode"): Promise<{ command: string; args: string[] }> {
  const printed = await runCli(["config", "--host", host, "--config", "pipeline.json", "--data-dir", "data", "--out", "exports"], { cwd: directory });
  expect(printed.code, printed.stderr).toBe(0);
  const json = JSON.parse(printed.stdout) as { mcpServers?: Record<string, unknown>; servers?: Record<string, unknown> };
  const entry = (json.mcpServers ?? json.servers)?.agentsynth as { command: string; args: string[] };
  expect(entry.args).toContain(join(directory, "data"));
  return entry;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const result = (await client.callTool({ name, arguments: args }, undefined, { timeout: 240_000 })) as CallToolResult;
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  return result.structuredContent as Record<string, unknown>;
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  directory = await mkdtemp(join(tmpdir(), "agentsynth-hosts-"));
  await writeFile(join(directory, "pipeline.json"), JSON.stringify(SMALL_CONFIG));
  // Each host launches the server as `agentsynth config --host H` tells it to (absolute paths, one data directory).
  for (const host of ["claude", "vscode"] as const) hosts.push(await connectStdioHost(directory, host, { launch: await launchOf(host) }));
});

afterAll(async () => {
  for (const host of hosts) await host.client.close();
  await rm(directory, { recursive: true, force: true });
});

describe("two hosts' servers and a run on one data directory", () => {
  it("all work at once, and no write is lost", async () => {
    const [a, b] = hosts as [StdioHost, StdioHost];
    const specs = [{ type: "function", function: { name: "get_weather", description: "Current weather of a city.", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } }];
    const [cliRun, runA, runB, imported] = await Promise.all([
      runCli(["run", "pipeline.json", "--seed", "21", "--tool-source", "synthetic", "--data-dir", "data", "--out", "exports", "--json"], { cwd: directory, timeoutMs: 240_000 }),
      call(a.client, "run_pipeline", { seed: 31, toolSources: ["synthetic"] }),
      call(b.client, "run_pipeline", { seed: 41, toolSources: ["synthetic"] }),
      call(b.client, "import_tools", { specs, domain: "weather" }),
    ]);
    expect(cliRun.code, cliRun.stderr).toBe(0);
    const runs = [JSON.parse(cliRun.stdout) as RunSummary, runA as unknown as RunSummary, runB as unknown as RunSummary];
    expect(new Set(runs.map((run) => run.runId)).size).toBe(3);
    expect((imported.imported as unknown[]).length).toBe(1);

    // Each host sees what the other host and the run wrote.
    const stats = (await call(a.client, "get_stats", {})) as { counts: Record<string, number> };
    const store = await openStore({ dataDir: join(directory, "data") });
    try {
      const storedRuns = await store.runs.all();
      expect(storedRuns.map((run) => run.id).sort()).toEqual(runs.map((run) => run.runId).sort());
      expect(storedRuns.every((run) => run.status === "completed")).toBe(true);
      expect(await store.datasets.count()).toBe(3);
      const episodes = storedRuns.reduce((sum, run) => sum + run.counts.episodes, 0);
      expect(episodes).toBeGreaterThanOrEqual(9);
      expect(await store.episodes.count()).toBe(episodes);
      expect(await store.judgments.count()).toBe(storedRuns.reduce((sum, run) => sum + run.counts.judged, 0));
      for (const run of storedRuns) expect((await store.episodes.find((episode) => episode.runId === run.id)).length).toBe(run.counts.episodes);
      expect((await store.tools.find((tool) => tool.source === "imported")).map((tool) => tool.name)).toEqual(["get_weather"]);
      expect(stats.counts).toMatchObject({ runs: 3, datasets: 3, episodes, tools: await store.tools.count() });
    } finally {
      await store.close();
    }
    expect((await readdir(join(directory, "data"))).filter((name) => name.includes(".lock"))).toEqual([]);
    expect(a.stderr()).not.toMatch(/STORE_LOCKED|Error/);
    expect(b.stderr()).not.toMatch(/STORE_LOCKED|Error/);
  });
});

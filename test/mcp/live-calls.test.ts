import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EpisodeRecord } from "../../src/domain/episode.js";
import { REPO_ROOT } from "../helpers/run-cli.js";
import { openTestHost, SMALL_CONFIG, structuredOf, type TestHost } from "../helpers/mcp-client.js";

const MEMORY_SERVER = join(REPO_ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js");

describe("a run with many live tool calls on one signal", () => {
  let folder: string;
  let host: TestHost;
  const warnings: Error[] = [];
  const onWarning = (warning: Error): void => void warnings.push(warning);
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "agentsynth-live-calls-"));
    await writeFile(join(folder, "memory.jsonl"), `${JSON.stringify({ type: "entity", name: "Ada", entityType: "person", observations: ["owns the Q3 report"] })}\n`);
    host = await openTestHost({
      config: { ...SMALL_CONFIG, agents: { count: 2, minTools: 3, maxTools: 6 }, tasks: { count: 24 }, simulation: { ...SMALL_CONFIG.simulation, episodesPerTask: 2, concurrency: 4 } },
      mcpServers: { memory: { trusted: true, command: process.execPath, args: [MEMORY_SERVER], env: { MEMORY_FILE_PATH: join(folder, "memory.jsonl") } } },
    });
    process.on("warning", onWarning);
  });
  afterAll(async () => {
    process.off("warning", onWarning);
    await host.close();
    await rm(folder, { recursive: true, force: true });
  });

  it("calls the live server many times and Node warns of no abort-listener leak", async () => {
    structuredOf(await host.call("run_pipeline", { toolSources: ["real"] }));
    const episodes: EpisodeRecord[] = [];
    for await (const episode of host.workspace.store.episodes.scan()) episodes.push(episode);
    const liveCalls = episodes.flatMap((episode) => episode.steps.filter((step) => step.tool?.execution === "real"));
    expect(liveCalls.length).toBeGreaterThan(10);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((warning) => warning.name === "MaxListenersExceededWarning").map((warning) => warning.message)).toEqual([]);
  });
});

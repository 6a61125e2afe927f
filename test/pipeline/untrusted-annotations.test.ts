import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EpisodeRecord } from "../../src/domain/episode.js";
import { openTestHost, SMALL_CONFIG, type TestHost } from "../helpers/mcp-client.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

const LIAR = join(REPO_ROOT, "test", "fixtures", "servers", "lying-server.mjs");

/** An `auto` run on the lying server's tools only; returns the episodes' executions of its tools and the file it wrote, if any. */
async function runOnLiar(trusted: boolean): Promise<{ executions: string[]; written: string | undefined; host: TestHost; directory: string }> {
  const directory = await mkdtemp(join(tmpdir(), "agentsynth-liar-"));
  const lieFile = join(directory, "written-by-a-read-only-tool.log");
  const host = await openTestHost({
    config: { ...SMALL_CONFIG, tools: { sources: ["real"], execution: { policy: "auto" } } },
    mcpServers: { notes: { command: process.execPath, args: [LIAR], env: { LIE_FILE: lieFile }, ...(trusted ? { trusted: true } : {}) } },
  });
  await host.workspace.runPipeline({}).catch(() => undefined); // a run whose filter keeps nothing still made its episodes
  const episodes: EpisodeRecord[] = [];
  for await (const episode of host.workspace.store.episodes.scan()) episodes.push(episode);
  const executions = episodes.flatMap((episode) => episode.steps.flatMap((step) => (step.tool ? [step.tool.execution] : [])));
  return { executions, written: existsSync(lieFile) ? await readFile(lieFile, "utf8") : undefined, host, directory };
}

describe("annotations are trusted only from trusted servers", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it("an auto run never calls live the tools of an untrusted server that claim readOnlyHint but write", async () => {
    const { executions, written, host, directory } = await runOnLiar(false);
    cleanups.push(async () => {
      await host.close();
      await rm(directory, { recursive: true, force: true });
    });
    expect(executions.length).toBeGreaterThan(0);
    expect(executions.every((execution) => execution === "simulated")).toBe(true);
    expect(written).toBeUndefined();
  }, 120_000);

  it("the same run on the same server marked trusted: true calls it live (so the test above can fail)", async () => {
    const { executions, written, host, directory } = await runOnLiar(true);
    cleanups.push(async () => {
      await host.close();
      await rm(directory, { recursive: true, force: true });
    });
    expect(executions).toContain("real");
    expect(written).toEqual(expect.stringContaining('"tool"'));
  }, 120_000);
});

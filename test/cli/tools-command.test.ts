import { existsSync } from "node:fs";
import { readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EpisodeRecordSchema, type EpisodeRecord } from "../../src/domain/episode.js";
import { runCli, type CliResult } from "../helpers/run-cli.js";
import { FIXTURE_CATALOG, FIXTURE_FUNCTIONS } from "../helpers/test-data.js";
import { describeToolImports, makeToolsWorkdir, readCollection, TIMEOUT, TOOLS_CLI_CONFIG } from "./tool-imports.js";

let workdir: string;
beforeAll(async () => {
  workdir = await makeToolsWorkdir();
  // More tasks (so more tool calls) make "at least one injected fault" certain whatever the offline engine draws.
  await writeFile(join(workdir, "faults.json"), JSON.stringify({ ...TOOLS_CLI_CONFIG, tasks: { count: 8 } }));
});
afterAll(async () => rm(workdir, { recursive: true, force: true }));

const cli = (args: string[]): Promise<CliResult> => runCli(args, { cwd: workdir, timeoutMs: TIMEOUT });

async function readEpisodes(dataDir: string): Promise<EpisodeRecord[]> {
  const shards = (await readdir(join(workdir, dataDir, "episodes"))).filter((file) => file.endsWith(".json"));
  const records = await Promise.all(shards.map((shard) => readCollection(workdir, dataDir, join("episodes", shard))));
  return EpisodeRecordSchema.array().parse(records.flat());
}

// Our own server catalog and function specs; the Toucan crawl and tau-bench's specs: tools-command.shared.test.ts.
describeToolImports({ catalog: FIXTURE_CATALOG, functions: FIXTURE_FUNCTIONS });

describe("agentsynth tools import and list of bad input", () => {
  it("tools import of a missing file exits 2 naming the file", { timeout: TIMEOUT }, async () => {
    const result = await cli(["tools", "import", "no-such-tools.json", "--data-dir", "missing"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(join(workdir, "no-such-tools.json"));
  });

  it("tools list --source bogus exits 2 naming the expected sources", { timeout: TIMEOUT }, async () => {
    const result = await cli(["tools", "list", "--source", "bogus", "--data-dir", "bogus"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--source: expected one of real, synthetic, imported, got "bogus"/);
  });
});

describe("agentsynth run with injected faults", () => {
  it("--fault-rate 0.3 stores episodes with a fault plan and faulted steps, and the summary counts them", { timeout: TIMEOUT }, async () => {
    const result = await cli(["run", "--tool-source", "synthetic", "--fault-rate", "0.3", "--config", "faults.json", "--data-dir", "faults", "--out", "out-faults"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/injected faults: (error|timeout|empty|partial|rate_limit) \d+/);
    const episodes = await readEpisodes("faults");
    expect(episodes).toHaveLength(8);
    for (const episode of episodes) {
      const rates = Object.values(episode.faultPlan?.rates ?? {});
      expect(rates.reduce((sum, rate) => sum + rate, 0)).toBeCloseTo(0.3, 6);
      const faulted = episode.steps.flatMap((step) => (step.tool?.fault ? [step.tool] : []));
      expect(faulted.map((tool) => [tool.toolCallId, tool.fault])).toEqual(episode.faultPlan?.injected.map((fault) => [fault.toolCallId, fault.kind]));
      for (const tool of faulted) expect(tool.outcome).toBe("fault");
    }
    expect(episodes.flatMap((episode) => episode.faultPlan?.injected ?? []).length).toBeGreaterThan(0);
  });

  it.each([
    ["--fault-rate 2", ["--fault-rate", "2"], /--fault-rate: expected a rate from 0 to 1, got "2"/],
    ["--tool-source nope", ["--tool-source", "nope"], /--tool-source: expected .*got "nope"/],
    ["--max-steps 0", ["--max-steps", "0"], /--max-steps: expected an integer of at least 1, got "0"/],
  ])("run %s exits 2 before anything is written", { timeout: TIMEOUT }, async (_label, flags, message) => {
    const dataDir = `bad-${flags.join("").replace(/\W/g, "")}`;
    const result = await cli(["run", ...flags, "--config", "small.json", "--data-dir", dataDir, "--out", `out-${dataDir}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(existsSync(join(workdir, dataDir))).toBe(false);
  });
});

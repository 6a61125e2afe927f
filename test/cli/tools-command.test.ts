import { existsSync } from "node:fs";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainRecordSchema } from "../../src/domain/domain.js";
import type { EpisodeRecord } from "../../src/domain/episode.js";
import { openStore } from "../../src/store/open-store.js";
import { REPO_ROOT, runCli, type CliResult } from "../helpers/run-cli.js";
import { FIXTURE_CATALOG, FIXTURE_FUNCTIONS } from "../helpers/test-data.js";
import { describeToolImports, listedTools, makeToolsWorkdir, readCollection, TIMEOUT, TOOLS_CLI_CONFIG } from "./tool-imports.js";

const WEATHER_TOOLS = join(REPO_ROOT, "test", "fixtures", "tools", "weather-tools.json");
const CALENDAR_TOOLS = join(REPO_ROOT, "test", "fixtures", "tools", "calendar-tools.json");

let workdir: string;
beforeAll(async () => {
  workdir = await makeToolsWorkdir();
  // More tasks (so more tool calls) make "at least one injected fault" certain whatever the offline engine draws.
  await writeFile(join(workdir, "faults.json"), JSON.stringify({ ...TOOLS_CLI_CONFIG, tasks: { count: 8 } }));
});
afterAll(async () => rm(workdir, { recursive: true, force: true }));

const cli = (args: string[]): Promise<CliResult> => runCli(args, { cwd: workdir, timeoutMs: TIMEOUT });

async function readEpisodes(dataDir: string): Promise<EpisodeRecord[]> {
  const store = await openStore({ dataDir: join(workdir, dataDir) });
  try {
    const episodes: EpisodeRecord[] = [];
    for await (const episode of store.episodes.scan()) episodes.push(episode);
    return episodes;
  } finally {
    await store.close();
  }
}

// Our own server catalog and function specs; the Toucan crawl and tau-bench's specs: tools-command.shared.test.ts.
describeToolImports({ catalog: FIXTURE_CATALOG, functions: FIXTURE_FUNCTIONS });

describe("agentsynth tools import of a plain function list", () => {
  it("puts the tools in a new domain named after the file, and run --tool-source imported makes a dataset of them", { timeout: TIMEOUT }, async () => {
    const imported = await cli(["tools", "import", WEATHER_TOOLS, "--data-dir", "weather"]);
    expect(imported.stderr).toBe("");
    expect(imported.stdout.trim()).toBe("imported 5 tools, skipped 0; into domain weather_tools (new)");
    const domains = DomainRecordSchema.array().parse(await readCollection(workdir, "weather", "domains.json"));
    expect(domains).toEqual([expect.objectContaining({ name: "weather_tools", title: "Weather Tools", category: "Imported tools" })]);
    expect(domains[0]?.entities.map((entity) => entity.name)).toEqual(expect.arrayContaining(["forecast", "alert"]));
    const tools = listedTools(await cli(["tools", "list", "--domain", "weather_tools", "--json", "--data-dir", "weather"]));
    expect(tools.map((tool) => tool.origin.originalName)).toEqual(["get_forecast", "get_current_conditions", "list_alerts", "subscribe_alerts", "cancel_alert_subscription"]);

    const run = await cli(["run", "--tool-source", "imported", "--config", "small.json", "--data-dir", "weather", "--out", "out-weather"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/domains 1 → tools 5 → agents 2 → tasks 2/);
    const [datasetFolder] = await readdir(join(workdir, "out-weather"));
    const records = (await readFile(join(workdir, "out-weather", datasetFolder ?? "", "train.jsonl"), "utf8")).trim().split("\n").filter((line) => line !== "");
    expect(records.length).toBeGreaterThan(0);
    const weatherNames = new Set(tools.map((tool) => tool.name));
    for (const line of records) {
      const record = JSON.parse(line) as { tools: Array<{ function: { name: string } }> };
      for (const tool of record.tools) expect(weatherNames.has(tool.function.name), tool.function.name).toBe(true);
    }

    const again = await cli(["tools", "import", WEATHER_TOOLS, "--data-dir", "weather"]);
    expect(again.stdout.split("\n")[0]).toBe("imported 0 tools, skipped 5");
    expect(DomainRecordSchema.array().parse(await readCollection(workdir, "weather", "domains.json"))).toHaveLength(1);
  });

  it("--domain NAME creates that domain for OpenAI tool specs, and a second file joins it by name", { timeout: TIMEOUT }, async () => {
    const created = await cli(["tools", "import", CALENDAR_TOOLS, "--domain", "team-calendar", "--data-dir", "calendar"]);
    expect(created.stdout.trim()).toBe("imported 4 tools, skipped 0; into domain team_calendar (new)");
    const [domain] = DomainRecordSchema.array().parse(await readCollection(workdir, "calendar", "domains.json"));
    expect(domain).toMatchObject({ name: "team_calendar", category: "Imported tools" });
    const joined = await cli(["tools", "import", WEATHER_TOOLS, "--domain", "team_calendar", "--data-dir", "calendar"]);
    expect(joined.stdout.trim()).toBe(`imported 5 tools, skipped 0; into domain team_calendar (${domain?.id})`);
    const tools = listedTools(await cli(["tools", "list", "--json", "--data-dir", "calendar"]));
    expect(tools).toHaveLength(9);
    expect(new Set(tools.map((tool) => tool.domainId))).toEqual(new Set([domain?.id]));
  });

  it("--domain with a domain id that is not in the store exits 2 naming it, and imports nothing", { timeout: TIMEOUT }, async () => {
    await cli(["tools", "import", CALENDAR_TOOLS, "--data-dir", "stale-id"]);
    const before = await readCollection(workdir, "stale-id", "tools.json");
    const result = await cli(["tools", "import", WEATHER_TOOLS, "--domain", "dom_404", "--data-dir", "stale-id"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/NOT_FOUND: no domain with id "dom_404"/);
    expect(result.stdout).toBe("");
    expect(await readCollection(workdir, "stale-id", "tools.json")).toEqual(before);
  });
});

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

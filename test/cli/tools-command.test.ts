import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentRecordSchema } from "../../src/domain/agent.js";
import { DomainRecordSchema } from "../../src/domain/domain.js";
import { EpisodeRecordSchema, type EpisodeRecord } from "../../src/domain/episode.js";
import { ToolRecordSchema, type ToolRecord } from "../../src/domain/tool.js";
import { REPO_ROOT, runCli, type CliResult } from "../helpers/run-cli.js";
import { SMALL_CONFIG } from "../helpers/mcp-client.js";

const TOUCAN_CATALOG = join(REPO_ROOT, "..", "shared", "data", "mcp-servers.toucan.json");
const TAU_BENCH_TOOLS = join(REPO_ROOT, "..", "shared", "data", "tools.tau-bench.json");
const WEATHER_TOOLS = join(REPO_ROOT, "test", "fixtures", "tools", "weather-tools.json");
const CALENDAR_TOOLS = join(REPO_ROOT, "test", "fixtures", "tools", "calendar-tools.json");
const TIMEOUT = 60_000;
const CONFIG = { ...SMALL_CONFIG, name: "cli-tools-test", tools: { perDomain: 3 }, tasks: { count: 2 } };

let workdir: string;
beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), "agentsynth-tools-cli-"));
  // The default ./mcp.json of the working directory: no third-party servers, so runs never start any.
  await writeFile(join(workdir, "mcp.json"), JSON.stringify({ mcpServers: {} }));
  await writeFile(join(workdir, "small.json"), JSON.stringify(CONFIG));
  // Keeps failing episodes too: a run whose filter keeps nothing fails (EMPTY_RESULT), and the offline judge fails some catalog tools.
  await writeFile(join(workdir, "keep-all.json"), JSON.stringify({ ...CONFIG, filter: { requirePass: false, minScore: 0 } }));
  // More tasks (so more tool calls) make "at least one injected fault" certain whatever the offline engine draws.
  await writeFile(join(workdir, "faults.json"), JSON.stringify({ ...CONFIG, tasks: { count: 8 } }));
});
afterAll(async () => rm(workdir, { recursive: true, force: true }));

const cli = (args: string[]): Promise<CliResult> => runCli(args, { cwd: workdir, timeoutMs: TIMEOUT });

/** The records of one store collection file (`{records: [...]}`). */
async function readCollection(dataDir: string, file: string): Promise<unknown[]> {
  return (JSON.parse(await readFile(join(workdir, dataDir, file), "utf8")) as { records: unknown[] }).records;
}

async function readEpisodes(dataDir: string): Promise<EpisodeRecord[]> {
  const shards = (await readdir(join(workdir, dataDir, "episodes"))).filter((file) => file.endsWith(".json"));
  const records = await Promise.all(shards.map((shard) => readCollection(dataDir, join("episodes", shard))));
  return EpisodeRecordSchema.array().parse(records.flat());
}

function listedTools(result: CliResult): ToolRecord[] {
  expect(result.code).toBe(0);
  return ToolRecordSchema.array().parse(JSON.parse(result.stdout));
}

describe("agentsynth tools import of the Toucan catalog", () => {
  let imported: CliResult;
  beforeAll(async () => {
    imported = await cli(["tools", "import", TOUCAN_CATALOG, "--data-dir", "catalog"]);
  }, TIMEOUT);

  it("imports 5700 tools into 27 category domains and prints each skipped tool with its reason", () => {
    expect(imported.stderr).not.toContain("error");
    expect(imported.code).toBe(0);
    const [summary, ...lines] = imported.stdout.trimEnd().split("\n");
    expect(summary).toBe("imported 5700 tools, skipped 344; 27 category domains");
    const skipped = lines.filter((line) => line.startsWith("  skipped "));
    expect(skipped).toHaveLength(344);
    for (const line of skipped) expect(line).toMatch(/^ {2}skipped \S.*: .+/);
    expect(skipped.filter((line) => line.includes("does not compile as JSON Schema"))).toHaveLength(10);
    expect(skipped.filter((line) => line.includes("appears earlier in this import"))).toHaveLength(334);
  });

  it("tools list --source imported --json gives records with their category and domain", { timeout: TIMEOUT }, async () => {
    const tools = listedTools(await cli(["tools", "list", "--source", "imported", "--json", "--data-dir", "catalog"]));
    expect(tools).toHaveLength(5700);
    for (const tool of tools) {
      expect(tool.source).toBe("imported");
      expect(tool.origin).toMatchObject({ category: expect.any(String), serverName: expect.any(String), file: TOUCAN_CATALOG, format: "mcp-tools" });
      expect(tool.domainId).toMatch(/^dom_/);
      expect(tool.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    }
    expect(new Set(tools.map((tool) => tool.domainId)).size).toBe(27);
    expect(new Set(tools.map((tool) => tool.origin.category)).size).toBe(27);
  });

  it("run --tool-source imported builds agents only from imported tools", { timeout: TIMEOUT }, async () => {
    const result = await cli(["run", "--tool-source", "imported", "--config", "keep-all.json", "--data-dir", "catalog", "--out", "out-imported"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/domains 27 → tools 5700 → agents 2 → tasks 2/);
    const tools = ToolRecordSchema.array().parse(await readCollection("catalog", "tools.json"));
    expect(new Set(tools.map((tool) => tool.source))).toEqual(new Set(["imported"]));
    const toolsById = new Map(tools.map((tool) => [tool.id, tool]));
    const agents = AgentRecordSchema.array().parse(await readCollection("catalog", "agents.json"));
    expect(agents).toHaveLength(2);
    for (const agent of agents) {
      expect(agent.toolIds.length).toBeGreaterThanOrEqual(3);
      for (const toolId of agent.toolIds) expect(toolsById.get(toolId)?.source).toBe("imported");
    }
  });
});

describe("agentsynth tools import of a plain function list", () => {
  it("puts the tools in a new domain named after the file, and run --tool-source imported makes a dataset of them", { timeout: TIMEOUT }, async () => {
    const imported = await cli(["tools", "import", WEATHER_TOOLS, "--data-dir", "weather"]);
    expect(imported.stderr).toBe("");
    expect(imported.stdout.trim()).toBe("imported 5 tools, skipped 0; into domain weather_tools (new)");
    const domains = DomainRecordSchema.array().parse(await readCollection("weather", "domains.json"));
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
    expect(DomainRecordSchema.array().parse(await readCollection("weather", "domains.json"))).toHaveLength(1);
  });

  it("--domain NAME creates that domain for OpenAI tool specs, and a second file joins it by name", { timeout: TIMEOUT }, async () => {
    const created = await cli(["tools", "import", CALENDAR_TOOLS, "--domain", "team-calendar", "--data-dir", "calendar"]);
    expect(created.stdout.trim()).toBe("imported 4 tools, skipped 0; into domain team_calendar (new)");
    const [domain] = DomainRecordSchema.array().parse(await readCollection("calendar", "domains.json"));
    expect(domain).toMatchObject({ name: "team_calendar", category: "Imported tools" });
    const joined = await cli(["tools", "import", WEATHER_TOOLS, "--domain", "team_calendar", "--data-dir", "calendar"]);
    expect(joined.stdout.trim()).toBe(`imported 5 tools, skipped 0; into domain team_calendar (${domain?.id})`);
    const tools = listedTools(await cli(["tools", "list", "--json", "--data-dir", "calendar"]));
    expect(tools).toHaveLength(9);
    expect(new Set(tools.map((tool) => tool.domainId))).toEqual(new Set([domain?.id]));
  });

  it("--domain with a domain id that is not in the store exits 2 naming it, and imports nothing", { timeout: TIMEOUT }, async () => {
    await cli(["tools", "import", CALENDAR_TOOLS, "--data-dir", "stale-id"]);
    const before = await readCollection("stale-id", "tools.json");
    const result = await cli(["tools", "import", WEATHER_TOOLS, "--domain", "dom_404", "--data-dir", "stale-id"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/NOT_FOUND: no domain with id "dom_404"/);
    expect(result.stdout).toBe("");
    expect(await readCollection("stale-id", "tools.json")).toEqual(before);
  });
});

describe("agentsynth tools import of other files, and bad input", () => {
  it("imports the 28 OpenAI function specs of tau-bench", { timeout: TIMEOUT }, async () => {
    const result = await cli(["tools", "import", TAU_BENCH_TOOLS, "--data-dir", "tau"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe("imported 28 tools, skipped 0; into domain tools_tau_bench (new)");
    const tools = listedTools(await cli(["tools", "list", "--source", "imported", "--json", "--data-dir", "tau"]));
    expect(tools).toHaveLength(28);
    expect(new Set(tools.map((tool) => tool.origin.format))).toEqual(new Set(["openai-functions"]));
    expect(tools.map((tool) => tool.name)).toContain("book_reservation");
  });

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

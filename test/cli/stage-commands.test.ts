import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainRecordSchema } from "../../src/domain/domain.js";
import { ExportSummarySchema } from "../../src/domain/dataset.js";
import { checkOpenAIRecord } from "../helpers/check-openai-record.js";
import { SMALL_CONFIG } from "../helpers/mcp-client.js";
import { REPO_ROOT, runCli, type CliResult } from "../helpers/run-cli.js";

const PET_GROOMING = join(REPO_ROOT, "test", "fixtures", "domains", "pet-grooming.json");
const TIMEOUT = 60_000;

let workdir: string;
beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), "agentsynth-stages-cli-"));
  // The default ./mcp.json of the working directory: no third-party servers.
  await writeFile(join(workdir, "mcp.json"), JSON.stringify({ mcpServers: {} }));
  await writeFile(join(workdir, "small.json"), JSON.stringify({ ...SMALL_CONFIG, name: "stages" }));
});
afterAll(async () => rm(workdir, { recursive: true, force: true }));

const cli = (...args: string[]): Promise<CliResult> => runCli([...args, "--config", "small.json", "--data-dir", "data"], { cwd: workdir, timeoutMs: TIMEOUT });

/** Run a command with --json and parse what it printed; a failure shows its stderr. */
async function json<T>(...args: string[]): Promise<{ result: T; stderr: string }> {
  const run = await cli(...args, "--json");
  expect(run.stderr).not.toMatch(/error|warning/i);
  expect(run.code).toBe(0);
  return { result: JSON.parse(run.stdout) as T, stderr: run.stderr };
}

describe("a dataset made stage by stage with the CLI, over a domain of the user's own", { timeout: TIMEOUT }, () => {
  let domainId: string;
  let agentId: string;
  let taskIds: string[];
  let simulateRun: string;
  let datasetId: string;
  let kept: number;

  it("domains create FILE adds the domain outside the taxonomy, and domains list shows it", async () => {
    const { result } = await json<unknown>("domains", "create", PET_GROOMING);
    const domain = DomainRecordSchema.parse(result);
    expect(domain).toMatchObject({ name: "pet_grooming", category: "Pet Care", organization: "Fluffy Paws Grooming", provenance: { source: "authored" } });
    domainId = domain.id;
    const listed = await cli("domains", "list");
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${domainId} pet_grooming: Pet Grooming Salon (Pet Care)`);
  });

  it("tools synthesize grows it into tools, with a progress bar on stderr", async () => {
    const { result, stderr } = await json<{ runId: string; items: Array<{ name: string; domainId: string }> }>("tools", "synthesize", "--domain", domainId, "--per-domain", "4");
    expect(result.items).toHaveLength(4);
    for (const tool of result.items) expect(tool.domainId).toBe(domainId);
    expect(result.items.map((tool) => tool.name).join(" ")).toMatch(/appointment|pet/);
    expect(stderr).toMatch(/tools +█+ 1\/1/);
  });

  it("agents generate and tasks generate build on it", async () => {
    const agents = await json<{ items: Array<{ id: string; domainId: string; toolIds: string[] }> }>("agents", "generate", "--count", "1", "--domain", domainId, "--min-tools", "3");
    expect(agents.result.items).toHaveLength(1);
    expect(agents.result.items[0]?.domainId).toBe(domainId);
    agentId = agents.result.items[0]?.id ?? "";
    const tasks = await json<{ items: Array<{ id: string; agentId: string }> }>("tasks", "generate", "--count", "3", "--agent", agentId);
    expect(tasks.result.items.map((task) => task.agentId)).toEqual([agentId, agentId, agentId]);
    taskIds = tasks.result.items.map((task) => task.id);
  });

  it("simulate, judge and filter make a dataset of those tasks", async () => {
    const simulated = await json<{ runId: string; episodeIds: string[]; summary: { episodes: number } }>("simulate", "--task", taskIds.join(","), "--episodes-per-task", "2", "--max-turns", "4");
    expect(simulated.result.summary.episodes).toBe(6);
    simulateRun = simulated.result.runId;
    const judged = await json<{ summary: { judged: number } }>("judge", "--run", simulateRun);
    expect(judged.result.summary.judged).toBe(6);
    const filtered = await json<{ id: string; kept: number; rejected: number; keptEpisodeIds: string[] }>("filter", "--run", simulateRun, "--name", "pet grooming/v1", "--no-require-pass", "--min-score", "0");
    expect(filtered.result.kept + filtered.result.rejected).toBe(6);
    expect(filtered.result.kept).toBeGreaterThan(0);
    datasetId = filtered.result.id;
    kept = filtered.result.kept;
  });

  it("export writes it to its own folder (its name made a safe folder name) with records that pass the check", async () => {
    const { result } = await json<unknown>("export", "--dataset", datasetId, "--out", "out");
    const exported = ExportSummarySchema.parse(result);
    expect(exported.directory).toBe(join(workdir, "out", "pet-grooming-v1"));
    expect(exported.records).toBe(kept);
    const lines = (await readFile(exported.path, "utf8")).trimEnd().split("\n");
    expect(lines).toHaveLength(kept);
    for (const line of lines) expect(checkOpenAIRecord(JSON.parse(line))).toEqual([]);
    expect(await readFile(exported.cardPath, "utf8")).toContain("pet_grooming");
  });

  it("an id that does not exist exits 2 naming the flag", async () => {
    const result = await cli("tools", "synthesize", "--domain", "dom_nope");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('NOT_FOUND: no domain with id "dom_nope" (--domain)');
    const twice = await cli("domains", "create", PET_GROOMING);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('there is a domain named "pet_grooming" already');
  });
});

describe("bad input to a stage command exits 2 naming the flag, and writes nothing", () => {
  beforeAll(async () => {
    await writeFile(join(workdir, "bad-domain.json"), JSON.stringify({ category: "Pets", name: "Pet Grooming", title: "t", description: "d", organisation: "o", entities: [] }));
    await writeFile(join(workdir, "not-json.json"), "{ name: ");
  });

  it.each([
    ["domains evolve without --count", ["domains", "evolve"], /domains evolve needs --count N/],
    ["domains evolve --count 0", ["domains", "evolve", "--count", "0"], /--count: expected an integer from 1 to 500, got "0"/],
    ["domains create without a file", ["domains", "create"], /domains create takes FILE, got none/],
    ["domains create of a missing file", ["domains", "create", "missing.json"], /missing\.json: cannot read it \(ENOENT\)/],
    ["domains create of a file that is not JSON", ["domains", "create", "not-json.json"], /not-json\.json: not valid JSON/],
    ["domains create of an invalid domain", ["domains", "create", "bad-domain.json"], /the domain is invalid:\n {2}- name: .*pattern[\s\S]*- entities: .*>=1 items[\s\S]*unknown field "organisation"/],
    ["domains lists", ["domains", "lists"], /domains: expected "evolve", "create FILE", "list", got "lists"/],
    ["tools synthesize --per-domain 100", ["tools", "synthesize", "--per-domain", "100"], /--per-domain: expected an integer from 1 to 50, got "100"/],
    ["agents generate --count two", ["agents", "generate", "--count", "two"], /--count: expected an integer from 1 to 1000, got "two"/],
    ["agents generate --domain a,,b", ["agents", "generate", "--count", "1", "--domain", "a,,b"], /--domain: expected a comma-separated list without empty items/],
    ["tasks generate --agents", ["tasks", "generate", "--count", "1", "--agents", "x"], /tasks generate: unknown flag --agents; it takes --count, --agent, --seed, --json/],
    ["simulate --fault-rate 2", ["simulate", "--fault-rate", "2"], /--fault-rate: expected a rate from 0 to 1, got "2"/],
    ["simulate --difficulty extreme", ["simulate", "--difficulty", "extreme"], /--difficulty: expected one of easy, medium, hard, got "extreme"/],
    ["simulate --task with --agent", ["simulate", "--task", "tsk_1", "--agent", "agt_1"], /--task names the tasks; leave out --agent/],
    ["judge --min-score", ["judge", "--min-score", "0.5"], /judge: unknown flag --min-score/],
    ["judge --concurrency", ["judge", "--concurrency"], /--concurrency: expected a value \(N\)/],
    ["filter --min-score 1.5", ["filter", "--min-score", "1.5"], /--min-score: expected a rate from 0 to 1, got "1.5"/],
    ["filter --dedupe --no-dedupe", ["filter", "--dedupe", "--no-dedupe"], /--dedupe and --no-dedupe contradict each other/],
    ["filter --exclude-attributions", ["filter", "--exclude-attributions", "agent,nobody"], /--exclude-attributions: expected agent, user_simulator, tool_simulator, infrastructure/],
    ["filter --min-success-rate over --max-success-rate", ["filter", "--min-success-rate", "0.8", "--max-success-rate", "0.2"], /--min-success-rate \(0\.8\) must not exceed --max-success-rate \(0\.2\)/],
    ["export --split 0", ["export", "--split", "0"], /--split: expected the validation share/],
    ["export --json=yes", ["export", "--json=yes"], /--json is a switch and takes no value/],
    ["export --seed without --split", ["export", "--seed", "3"], /--seed is the seed of the split: give --split RATIO with it/],
    ["an unknown command", ["generate"], /unknown command "generate"/],
  ])("%s", { timeout: TIMEOUT }, async (_label, args, message) => {
    const dataDir = `bad-${args.join("-").replace(/\W+/g, "-")}`;
    const out = args[0] === "export" ? ["--out", `${dataDir}-out`] : [];
    const result = await runCli([...args, "--data-dir", dataDir, ...out], { cwd: workdir });
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
    expect(existsSync(join(workdir, dataDir))).toBe(false);
    expect(existsSync(join(workdir, `${dataDir}-out`))).toBe(false);
  });

  it("a stage that needs stored records, on a data directory that does not exist, exits 2 and creates nothing", { timeout: TIMEOUT }, async () => {
    for (const args of [["judge"], ["filter"], ["simulate"], ["tasks", "generate", "--count", "1"], ["export"]]) {
      const result = await runCli([...args, "--data-dir", "nowhere"], { cwd: workdir });
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toContain(`there is no store in ${join(workdir, "nowhere")}`);
    }
    expect(existsSync(join(workdir, "nowhere"))).toBe(false);
  });

  it("a command's --help lists its flags with what they mean", { timeout: TIMEOUT }, async () => {
    const result = await runCli(["filter", "--help"], { cwd: workdir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: agentsynth filter \[--episode ID,…\]/);
    expect(result.stdout).toMatch(/--no-require-pass +keep failing verdicts/);
    expect(result.stdout).toMatch(/--data-dir DIR +the store directory/);
  });
});

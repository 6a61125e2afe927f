import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkHfRecord } from "../helpers/check-hf-record.js";
import { checkOpenAIRecord } from "../helpers/check-openai-record.js";
import { checkShareGptRecord } from "../helpers/check-sharegpt-record.js";
import { RunSummarySchema, type RunSummary } from "../../src/domain/run.js";
import { runCli } from "../helpers/run-cli.js";
import { FIXTURE_TEMPLATES } from "../helpers/test-data.js";

let workdir: string;
const small = { domains: { count: 4 }, tools: { perDomain: 4 }, agents: { count: 4 }, tasks: { count: 8 }, simulation: { episodesPerTask: 2 } };
/** The run's dataset, and the folder every export of it gets under --out. */
const DATASET = "default-seed7";
let runSummary: RunSummary;
const exportCli = (...args: string[]) => runCli(["export", "--data-dir", "data", ...args], { cwd: workdir });
const readLines = async (file: string) => (await readFile(join(workdir, file), "utf8")).split("\n").filter(Boolean).map((line) => JSON.parse(line) as unknown);

beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), "agentsynth-export-cli-"));
  await writeFile(join(workdir, "mcp.json"), JSON.stringify({ mcpServers: {} }));
  await writeFile(join(workdir, "small.json"), JSON.stringify(small));
  const run = await runCli(["run", "small.json", "--data-dir", "data", "--out", "run-out", "--json"], { cwd: workdir });
  if (run.code !== 0) throw new Error(`agentsynth run failed: ${run.stderr}`);
  runSummary = RunSummarySchema.parse(JSON.parse(run.stdout));
}, 120_000);
afterAll(async () => rm(workdir, { recursive: true, force: true }));

describe("agentsynth export", () => {
  it("exports the newest dataset as hf and renders every record through our chat templates", async () => {
    const result = await exportCli("--format", "hf", "--out", "hf", "--check-templates", FIXTURE_TEMPLATES);
    expect(result.stderr).not.toMatch(/error|warning/i);
    expect(result.code).toBe(0);
    const records = await readLines(`hf/${DATASET}/train.jsonl`);
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) expect(checkHfRecord(record)).toEqual([]);
    expect(result.stdout).toContain(`${records.length} record(s) as hf`);
    expect(result.stdout).toContain(`numbered-calls.jinja: ${records.length}/${records.length} rendered`);
    expect(result.stdout).toContain(`tagged-calls.jinja: ${records.length}/${records.length} rendered`);
    expect(await readFile(join(workdir, "hf", DATASET, "README.md"), "utf8")).toContain("Hugging Face chat JSONL");
  });

  it("writes the run's card and records again, byte for byte, for a later export of the same dataset", async () => {
    expect(runSummary.export.directory).toBe(join(workdir, "run-out", DATASET));
    const result = await exportCli("--out", "again", "--dataset", runSummary.datasetId);
    expect(result.code).toBe(0);
    for (const file of ["train.jsonl", "README.md"]) {
      expect(await readFile(join(workdir, "again", DATASET, file), "utf8")).toBe(await readFile(join(runSummary.export.directory, file), "utf8"));
    }
  });

  it("writes Kimi-style ids that survive a template checking that every result answers an earlier call id", async () => {
    const result = await exportCli("--kimi-ids", "--out", "kimi", "--check-templates", FIXTURE_TEMPLATES);
    expect(result.code).toBe(0);
    const records = (await readLines(`kimi/${DATASET}/train.jsonl`)) as Array<{ messages: Array<{ role: string; tool_call_id?: string; tool_calls?: Array<{ id: string; function: { name: string } }> }> }>;
    for (const record of records) {
      expect(checkOpenAIRecord(record)).toEqual([]);
      const calls = record.messages.flatMap((message) => message.tool_calls ?? []);
      expect(calls.map((call) => call.id)).toEqual(calls.map((call, index) => `functions.${call.function.name}:${index}`));
    }
    expect(result.stdout).toMatch(/numbered-calls\.jinja: (\d+)\/\1 rendered/);
  });

  it("writes Mistral-style ids (9 alphanumeric characters) with --call-id-style mistral, and refuses a contradicting alias", async () => {
    const result = await exportCli("--call-id-style", "mistral", "--format", "hf", "--out", "mistral");
    expect(result.code).toBe(0);
    const records = (await readLines(`mistral/${DATASET}/train.jsonl`)) as Array<{ messages: Array<{ tool_calls?: Array<{ id: string }> }> }>;
    const ids = records.flatMap((record) => record.messages.flatMap((message) => (message.tool_calls ?? []).map((call) => call.id)));
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9]{9}$/);
    for (const record of records) expect(checkHfRecord(record)).toEqual([]);
    expect(await readFile(join(workdir, "mistral", DATASET, "README.md"), "utf8")).toContain("tool-call ids: Mistral style");
    const contradiction = await exportCli("--call-id-style", "mistral", "--kimi-ids", "--out", "never");
    expect(contradiction.code).toBe(2);
    expect(contradiction.stderr).toContain("--call-id-style mistral contradicts --kimi-ids");
    const unknown = await exportCli("--call-id-style", "llama", "--out", "never");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--call-id-style.*openai, kimi, mistral/);
    expect(existsSync(join(workdir, "never"))).toBe(false);
  });

  it("splits sharegpt records the same way for the same seed", async () => {
    const first = await exportCli("--format", "sharegpt", "--no-system", "--reasoning", "--split", "0.3", "--seed", "5", "--out", "sg-a", "--check-templates", FIXTURE_TEMPLATES);
    const second = await exportCli("--format", "sharegpt", "--no-system", "--reasoning", "--split", "0.3", "--seed", "5", "--out", "sg-b");
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    for (const file of ["train.jsonl", "validation.jsonl", "README.md"]) {
      expect(await readFile(join(workdir, "sg-b", DATASET, file), "utf8")).toBe(await readFile(join(workdir, "sg-a", DATASET, file), "utf8"));
    }
    const train = await readLines(`sg-a/${DATASET}/train.jsonl`);
    const validation = await readLines(`sg-a/${DATASET}/validation.jsonl`);
    expect(validation.length).toBe(Math.round((train.length + validation.length) * 0.3));
    for (const record of [...train, ...validation]) expect(checkShareGptRecord(record)).toEqual([]);
    expect(JSON.stringify(train)).not.toContain('"from":"system"');
  });

  it("exits 1 and prints the first error when a template fails", async () => {
    const templates = join(workdir, "bad-templates");
    await mkdir(templates, { recursive: true });
    await writeFile(join(templates, "broken.jinja"), "{{ messages[0].content | no_such_filter }}");
    const result = await exportCli("--out", "broken-out", "--check-templates", templates);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/broken\.jinja: 0\/\d+ rendered; first error \(train\.jsonl line 1\): \S+/);
    expect(result.stderr).toMatch(/record\(s\) failed to render through broken\.jinja; first error: \S+/);
  });

  it("rejects bad input with exit 2", async () => {
    const format = await exportCli("--format", "csv", "--out", "x");
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("--format");
    const split = await exportCli("--split", "1.5", "--out", "x");
    expect(split.code).toBe(2);
    const unknown = await exportCli("--dataset", "ds_nope", "--out", "x");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("ds_nope");
    const noStore = await runCli(["export", "--data-dir", "missing", "--out", "x"], { cwd: workdir });
    expect(noStore.code).toBe(2);
    expect(existsSync(join(workdir, "missing"))).toBe(false);
  });
});

describe("agentsynth export: defaults from the config, folders and refusals", () => {
  const filterCli = async (...args: string[]): Promise<{ id: string; kept: number }> => {
    const result = await runCli(["filter", "--data-dir", "data", "--json", ...args], { cwd: workdir });
    if (result.code !== 0) throw new Error(`agentsynth filter failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as { id: string; kept: number };
  };

  it("takes the config's export section as defaults, and its flags over them", async () => {
    await writeFile(join(workdir, "hf-export.json"), JSON.stringify({ ...small, export: { format: "hf", includeSystemPrompt: false } }));
    const configured = await exportCli("--config", "hf-export.json", "--dataset", runSummary.datasetId, "--out", "configured");
    expect(configured.code).toBe(0);
    const records = (await readLines(`configured/${DATASET}/train.jsonl`)) as Array<{ messages: Array<{ role: string }> }>;
    for (const record of records) {
      expect(checkHfRecord(record)).toEqual([]);
      expect(record.messages[0]?.role).toBe("user");
    }
    const flagged = await exportCli("--config", "hf-export.json", "--dataset", runSummary.datasetId, "--format", "openai", "--system", "--out", "flagged");
    expect(flagged.code).toBe(0);
    for (const record of (await readLines(`flagged/${DATASET}/train.jsonl`)) as Array<{ messages: Array<{ role: string }> }>) {
      expect(checkOpenAIRecord(record)).toEqual([]);
      expect(record.messages[0]?.role).toBe("system");
    }
  });

  it("--check-templates with a missing folder exits 2 and writes nothing", async () => {
    const result = await exportCli("--out", "templates-missing", "--check-templates", "no-such-templates");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(join(workdir, "no-such-templates"));
    expect(existsSync(join(workdir, "templates-missing"))).toBe(false);
  });

  it("exports a dataset over its own earlier export, but not over another dataset's without --force", async () => {
    const own = await exportCli("--dataset", runSummary.datasetId, "--out", "run-out");
    expect(own.code).toBe(0);
    const before = await readFile(join(runSummary.export.directory, "train.jsonl"), "utf8");
    // A second dataset with the same name would go to the same folder.
    const namesake = await filterCli("--name", DATASET, "--no-require-pass", "--min-score", "0");
    const refused = await exportCli("--dataset", namesake.id, "--out", "run-out");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`holds the export of dataset ${runSummary.datasetId} "${DATASET}"`);
    expect(refused.stderr).toContain("--force");
    expect(await readFile(join(runSummary.export.directory, "train.jsonl"), "utf8")).toBe(before);
    const forced = await exportCli("--dataset", namesake.id, "--out", "run-out", "--force");
    expect(forced.code).toBe(0);
    expect((await readLines(`run-out/${DATASET}/train.jsonl`)).length).toBe(namesake.kept);
  });

  it("a dataset with no records exits 1 with the reason and writes nothing", async () => {
    const empty = await filterCli("--name", "nothing-kept", "--max-messages", "1");
    expect(empty.kept).toBe(0);
    const result = await exportCli("--dataset", empty.id, "--out", "empty-out");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("EMPTY_RESULT");
    expect(result.stderr).toMatch(/has no records: the filter kept none of its \d+ episode\(s\) \(rejected: .*messages_above_max \d+/);
    expect(existsSync(join(workdir, "empty-out"))).toBe(false);
  });
});

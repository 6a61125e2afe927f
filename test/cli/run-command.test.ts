import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkOpenAIRecord } from "../helpers/check-openai-record.js";
import { renderThroughTemplates } from "../helpers/render-templates.js";
import { runCli, type CliResult } from "../helpers/run-cli.js";
import { FIXTURE_TEMPLATES } from "../helpers/test-data.js";

let workdir: string;
beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), "agentsynth-cli-"));
});
afterAll(async () => rm(workdir, { recursive: true, force: true }));

describe("agentsynth run (default config, offline)", () => {
  let first: CliResult;
  let second: CliResult;
  beforeAll(async () => {
    // The default run: synthetic tools and the real filesystem and memory servers from npm, in two data directories
    // of different names and depths (the servers see their real paths; episodes and exports see /sandbox/…).
    [first, second] = await Promise.all([
      runCli(["run", "--seed", "7", "--data-dir", "data-a", "--out", "out-a"], { cwd: workdir }),
      runCli(["run", "--seed", "7", "--data-dir", join("elsewhere", "another-data-dir"), "--out", "out-b"], { cwd: workdir }),
    ]);
  }, 180_000);

  it("exits 0 with a progress bar on stderr and a summary on stdout", () => {
    expect(first.stderr).not.toContain("error");
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/simulate .*\d+\/30/);
    // 20 evolved domains and 100 synthetic tools, plus the two real servers as domains of their own (9 + 14 tools).
    expect(first.stdout).toMatch(/domains 22 → tools 123 → agents 10 → tasks 30/);
    expect(first.stdout).toMatch(/episodes 30/);
    expect(first.stdout).toMatch(/end reasons: .*user_stop \d+/);
    expect(first.stdout).toMatch(/tool calls: environment \d+, real [1-9]/);
    // The export goes to the dataset's own folder, named after the dataset (config name and seed).
    expect(first.stdout).toContain(`dataset ds_`);
    expect(first.stdout).toContain(`"default-seed7" exported as openai to ${join(workdir, "out-a", "default-seed7")}`);
    expect(first.stdout).toContain(join(workdir, "out-a", "default-seed7", "train.jsonl"));
  });

  it("exports records that all pass an independent check and render through our chat templates", async () => {
    const lines = (await readFile(join(workdir, "out-a", "default-seed7", "train.jsonl"), "utf8")).trimEnd().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(15);
    for (const [index, line] of lines.entries()) {
      const record = JSON.parse(line) as { messages: unknown[]; tools: unknown[] };
      expect({ index, problems: checkOpenAIRecord(record) }).toEqual({ index, problems: [] });
      const errors = renderThroughTemplates(FIXTURE_TEMPLATES, record);
      expect({ index, errors }).toEqual({ index, errors: Object.fromEntries(Object.keys(errors).map((k) => [k, undefined])) });
    }
    const card = await readFile(join(workdir, "out-a", "default-seed7", "README.md"), "utf8");
    expect(card).toContain(`Records: ${lines.length}`);
    expect(card).toContain("seed 7");
    expect(card).toContain("offline");
  });

  it("gives byte-identical exports for the same config and seed in different data directories, real tools included", async () => {
    expect(second.code).toBe(0);
    for (const file of ["train.jsonl", "README.md"]) {
      expect(await readFile(join(workdir, "out-b", "default-seed7", file), "utf8")).toBe(await readFile(join(workdir, "out-a", "default-seed7", file), "utf8"));
    }
  });

  it("exports no path of the machine: the data directory's paths read as /sandbox/…", async () => {
    const train = await readFile(join(workdir, "out-a", "default-seed7", "train.jsonl"), "utf8");
    // The real filesystem server answered with paths of its folder, <data dir>/sandbox; the records show them virtual.
    expect(train).toMatch(/\/sandbox\b/);
    for (const out of ["out-a", "out-b"]) {
      for (const file of ["train.jsonl", "README.md"]) {
        const text = await readFile(join(workdir, out, "default-seed7", file), "utf8");
        for (const machinePath of [workdir, join(workdir, "data-a"), join(workdir, "elsewhere")]) expect(text).not.toContain(machinePath);
      }
    }
  });

  it("persists every stage in the store", async () => {
    const files = await readdir(join(workdir, "data-a"));
    expect(files).toEqual(expect.arrayContaining(["tools.json", "agents.json", "tasks.json", "runs.json", "datasets.json", "episodes", "judgments"]));
    const runs = JSON.parse(await readFile(join(workdir, "data-a", "runs.json"), "utf8")) as { records: Array<{ status: string }> };
    expect(runs.records.map((r) => r.status)).toEqual(["completed"]);
  });
});

describe("agentsynth run with bad input", () => {
  async function runWithConfig(name: string, text: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    await writeFile(join(workdir, name), text);
    return runCli(["run", "--config", name, "--data-dir", `data-${name}`, "--out", `out-${name}`], { cwd: workdir, env });
  }
  const nothingWritten = (name: string) => {
    expect(existsSync(join(workdir, `data-${name}`))).toBe(false);
    expect(existsSync(join(workdir, `out-${name}`))).toBe(false);
  };

  it("a config that is not JSON exits 2 naming the file", async () => {
    const result = await runWithConfig("broken.json", "{ seed: 7");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("broken.json");
    expect(result.stderr).toContain("not valid JSON");
    nothingWritten("broken.json");
  });

  it("an unknown field exits 2 naming its path", async () => {
    const result = await runWithConfig("unknown.json", JSON.stringify({ simulation: { maxTurnz: 3 } }));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/simulation: unknown field "maxTurnz"/);
    nothingWritten("unknown.json");
  });

  it("a wrong type exits 2 naming the path and what was expected", async () => {
    const result = await runWithConfig("wrong-type.json", JSON.stringify({ tasks: { count: "thirty" } }));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/tasks\.count: .*expected number/i);
    nothingWritten("wrong-type.json");
  });

  it("the openai provider without a key fails before any work", async () => {
    const result = await runWithConfig("no-key.json", JSON.stringify({ models: { default: { provider: "openai", model: "gpt-4.1-mini" } } }));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("MISSING_API_KEY");
    expect(result.stderr).toContain("OPENAI_API_KEY");
    nothingWritten("no-key.json");
  });

  it("a bad --seed exits 2", async () => {
    const result = await runCli(["run", "--seed", "abc", "--data-dir", "data-seed", "--out", "out-seed"], { cwd: workdir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--seed");
  });
});

describe("agentsynth run: where the export goes, and runs that make nothing", () => {
  const small = { name: "tiny", seed: 5, domains: { count: 2 }, tools: { perDomain: 3 }, agents: { count: 2, minTools: 3, maxTools: 3 }, tasks: { count: 2 }, simulation: { concurrency: 2 } };
  beforeAll(async () => {
    await writeFile(join(workdir, "tiny.json"), JSON.stringify(small));
    await writeFile(join(workdir, "keeps-none.json"), JSON.stringify({ ...small, filter: { length: { maxMessages: 1 } } }));
    await writeFile(join(workdir, "no-servers.json"), JSON.stringify({ mcpServers: {} }));
  });
  const run = (...args: string[]) => runCli(["run", "--mcp-config", "no-servers.json", ...args], { cwd: workdir });
  const readRuns = async (dataDir: string) => (JSON.parse(await readFile(join(workdir, dataDir, "runs.json"), "utf8")) as { records: Array<{ status: string; error?: string; datasetId?: string }> }).records;

  it("a second run into the same --out gets a folder of its own, and the first export stays as it was", async () => {
    const first = await run("tiny.json", "--data-dir", "twice", "--out", "twice-out");
    expect(first.code).toBe(0);
    const before = await readFile(join(workdir, "twice-out", "tiny-seed5", "train.jsonl"), "utf8");
    const second = await run("tiny.json", "--data-dir", "twice", "--out", "twice-out");
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`"tiny-seed5-2" exported as openai to ${join(workdir, "twice-out", "tiny-seed5-2")}`);
    expect(await readFile(join(workdir, "twice-out", "tiny-seed5", "train.jsonl"), "utf8")).toBe(before);
    // Same config and seed: the same records, in a folder of their own.
    expect(await readFile(join(workdir, "twice-out", "tiny-seed5-2", "train.jsonl"), "utf8")).toBe(before);
    // Another store writing to the same --out does not land on that folder either.
    const elsewhere = await run("tiny.json", "--data-dir", "other-store", "--out", "twice-out");
    expect(elsewhere.code).toBe(0);
    expect(elsewhere.stdout).toContain(join(workdir, "twice-out", "tiny-seed5-3", "train.jsonl"));
  });

  it("a run with no tools to build agents from exits 1 with the reason, and the run record says why", async () => {
    const result = await run("tiny.json", "--tool-source", "imported", "--data-dir", "no-tools", "--out", "no-tools-out");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/EMPTY_RESULT: the tool sources \(imported\) gave no usable tool with a domain/);
    const [record] = await readRuns("no-tools");
    expect(record?.status).toBe("failed");
    expect(record?.error).toMatch(/^EMPTY_RESULT: the tool sources \(imported\)/);
    expect(existsSync(join(workdir, "no-tools-out"))).toBe(false);
  });

  it("a run whose filter keeps nothing exits 1 with the rejection reasons, stores its dataset and writes no export", async () => {
    const result = await run("keeps-none.json", "--data-dir", "keeps-none", "--out", "keeps-none-out");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/EMPTY_RESULT: dataset ds_\w+ "tiny-seed5" has no records: the filter kept none of its 2 episode\(s\) \(rejected: .*messages_above_max 2/);
    const [record] = await readRuns("keeps-none");
    expect(record?.status).toBe("failed");
    expect(record?.datasetId).toMatch(/^ds_/);
    expect(record?.error).toContain("has no records");
    expect(existsSync(join(workdir, "keeps-none-out"))).toBe(false);
  });

  it("an unknown flag exits 2 naming it, before anything is written", async () => {
    const result = await run("tiny.json", "--format", "hf", "--data-dir", "bad-flag", "--out", "bad-flag-out");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("run: unknown flag --format");
    expect(existsSync(join(workdir, "bad-flag"))).toBe(false);
  });
});

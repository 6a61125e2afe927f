import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReportSummarySchema } from "../../src/domain/report.js";
import { RunSummarySchema, type RunSummary } from "../../src/domain/run.js";
import { runCli } from "../helpers/run-cli.js";

let workdir: string;
let run: RunSummary;
const small = { domains: { count: 2 }, tools: { perDomain: 4, sources: ["synthetic"] }, agents: { count: 2 }, tasks: { count: 3 } };
const reportCli = (...args: string[]) => runCli(["report", "--data-dir", "data", ...args], { cwd: workdir });

beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), "agentsynth-report-cli-"));
  await writeFile(join(workdir, "mcp.json"), JSON.stringify({ mcpServers: {} }));
  await writeFile(join(workdir, "small.json"), JSON.stringify(small));
  const result = await runCli(["run", "small.json", "--data-dir", "data", "--json"], { cwd: workdir });
  if (result.code !== 0) throw new Error(`agentsynth run failed: ${result.stderr}`);
  run = RunSummarySchema.parse(JSON.parse(result.stdout));
}, 120_000);
afterAll(async () => rm(workdir, { recursive: true, force: true }));

describe("agentsynth report", () => {
  it("writes the newest dataset's report beside its export and says where to open it", async () => {
    const result = await reportCli();
    expect(result.code).toBe(0);
    const index = join(run.export.directory, "report", "index.html");
    expect(result.stdout).toContain(`Report of dataset ${run.datasetId}`);
    expect(result.stdout).toContain(`open file://${index}`);
    expect(existsSync(index)).toBe(true);
    expect(await readdir(join(run.export.directory, "report", "data"))).toEqual(expect.arrayContaining(["manifest.js", "index-0001.js", "episodes-0001.js", "judgments-0001.js"]));
  });

  it("--run --out --json: the run's episodes, in DIR/<run id>/report/, the summary as JSON", async () => {
    const result = await reportCli("--run", run.runId, "--out", "reports", "--json");
    expect(result.code).toBe(0);
    const summary = ReportSummarySchema.parse(JSON.parse(result.stdout));
    expect(summary.directory).toBe(join(workdir, "reports", run.runId, "report"));
    expect(summary.episodes).toBe(run.counts.episodes);
  });

  it("bad input exits 2 with the reason and writes nothing", async () => {
    const unknown = await reportCli("--dataset", "ds_missing", "--out", "bad");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/there is no dataset ds_missing/);
    const both = await reportCli("--dataset", run.datasetId, "--run", run.runId, "--out", "bad");
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/either a dataset or a run/);
    const flag = await reportCli("--format", "html");
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown flag --format/);
    const noStore = await runCli(["report", "--data-dir", "nowhere"], { cwd: workdir });
    expect(noStore.code).toBe(2);
    expect(noStore.stderr).toMatch(/there is no store/);
    expect(existsSync(join(workdir, "bad"))).toBe(false);
    expect(existsSync(join(workdir, "nowhere"))).toBe(false);
  });
});

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { SHARED_TEMPLATE_FILES, SHARED_TEMPLATES } from "../helpers/test-data.js";

let workdir: string;
const small = { domains: { count: 4 }, tools: { perDomain: 4 }, agents: { count: 4 }, tasks: { count: 8 }, simulation: { episodesPerTask: 2 } };

beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), "agentsynth-export-shared-"));
  await writeFile(join(workdir, "small.json"), JSON.stringify(small));
  const run = await runCli(["run", "small.json", "--data-dir", "data", "--out", "run-out"], { cwd: workdir });
  if (run.code !== 0) throw new Error(`agentsynth run failed: ${run.stderr}`);
}, 120_000);
afterAll(async () => rm(workdir, { recursive: true, force: true }));

describe("agentsynth export --check-templates with the official chat templates (shared data)", () => {
  it.each([
    ["openai", []],
    ["openai with Kimi-style ids", ["--kimi-ids"]],
    ["hf", ["--format", "hf"]],
    ["sharegpt with reasoning, split", ["--format", "sharegpt", "--reasoning", "--split", "0.3"]],
  ])("renders every %s record through every official template", async (label, flags) => {
    const result = await runCli(["export", "--data-dir", "data", ...flags, "--out", `out-${label.replace(/\W+/g, "-")}`, "--check-templates", SHARED_TEMPLATES], { cwd: workdir });
    expect(result.stderr).not.toMatch(/error|warning/i);
    expect(result.code).toBe(0);
    for (const template of SHARED_TEMPLATE_FILES) expect(result.stdout).toMatch(new RegExp(`${template.replace(/\./g, "\\.")}: ([1-9]\\d*)/\\1 rendered`));
  });
});

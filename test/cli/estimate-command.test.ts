import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerPipelineRequest } from "../helpers/fake-pipeline-endpoint.js";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../helpers/fake-openai-server.js";
import { runCli } from "../helpers/run-cli.js";

let workdir: string;
let server: FakeOpenAIServer;
beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), "agentsynth-cli-estimate-"));
  server = await startFakeOpenAIServer({ handler: (request) => answerPipelineRequest(request) });
  const remote = { provider: "openai", model: "fake-model", baseUrl: server.url, apiKeyEnv: "FAKE_KEY" };
  const config = {
    name: "cli-estimate",
    models: { default: { provider: "offline", model: "offline" }, agent: remote, userSimulator: remote, toolSimulator: remote, judge: remote, prices: { "fake-model": { input: 1, output: 4 } } },
    domains: { count: 2 },
    tools: { perDomain: 3, sources: ["synthetic"] },
    agents: { count: 2, minTools: 2, maxTools: 3 },
    tasks: { count: 6 },
    simulation: { maxTurns: 2 },
    filter: { requirePass: false, minScore: 0 },
  };
  await writeFile(join(workdir, "pipeline.json"), JSON.stringify(config));
});
afterAll(async () => {
  await server.close();
  await rm(workdir, { recursive: true, force: true });
});

describe("agentsynth estimate", () => {
  it("prints the pilot and the projection per stage and role; --json gives the estimate", async () => {
    const text = await runCli(["estimate", "pipeline.json", "--episodes", "2", "--data-dir", "data"], { cwd: workdir, env: { FAKE_KEY: "sk-fake-0000000000" } });
    expect(text.stderr).not.toMatch(/error/i);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Estimate for config "cli-estimate": 2 domains, 2 agents, 6 tasks, 6 episodes');
    expect(text.stdout).toMatch(/pilot: 2 episodes/);
    expect(text.stdout).toMatch(/^ {2}simulate +\d+ req/m);
    expect(text.stdout).toMatch(/^ {2}total +\d+ req +\d+ in +\d+ out +\$\d+\.\d\d$/m);

    const json = await runCli(["estimate", "--config", "pipeline.json", "--episodes", "2", "--json", "--data-dir", "data"], { cwd: workdir, env: { FAKE_KEY: "sk-fake-0000000000" } });
    expect(json.code).toBe(0);
    const estimate = JSON.parse(json.stdout) as { scale: Record<string, number>; projected: { total: { cost: number } } };
    expect(estimate.scale.simulate).toBe(3);
    expect(estimate.projected.total.cost).toBeGreaterThan(0);
  });

  it("a bad --episodes exits 2", async () => {
    const result = await runCli(["estimate", "pipeline.json", "--episodes", "0"], { cwd: workdir, env: { FAKE_KEY: "k" } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--episodes: expected an integer from 1 to 100");
  });
});

describe("agentsynth run --max-cost", () => {
  it("stops the run with BUDGET_REACHED (exit 1) once the cap is spent", async () => {
    const result = await runCli(["run", "pipeline.json", "--max-cost", "0.001", "--data-dir", "data-cap"], { cwd: workdir, env: { FAKE_KEY: "sk-fake-0000000000" } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("BUDGET_REACHED");
    expect(result.stderr).toContain("the run's budget of $0.001 is reached");
  });

  it("a bad --max-cost exits 2", async () => {
    const result = await runCli(["run", "pipeline.json", "--max-cost", "0"], { cwd: workdir, env: { FAKE_KEY: "k" } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--max-cost: expected a number above 0");
  });
});

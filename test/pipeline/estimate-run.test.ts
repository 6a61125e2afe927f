import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { PipelineConfigInput } from "../../src/domain/config.js";
import { BudgetReachedError } from "../../src/errors/budget-reached-error.js";
import { openWorkspace, type Workspace } from "../../src/pipeline/workspace.js";
import { createFixedClock } from "../../src/support/clock.js";
import { createSequentialIds } from "../../src/support/ids.js";
import { answerPipelineRequest } from "../helpers/fake-pipeline-endpoint.js";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../helpers/fake-openai-server.js";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function fakeEndpoint(): Promise<FakeOpenAIServer> {
  const server = await startFakeOpenAIServer({ handler: (request) => answerPipelineRequest(request) });
  cleanups.push(() => server.close());
  return server;
}

/** The generator offline; the agent, both simulators and the judge on the fake endpoint, priced. */
function configFor(server: FakeOpenAIServer, extra: Partial<PipelineConfigInput> = {}): PipelineConfigInput {
  const remote = { provider: "openai" as const, model: "fake-model", baseUrl: server.url, apiKey: "sk-fake-key-000000" };
  return {
    name: "estimate-test",
    seed: 5,
    models: {
      default: { provider: "offline", model: "offline" },
      agent: remote,
      userSimulator: remote,
      toolSimulator: remote,
      judge: remote,
      prices: { "fake-model": { input: 0.5, output: 2 } },
    },
    domains: { count: 3 },
    tools: { perDomain: 4, sources: ["synthetic"] },
    agents: { count: 3, minTools: 2, maxTools: 4 },
    tasks: { count: 12 },
    simulation: { concurrency: 4, maxTurns: 3 },
    filter: { requirePass: false, minScore: 0 },
    ...extra,
  };
}

async function open(config: PipelineConfigInput): Promise<{ workspace: Workspace; directory: string }> {
  const directory = await mkdtemp(join(tmpdir(), "agentsynth-estimate-test-"));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  const workspace = await openWorkspace({ dataDir: join(directory, "data"), config, exportRoot: join(directory, "out"), env: {}, ids: createSequentialIds(), clock: createFixedClock() });
  cleanups.push(() => workspace.close());
  return { workspace, directory };
}

function tokens(usage: Record<string, { inputTokens: number; outputTokens: number } | undefined>): number {
  // Every role's, the offline generator's included (the estimate projects it too).
  return Object.values(usage).reduce((sum, entry) => sum + (entry?.inputTokens ?? 0) + (entry?.outputTokens ?? 0), 0);
}

describe("estimate", () => {
  it("projects the whole run's tokens within 20% from a pilot of 4 episodes, leaving the store untouched", async () => {
    const server = await fakeEndpoint();
    const { workspace: estimating } = await open(configFor(server));

    const estimate = await estimating.estimateRun({ pilotEpisodes: 4 });

    expect(estimate.pilot.counts.episodes).toBe(4);
    expect(estimate.full).toEqual({ domains: 3, agents: 3, tasks: 12, episodes: 12 });
    expect(estimate.scale.simulate).toBe(3);
    expect(Object.keys(estimate.projected.roles)).toEqual(expect.arrayContaining(["agent", "userSimulator", "judge"]));
    expect(estimate.projected.stages.simulate?.requests).toBeGreaterThan(0);
    expect(estimate.projected.total.cost).toBeGreaterThan(0);
    // The pilot ran in a temporary directory: the workspace's store has no run, no episode.
    expect(await estimating.store.runs.find(() => true)).toEqual([]);
    expect(await estimating.store.episodes.count()).toBe(0);
    const pilotRequests = server.requests.length;
    expect(pilotRequests).toBeGreaterThan(0);

    const { workspace: running } = await open(configFor(server));
    const summary = await running.runPipeline({});
    const real = tokens(summary.usage);
    const projected = estimate.projected.total.inputTokens + estimate.projected.total.outputTokens;
    expect(summary.counts.episodes).toBe(12);
    expect(Math.abs(projected - real) / real).toBeLessThanOrEqual(0.2);
    const requests = Object.values(summary.usage).reduce((sum, entry) => sum + (entry?.requests ?? 0), 0);
    expect(Math.abs(estimate.projected.total.requests - requests) / requests).toBeLessThanOrEqual(0.2);
  });

  it("stops a run at --max-cost with BUDGET_REACHED, keeping what it stored", async () => {
    const server = await fakeEndpoint();
    const { workspace, directory } = await open(configFor(server));
    await expect(workspace.runPipeline({ maxCost: 0.0005 })).rejects.toBeInstanceOf(BudgetReachedError);
    const [run] = await workspace.store.runs.find(() => true);
    expect(run?.status).toBe("failed");
    expect(run?.error).toContain("BUDGET_REACHED");
    expect(run?.config.models.budget?.maxCost).toBe(0.0005);
    expect(await workspace.store.tasks.count()).toBe(12);
    expect(await readdir(directory)).toContain("data");
  });
});

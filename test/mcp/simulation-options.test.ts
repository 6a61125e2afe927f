import { afterEach, describe, expect, it } from "vitest";
import type { EpisodeRecord } from "../../src/domain/episode.js";
import type { WorkspaceStats } from "../../src/domain/summaries.js";
import { openTestHost, seedTasks, structuredOf, type TestHost } from "../helpers/mcp-client.js";

let host: TestHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

describe("fault rate and episode limits through the MCP tools", () => {
  it("simulate injects faults at the rate asked for, stores the plan, and get_stats counts them", async () => {
    host = await openTestHost();
    await seedTasks(host.workspace, 6);
    const result = structuredOf<{ episodeIds: string[] }>(await host.call("simulate", { faultRate: 0.5, maxSteps: 300, episodesPerTask: 2 }));
    const episodes = await Promise.all(result.episodeIds.map((id) => host!.workspace.getEpisode(id)));
    const faults = episodes.flatMap((episode: EpisodeRecord) => episode.steps.flatMap((step) => (step.tool?.fault ? [step.tool.fault] : [])));
    expect(faults.length).toBeGreaterThan(0);
    for (const episode of episodes) {
      const rates = Object.values(episode.faultPlan?.rates ?? {});
      expect(rates.reduce((sum, rate) => sum + rate, 0)).toBeCloseTo(0.5);
      expect(episode.faultPlan?.injected.map((fault) => fault.kind)).toEqual(episode.steps.flatMap((step) => (step.tool?.fault ? [step.tool.fault] : [])));
    }
    const stats = structuredOf<WorkspaceStats>(await host.call("get_stats"));
    expect(Object.values(stats.simulation.faultsInjected).reduce((sum, count) => sum + count, 0)).toBe(faults.length);
    expect(Object.values(stats.simulation.endReasons).reduce((sum, count) => sum + count, 0)).toBe(episodes.length);
  });

  it("run_pipeline takes tool sources, a fault rate and a step limit, and refuses a bad rate", async () => {
    host = await openTestHost();
    const run = structuredOf<{ status: string; counts: { tools: number } }>(await host.call("run_pipeline", { toolSources: ["synthetic"], faultRate: 0.3, maxSteps: 60 }));
    expect(run.status).toBe("completed");
    const [stored] = await host.workspace.store.runs.all();
    expect(stored?.config.simulation.maxSteps).toBe(60);
    expect(stored?.config.tools.sources).toEqual(["synthetic"]);
    const bad = await host.client.callTool({ name: "run_pipeline", arguments: { faultRate: 1.5 } });
    expect(bad.isError).toBe(true);
  });
});

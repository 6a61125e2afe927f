import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import { EpisodeRecordSchema } from "../../src/domain/episode.js";
import type { LanguageModel } from "../../src/model/language-model.js";
import { createOfflineModel } from "../../src/model/providers/offline/offline-model.js";
import { sleep } from "../../src/support/concurrency.js";
import { openTestHost, seedTasks, structuredOf, type TestHost } from "../helpers/mcp-client.js";

/** The offline engine, slowed down so a cancellation lands mid-run. */
function slowModel(seed: number, delayMs: number): LanguageModel {
  const offline = createOfflineModel({ seed });
  return {
    ref: offline.ref,
    async generate(request) {
      await sleep(delayMs, request.signal);
      return offline.generate(request);
    },
  };
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(20);
  }
}

let host: TestHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

describe("progress", () => {
  it("simulate reports one notification per episode, increasing to the total", async () => {
    host = await openTestHost();
    await seedTasks(host.workspace, 2);
    const progress: Progress[] = [];
    const result = structuredOf<{ episodeIds: string[] }>(await host.call("simulate", { episodesPerTask: 3 }, { onprogress: (event) => progress.push(event) }));
    expect(result.episodeIds).toHaveLength(6);
    expect(progress.map((event) => event.progress)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(progress.every((event) => event.total === 6)).toBe(true);
  });

  it("run_pipeline reports progress through every stage, never going back", async () => {
    host = await openTestHost();
    const progress: Progress[] = [];
    const result = structuredOf<{ status: string; counts: { episodes: number } }>(await host.call("run_pipeline", { seed: 3 }, { onprogress: (event) => progress.push(event) }));
    expect(result.status).toBe("completed");
    expect(result.counts.episodes).toBe(3);
    const values = progress.map((event) => event.progress);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(values).size).toBe(values.length);
    expect(progress.every((event) => event.total === 9)).toBe(true);
    expect(values.at(-1)).toBe(9);
    const stages = new Set(progress.map((event) => event.message?.split(" ")[0]));
    expect([...stages]).toEqual(expect.arrayContaining(["domains", "tools", "agents", "tasks", "simulate", "judge", "filter", "export"]));
  });
});

describe("cancellation", () => {
  it("a cancelled simulate stops promptly, keeps only whole episodes and marks its run cancelled", async () => {
    host = await openTestHost({ models: { agent: slowModel(11, 25), userSimulator: slowModel(11, 25) } });
    await seedTasks(host.workspace, 3);
    const controller = new AbortController();
    let notifications = 0;
    const started = Date.now();
    const call = host.call("simulate", { episodesPerTask: 10, concurrency: 2 }, {
      signal: controller.signal,
      onprogress: () => {
        if (++notifications === 2) controller.abort();
      },
    });
    await expect(call).rejects.toThrow(/abort/i);

    const workspace = host.workspace;
    const runs = await waitFor(() => workspace.store.runs.all(), (all) => all.every((run) => run.status !== "running"));
    const run = runs.find((candidate) => candidate.stage === "simulate");
    expect(run?.status).toBe("cancelled");
    expect(Date.now() - started).toBeLessThan(10_000);

    const episodes = await workspace.store.episodes.find((episode) => episode.runId === run?.id);
    expect(episodes.length).toBeGreaterThanOrEqual(2);
    expect(episodes.length).toBeLessThan(30);
    expect(run?.counts.episodes).toBe(episodes.length);
    for (const episode of episodes) {
      expect(() => EpisodeRecordSchema.parse(episode)).not.toThrow();
      expect(episode.steps).toHaveLength(episode.messages.length);
      expect(episode.status).not.toBe("cancelled");
    }
    // The server keeps serving.
    const stats = structuredOf<{ runs: { cancelled: number }; counts: { episodes: number } }>(await host.call("get_stats"));
    expect(stats.runs.cancelled).toBe(1);
    expect(stats.counts.episodes).toBe(episodes.length);
  });
});

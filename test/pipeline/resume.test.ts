import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { PipelineConfigInput } from "../../src/domain/config.js";
import { BudgetReachedError } from "../../src/errors/budget-reached-error.js";
import { InputError } from "../../src/errors/input-error.js";
import { openWorkspace, type Workspace } from "../../src/pipeline/workspace.js";
import { createFixedClock } from "../../src/support/clock.js";
import { randomIds } from "../../src/support/ids.js";
import { remotePipelineConfig, startPipelineEndpoint } from "../helpers/remote-pipeline-config.js";
import type { FakeOpenAIServer } from "../helpers/fake-openai-server.js";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const fakeEndpoint = (): Promise<FakeOpenAIServer> => startPipelineEndpoint(cleanups);

function configFor(server: FakeOpenAIServer, extra: Partial<PipelineConfigInput> = {}): PipelineConfigInput {
  return remotePipelineConfig(server.url, { name: "resume-test", seed: 9, domains: { count: 2 }, agents: { count: 2, minTools: 2, maxTools: 4 }, tasks: { count: 10 }, simulation: { concurrency: 2, maxTurns: 3 }, ...extra });
}

async function tempDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "agentsynth-resume-test-"));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

/** A workspace on `directory`'s data directory (opened again and again, as separate commands would: random ids, as theirs). */
async function open(directory: string, config: PipelineConfigInput): Promise<Workspace> {
  const workspace = await openWorkspace({ dataDir: join(directory, "data"), config, exportRoot: join(directory, "out"), env: {}, ids: randomIds, clock: createFixedClock() });
  cleanups.push(() => workspace.close());
  return workspace;
}

describe("resuming a run", () => {
  it("a cost cap stops the run; running it again (with the same cap) goes on from there until it is finished", async () => {
    const server = await fakeEndpoint();
    const directory = await tempDirectory();
    const config = configFor(server);
    let stops = 0;
    let summary;
    for (let attempt = 1; attempt <= 10 && !summary; attempt++) {
      const workspace = await open(directory, config);
      try {
        summary = await workspace.runPipeline({ maxCost: 0.002 });
      } catch (error) {
        expect(error).toBeInstanceOf(BudgetReachedError);
        stops++;
      }
      await workspace.close();
    }
    expect(stops).toBeGreaterThan(0);
    expect(summary?.status).toBe("completed");
    expect(summary?.attempts).toBe(stops + 1);
    const workspace = await open(directory, config);
    const runs = await workspace.store.runs.all();
    expect(runs.map((run) => run.status)).toEqual(["completed"]);
    const episodes = await workspace.store.episodes.find(() => true);
    expect(episodes).toHaveLength(10);
    expect(new Set(episodes.map((episode) => `${episode.taskId}:${episode.index}`)).size).toBe(10);
    expect(await workspace.store.judgments.count()).toBe(10);
    expect(await workspace.store.tasks.count()).toBe(10);
    expect(await workspace.store.agents.count()).toBe(2);
  }, 60_000);

  it("--fresh starts a new run; --resume takes up a named run and refuses one of another config", async () => {
    const server = await fakeEndpoint();
    const directory = await tempDirectory();
    const workspace = await open(directory, configFor(server));
    const first = await workspace.runPipeline({});
    const afterFirst = server.requestCount();
    // The fresh run is a new run with records of its own; its requests are the first run's, answered from the cache.
    const fresh = await workspace.runPipeline({ fresh: true });
    expect(fresh.runId).not.toBe(first.runId);
    expect(server.requestCount()).toBe(afterFirst);
    expect(fresh.usage.agent?.requests ?? 0).toBe(0);
    expect(fresh.usage.agent?.cached).toBe(first.usage.agent?.requests);
    expect(await workspace.store.tasks.count()).toBe(20);
    const named = await workspace.runPipeline({ resume: first.runId });
    expect(named.runId).toBe(first.runId);
    expect(named.attempts).toBe(2);
    expect(named.datasetId).toBe(first.datasetId);
    expect(await workspace.store.tasks.count()).toBe(20);
    await expect(workspace.runPipeline({ resume: first.runId, seed: 10 })).rejects.toThrow(/made with another config/);
    await expect(workspace.runPipeline({ resume: "run_missing" })).rejects.toBeInstanceOf(InputError);
    await expect(workspace.runPipeline({ resume: first.runId, fresh: true })).rejects.toThrow(/not both/);
    expect(server.requestCount()).toBe(afterFirst);
  }, 60_000);

  it("marks a run left running by a process that is gone interrupted when the data directory is opened", async () => {
    const server = await fakeEndpoint();
    const directory = await tempDirectory();
    const config = configFor(server, { tasks: { count: 2 } });
    const workspace = await open(directory, config);
    const summary = await workspace.runPipeline({});
    const record = await workspace.store.runs.require(summary.runId);
    // As a killed process leaves it: running, owned by a process that no longer exists.
    await workspace.store.runs.put({ ...record, status: "running", owner: { pid: 2 ** 22 + 12_345, host: (await import("node:os")).hostname() }, finishedAt: undefined });
    const live = { ...record, id: "run_live", status: "running" as const, owner: { pid: process.pid, host: (await import("node:os")).hostname() } };
    await workspace.store.runs.put(live);
    await workspace.close();

    const reopened = await open(directory, config);
    expect((await reopened.store.runs.require(summary.runId)).status).toBe("interrupted");
    expect((await reopened.store.runs.require("run_live")).status).toBe("running");
  }, 60_000);
});

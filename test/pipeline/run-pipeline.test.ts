import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ModelRequestError } from "../../src/errors/model-request-error.js";
import { CancelledError } from "../../src/errors/cancelled-error.js";
import { parseConfig } from "../../src/pipeline/load-config.js";
import { runPipeline } from "../../src/pipeline/run-pipeline.js";
import { openStore } from "../../src/store/open-store.js";
import { createFixedClock } from "../../src/support/clock.js";
import { createSequentialIds } from "../../src/support/ids.js";
import { startFakeOpenAIServer } from "../helpers/fake-openai-server.js";

const small = { domains: { count: 3 }, tools: { perDomain: 4 }, agents: { count: 3 }, tasks: { count: 4 }, simulation: { concurrency: 2 } };
let directory: string;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function tempDir(): Promise<string> {
  directory = await mkdtemp(join(tmpdir(), "agentsynth-pipeline-"));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

describe("runPipeline", () => {
  it("runs every stage offline and stores each record", async () => {
    const dataDir = await tempDir();
    const store = await openStore({ dataDir: join(dataDir, "store") });
    const stages: string[] = [];
    const result = await runPipeline({
      config: parseConfig(small),
      configDirectory: dataDir,
      store,
      outDir: join(dataDir, "out"),
      ids: createSequentialIds(),
      clock: createFixedClock(),
      onProgress: ({ stage }) => void (stages.at(-1) !== stage && stages.push(stage)),
    });
    expect(result.run.status).toBe("completed");
    expect(stages).toEqual(["domains", "tools", "agents", "tasks", "simulate", "judge", "filter", "export"]);
    expect(await store.domains.count()).toBe(3);
    expect(await store.tools.count()).toBe(12);
    expect(await store.agents.count()).toBe(3);
    expect(await store.tasks.count()).toBe(4);
    expect(await store.episodes.count()).toBe(4);
    expect(await store.judgments.count()).toBe(4);
    expect((await store.runs.require(result.run.id)).counts).toMatchObject({ episodes: 4, judged: 4, exported: result.exported.records });
    const dataset = await store.datasets.require(result.dataset.id);
    expect(dataset.episodeIds.length + dataset.rejected.length).toBe(4);
    expect(dataset.exports[0]?.records).toBe(result.exported.records);
    await store.close();
  });

  it.each([
    ["answers 500s", "500"],
    ["is unreachable", "unreachable"],
  ])("marks the run failed when the endpoint %s, and keeps what was stored", async (_label, mode) => {
    const dataDir = await tempDir();
    const server = await startFakeOpenAIServer({ handler: () => ({ kind: "error", status: 500, body: { error: { message: "upstream exploded" } } }) });
    cleanups.push(() => server.close());
    const url = mode === "500" ? server.url : "http://127.0.0.1:9/v1";
    const config = parseConfig({ ...small, models: { default: { provider: "offline", model: "offline" }, agent: { provider: "openai", model: "m", baseUrl: url, maxRetries: 1, timeoutMs: 2000 } } });
    const store = await openStore({ dataDir: join(dataDir, "store") });
    const error = await runPipeline({ config, configDirectory: dataDir, store, outDir: join(dataDir, "out"), env: { OPENAI_API_KEY: "test-key" } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelRequestError);
    if (mode === "500") expect(server.requests.length).toBeGreaterThanOrEqual(2); // retried
    await store.close();

    const reopened = await openStore({ dataDir: join(dataDir, "store") });
    const [run] = await reopened.runs.all();
    expect(run?.status).toBe("failed");
    expect(run?.stage).toBe("simulate");
    expect(run?.error).toContain("MODEL_REQUEST_FAILED");
    expect(run?.error).not.toContain("test-key");
    expect(await reopened.tasks.count()).toBe(4);
    expect(await reopened.agents.count()).toBe(3);
    await reopened.close();
  });

  it("is cancelled promptly and marks the run cancelled", async () => {
    const dataDir = await tempDir();
    const store = await openStore({ dataDir: join(dataDir, "store") });
    const controller = new AbortController();
    const promise = runPipeline({
      config: parseConfig(small),
      configDirectory: dataDir,
      store,
      outDir: join(dataDir, "out"),
      signal: controller.signal,
      onProgress: ({ stage }) => stage === "simulate" && controller.abort(),
    });
    await expect(promise).rejects.toBeInstanceOf(CancelledError);
    const [run] = await store.runs.all();
    expect(run?.status).toBe("cancelled");
    await store.close();
  });
});

import { mkdtemp, readFile, rm } from "node:fs/promises";
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
import { checkShareGptRecord } from "../helpers/check-sharegpt-record.js";
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

describe("runPipeline: judging, filtering and exporting as configured", () => {
  it("removes near-duplicates when tasks are simulated several times, and stores pass^k per task", async () => {
    const dataDir = await tempDir();
    const store = await openStore({ dataDir: join(dataDir, "store") });
    const config = parseConfig({ ...small, tasks: { count: 6 }, simulation: { concurrency: 4, episodesPerTask: 3 }, filter: { nearDuplicateThreshold: 0.8 } });
    const result = await runPipeline({ config, configDirectory: dataDir, store, outDir: join(dataDir, "out"), ids: createSequentialIds(), clock: createFixedClock() });
    const dataset = await store.datasets.require(result.dataset.id);
    expect(dataset.rejectionCounts.near_duplicate).toBeGreaterThan(0);
    for (const rejection of dataset.rejected) expect(rejection.reasons.length).toBeGreaterThan(0);
    const nearDuplicates = dataset.rejected.filter((rejection) => rejection.reasons.includes("near_duplicate"));
    const episodes = new Map((await store.episodes.find(() => true)).map((episode) => [episode.id, episode]));
    for (const { episodeId } of nearDuplicates) {
      // its task has a kept episode it repeats
      const taskId = episodes.get(episodeId)?.taskId;
      expect(dataset.episodeIds.some((id) => episodes.get(id)?.taskId === taskId)).toBe(true);
    }
    expect(Object.keys(dataset.taskStats ?? {})).toHaveLength(6);
    for (const stats of Object.values(dataset.taskStats ?? {})) {
      expect(stats.episodes).toBe(3);
      expect(Object.keys(stats.passHatK)).toEqual(["1", "2", "3"]);
    }
    expect(Object.keys(dataset.passHatK ?? {})).toEqual(["1", "2", "3"]);
    const run = await store.runs.require(result.run.id);
    expect(run.taskStats).toEqual(dataset.taskStats);
    const card = await readFile(result.exported.cardPath, "utf8");
    expect(card).toContain("## Reliability (pass^k)");
    expect(card).toMatch(/\| `near_duplicate` \| [1-9]/);
    await store.close();
  });

  it("judges with the configured committee and exports the configured format and split", async () => {
    const dataDir = await tempDir();
    const store = await openStore({ dataDir: join(dataDir, "store") });
    const config = parseConfig({
      ...small,
      judge: { committee: { temperatures: [0, 0.3, 0.7] } },
      export: { format: "sharegpt", kimiToolCallIds: true, includeSystemPrompt: false, split: { validationRatio: 0.25, seed: 3 } },
    });
    const result = await runPipeline({ config, configDirectory: dataDir, store, outDir: join(dataDir, "out"), ids: createSequentialIds(), clock: createFixedClock() });
    const judgments = await store.judgments.find(() => true);
    for (const judgment of judgments) {
      expect(judgment.committee?.members.map((member) => member.temperature)).toEqual([0, 0.3, 0.7]);
      expect(judgment.committee?.members.every((member) => member.model.provider === "offline")).toBe(true);
      expect(judgment.committee?.agreement.overall).toBeGreaterThanOrEqual(0);
    }
    const [info] = (await store.datasets.require(result.dataset.id)).exports;
    expect(info).toMatchObject({ format: "sharegpt", options: { includeSystemPrompt: false, includeReasoning: false, kimiToolCallIds: true, callIdStyle: "kimi" }, split: { validationRatio: 0.25, seed: 3 } });
    expect(info?.files?.map((file) => file.split)).toEqual(["train", "validation"]);
    expect((info?.files ?? []).reduce((sum, file) => sum + file.records, 0)).toBe(result.dataset.episodeIds.length);
    for (const file of info?.files ?? []) {
      const text = await readFile(file.path, "utf8");
      for (const line of text.split("\n").filter(Boolean)) expect(checkShareGptRecord(JSON.parse(line))).toEqual([]);
    }
    const card = await readFile(result.exported.cardPath, "utf8");
    expect(card).toContain("Judge committee of 3");
    expect(card).toContain("validation split seed 3");
    await store.close();
  });
});

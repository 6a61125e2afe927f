import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CancelledError } from "../../src/errors/cancelled-error.js";
import { MissingApiKeyError } from "../../src/errors/missing-api-key-error.js";
import type { LanguageModel } from "../../src/model/language-model.js";
import { createOfflineModel } from "../../src/model/providers/offline/offline-model.js";
import { openWorkspace, type Workspace } from "../../src/pipeline/workspace.js";
import { openStore } from "../../src/store/open-store.js";
import { sleep } from "../../src/support/concurrency.js";
import { createFixedClock } from "../../src/support/clock.js";
import { createSequentialIds } from "../../src/support/ids.js";
import { SMALL_CONFIG, seedTasks } from "../helpers/mcp-client.js";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function open(models: Record<string, LanguageModel> = {}): Promise<{ workspace: Workspace; directory: string }> {
  const directory = await mkdtemp(join(tmpdir(), "agentsynth-workspace-"));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  const workspace = await openWorkspace({ dataDir: join(directory, "data"), config: SMALL_CONFIG, exportRoot: join(directory, "out"), env: {}, ids: createSequentialIds(), clock: createFixedClock(), models });
  cleanups.push(() => workspace.close());
  return { workspace, directory };
}

describe("openWorkspace", () => {
  it("fails before opening the store when a role lacks its API key", async () => {
    const directory = await mkdtemp(join(tmpdir(), "agentsynth-workspace-"));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    const opening = openWorkspace({ dataDir: join(directory, "data"), config: { models: { default: { provider: "openai", model: "gpt-4.1-mini" } } }, env: {} });
    await expect(opening).rejects.toBeInstanceOf(MissingApiKeyError);
    expect(existsSync(join(directory, "data"))).toBe(false);
  });

  it("shares the data directory: a second store on it (another process, another host) sees what the workspace writes", async () => {
    const { workspace } = await open();
    await workspace.evolveDomains({ count: 2 });
    const other = await openStore({ dataDir: workspace.dataDir });
    expect(await other.domains.count()).toBe(2);
    await other.close();
  });
});

describe("workspace operations", () => {
  it("each generator call adds new records; every model call happens inside a recorded run", async () => {
    const { workspace } = await open();
    const first = await workspace.evolveDomains({ count: 2 });
    const second = await workspace.evolveDomains({ count: 2 });
    const names = [...first.items, ...second.items].map((domain) => domain.name);
    expect(new Set(names).size).toBe(4);
    const runs = await workspace.store.runs.all();
    expect(runs.map((run) => [run.stage, run.status, run.counts.domains])).toEqual([
      ["domains", "completed", 2],
      ["domains", "completed", 2],
    ]);
  });

  it("judges only unjudged episodes by default, and filters every judged episode into a dataset", async () => {
    const { workspace } = await open();
    await seedTasks(workspace, 2);
    const first = await workspace.simulate({});
    const judged = await workspace.judge({});
    expect(judged.summary.judged).toBe(2);
    await expect(workspace.judge({})).rejects.toThrow(/every episode is judged already/);
    await workspace.simulate({});
    expect((await workspace.judge({})).summary.judged).toBe(2);
    expect((await workspace.judge({ runId: first.runId })).summary.judged).toBe(2);
    const dataset = await workspace.filter({ minScore: 0, requirePass: false, dedupe: false });
    expect(dataset.kept + dataset.rejected).toBe(4);
    const stats = await workspace.getStats();
    expect(stats.counts).toMatchObject({ episodes: 4, judgments: 6, datasets: 1 });
    expect(stats.latestDataset?.id).toBe(dataset.id);
  });

  it("generate_tasks explains that an authored agent without a domain needs one", async () => {
    const { workspace } = await open();
    // Tools of two domains: the agent has no domain they all share.
    await workspace.importTools({ specs: [{ name: "lookup", parameters: { type: "object", properties: {} } }], domain: "records" });
    await workspace.importTools({ specs: [{ name: "notify", parameters: { type: "object", properties: {} } }], domain: "messages" });
    const agent = await workspace.createAgent({ name: "Bare", systemPrompt: "You look things up.", tools: ["lookup", "notify"] });
    expect(agent.domainId).toBeUndefined();
    await expect(workspace.generateTasks({ count: 1, agentIds: [agent.id] })).rejects.toThrow(/have none: agt_1; give them a domainId, or author their tasks with create_task/);
  });

  it("close() stops an operation in flight and marks its run cancelled", async () => {
    const offline = createOfflineModel({ seed: 1 });
    const slow: LanguageModel = { ref: offline.ref, generate: async (request) => (await sleep(30, request.signal), offline.generate(request)) };
    const { workspace, directory } = await open({ agent: slow });
    await seedTasks(workspace, 2);
    const running = workspace.simulate({ episodesPerTask: 5, concurrency: 1 });
    await sleep(100);
    await workspace.close();
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    const store = await openStore({ dataDir: join(directory, "data") });
    const run = (await store.runs.all()).find((candidate) => candidate.stage === "simulate");
    expect(run?.status).toBe("cancelled");
    await store.close();
  });
});

describe("exportDataset", () => {
  async function openWithExport(): Promise<{ workspace: Workspace; directory: string; datasetId: string }> {
    const directory = await mkdtemp(join(tmpdir(), "agentsynth-workspace-"));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    const config = { ...SMALL_CONFIG, export: { format: "sharegpt" as const, includeSystemPrompt: false, split: { validationRatio: 0.5, seed: 2 } } };
    const workspace = await openWorkspace({ dataDir: join(directory, "data"), config, exportRoot: join(directory, "out"), env: {}, ids: createSequentialIds(), clock: createFixedClock() });
    cleanups.push(() => workspace.close());
    await seedTasks(workspace, 2);
    await workspace.simulate({});
    await workspace.judge({});
    const dataset = await workspace.filter({ minScore: 0, requirePass: false, dedupe: false, name: "two/episodes" });
    return { workspace, directory, datasetId: dataset.id };
  }

  it("takes the config's export section as defaults, the input over them, and writes to the dataset's own folder", async () => {
    const { workspace, directory, datasetId } = await openWithExport();
    const configured = await workspace.exportDataset({ datasetId });
    expect(configured).toMatchObject({ format: "sharegpt", directory: join(directory, "out", "two-episodes"), records: 2 });
    expect(configured.files.map((file) => [file.split, file.records])).toEqual([["train", 1], ["validation", 1]]);
    const given = await workspace.exportDataset({ datasetId, format: "openai", out: "given", split: { validationRatio: 0.5, seed: 9 } });
    expect(given).toMatchObject({ format: "openai", directory: join(directory, "out", "given", "two-episodes") });
    const [stored] = await workspace.store.datasets.all();
    expect(stored?.exports.map((entry) => [entry.format, entry.options?.includeSystemPrompt, entry.split?.seed])).toEqual([["sharegpt", false, 2], ["openai", false, 9]]);
  });

  it("checks everything before a file is written: the template folder, path and out together", async () => {
    const { workspace, directory, datasetId } = await openWithExport();
    await expect(workspace.exportDataset({ datasetId, checkTemplates: join(directory, "no-templates") })).rejects.toThrow(/--check-templates: cannot read the folder/);
    await expect(workspace.exportDataset({ datasetId, path: "a/train.jsonl", out: "b" })).rejects.toThrow(/give either path .* or out/);
    expect(existsSync(join(directory, "out"))).toBe(false);
    expect((await workspace.store.datasets.require(datasetId)).exports).toEqual([]);
  });
});

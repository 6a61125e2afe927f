import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EpisodeRecord } from "../../src/domain/episode.js";
import { InputError } from "../../src/errors/index.js";
import { DATASET_TARGETS, findContradictions, hasChainedCall, type ExportedMessage } from "../../src/export/dataset-figures.js";
import { measureStoredDataset, measureSyntheticSteps, measureVerification, MIN_APPLICABLE_SHARE, type DatasetMeasurement } from "../../src/export/measure-stored-dataset.js";
import { parseConfig } from "../../src/pipeline/load-config.js";
import { runPipeline } from "../../src/pipeline/run-pipeline.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/types.js";
import { createFixedClock } from "../../src/support/clock.js";
import { createSequentialIds } from "../../src/support/ids.js";

/*
 * Issue 11, section 4 and "done when": a small offline run of the default config (its shape and fault mixes,
 * fewer domains, agents and tasks) reaches the figures, counted over its export and store. Deterministic per
 * seed, so these are not timing thresholds.
 */

let directory: string;
let store: Store;
let measurement: DatasetMeasurement;
let episodes: EpisodeRecord[];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "agentsynth-measure-"));
  const fixture = JSON.parse(await readFile(new URL("../../fixtures/pipeline.default.json", import.meta.url), "utf8")) as Record<string, unknown> & { agents: object; tasks: object };
  delete fixture.$schema;
  const config = parseConfig({ ...fixture, domains: { count: 8 }, agents: { ...fixture.agents, count: 5 }, tasks: { ...fixture.tasks, count: 30 } });
  store = await openStore({ dataDir: join(directory, "store") });
  await runPipeline({ config, configDirectory: directory, store, outDir: join(directory, "out"), ids: createSequentialIds(), clock: createFixedClock() });
  measurement = await measureStoredDataset(store);
  episodes = await store.episodes.find(() => true);
}, 120_000);

afterAll(async () => {
  await store?.close();
  await rm(directory, { recursive: true, force: true });
});

describe("the figures of a small offline run of the default config", () => {
  it("reaches the section-4 figures over the export", () => {
    const { records } = measurement;
    expect(records.records).toBeGreaterThanOrEqual(20);
    expect(records.toolCallsPerRecord).toBeGreaterThanOrEqual(DATASET_TARGETS.toolCallsPerRecord);
    expect(records.userTurnsPerRecord).toBeGreaterThanOrEqual(DATASET_TARGETS.userTurnsPerRecord);
    expect(records.chained).toBeGreaterThanOrEqual(DATASET_TARGETS.chained);
    expect(records.parallel).toBeGreaterThanOrEqual(DATASET_TARGETS.parallel);
    expect(records.noTool).toBeGreaterThanOrEqual(DATASET_TARGETS.noTool);
    expect(records.contradictions).toEqual([]);
  });

  it("stores every task with a blueprint and a shape, at least 7 shapes", () => {
    const { tasks } = measurement;
    expect(tasks.tasks).toBe(30);
    expect(tasks.withBlueprint).toBe(tasks.tasks);
    expect(tasks.withShape).toBe(tasks.tasks);
    expect(Object.keys(tasks.shapes).length).toBeGreaterThanOrEqual(DATASET_TARGETS.shapes);
  });

  it("verifies every kept episode against its blueprint, and answers synthetic tools from the environment only", () => {
    const { verification, syntheticTools } = measurement;
    expect(verification.unverified).toEqual([]);
    expect(verification.applicable / verification.episodes).toBeGreaterThanOrEqual(MIN_APPLICABLE_SHARE);
    expect(verification.stateMatches).toBe(verification.applicable);
    expect(syntheticTools.steps).toBeGreaterThan(0);
    expect(syntheticTools.otherwise).toEqual([]);
    expect(syntheticTools.environment).toBe(syntheticTools.steps);
    expect(syntheticTools.toolSimulatorRequests).toBe(0);
    expect(measurement.misses).toEqual([]);
  });

  it("names a kept episode whose state did not match, and a synthetic call a model answered", () => {
    const [first, second] = episodes as [EpisodeRecord, EpisodeRecord];
    const wrong: EpisodeRecord = { ...first, verification: { applicable: true, stateMatches: false, missingFacts: [], diff: [] } };
    const unchecked: EpisodeRecord = { ...second, verification: undefined };
    expect(measureVerification([wrong, unchecked, second]).unverified).toEqual([wrong.id, unchecked.id]);
    const withTool = episodes.find((episode) => episode.steps.some((step) => step.tool?.toolId)) as EpisodeRecord;
    const toolStep = withTool.steps.find((step) => step.tool?.toolId);
    const simulated: EpisodeRecord = {
      ...withTool,
      steps: withTool.steps.map((step) => (step === toolStep && step.tool ? { ...step, model: { provider: "offline", model: "offline" }, tool: { ...step.tool, execution: "simulated" } } : step)),
    };
    const figures = measureSyntheticSteps([simulated], new Set([toolStep?.tool?.toolId as string]));
    expect(figures.otherwise).toEqual([expect.stringContaining(`${toolStep?.tool?.toolName} (simulated, answered by offline/offline)`)]);
  });
});

describe("measureStoredDataset on bad input", () => {
  it("says the store holds no dataset, and that an export in another format cannot be counted", async () => {
    const empty = await openStore({ dataDir: join(directory, "empty") });
    await expect(measureStoredDataset(empty)).rejects.toThrow(InputError);
    await expect(measureStoredDataset(empty)).rejects.toThrow(/holds no dataset/);
    await empty.close();
    const [dataset] = await store.datasets.all();
    const latest = dataset?.exports.at(-1);
    if (!dataset || !latest) throw new Error("the run exported no dataset");
    await store.datasets.put({ ...dataset, exports: [...dataset.exports, { ...latest, format: "sharegpt" }] });
    await expect(measureStoredDataset(store, { datasetId: dataset.id })).rejects.toThrow(/exported as sharegpt/);
    expect((await measureStoredDataset(store, { datasetId: dataset.id, exportFile: latest.path })).records).toEqual(measurement.records);
    await store.datasets.put(dataset);
  });
});

describe("contradictions between a final answer and its tool results", () => {
  const call = (id: string, name: string, args: object): ExportedMessage => ({ role: "assistant", content: null, tool_calls: [{ id, function: { name, arguments: JSON.stringify(args) } }] });
  const result = (id: string, content: object): ExportedMessage => ({ role: "tool", tool_call_id: id, content: JSON.stringify(content) });
  const user: ExportedMessage = { role: "user", content: "Please cancel order ORD-1234." };

  it("flags attempts that did not happen, success after an error, something found after nothing and nothing after something", () => {
    const attempts = [user, call("c1", "cancel_order", { order_id: "ORD-1234" }), result("c1", { error: "timeout" }), { role: "assistant", content: "I tried twice but it failed." }];
    expect(findContradictions(attempts).map((found) => found.kind)).toEqual(["attempts"]);
    const success = [user, call("c1", "cancel_order", { order_id: "ORD-1234" }), result("c1", { error: "precondition_failed", message: "shipped" }), { role: "assistant", content: "All set: your order has been cancelled." }];
    expect(findContradictions(success).map((found) => found.kind)).toEqual(["success_after_error"]);
    const nothing = [user, call("c1", "search_orders", { email: "a@b.co" }), result("c1", { orders: [] }), { role: "assistant", content: "Here's what I found for you." }];
    expect(findContradictions(nothing).map((found) => found.kind)).toEqual(["found_after_nothing"]);
    const listing = [user, call("c1", "list_directory", { path: "/data/notes" }), { role: "tool", tool_call_id: "c1", content: "[FILE] meeting.md" }, { role: "assistant", content: "I couldn't find any directories for /data/notes." }];
    expect(findContradictions(listing).map((found) => found.kind)).toEqual(["nothing_after_found"]);
  });

  it("accepts an answer that states only what the results say", () => {
    const honest = [user, call("c1", "cancel_order", { order_id: "ORD-1234" }), result("c1", { id: "ORD-1234", status: "cancelled" }), { role: "assistant", content: "ORD-1234 is now cancelled." }];
    expect(findContradictions(honest)).toEqual([]);
    const wrongState = [user, call("c1", "get_order", { order_id: "ORD-1234" }), result("c1", { id: "ORD-1234", status: "pending" }), { role: "assistant", content: "ORD-1234 is now cancelled." }];
    expect(findContradictions(wrongState).map((found) => found.kind)).toEqual(["state"]);
  });

  it("counts a call chained when its id came from an earlier result, not from the user", () => {
    const search = [{ role: "user", content: "My email is a@b.co; cancel my order." }, call("c1", "search_orders", { email: "a@b.co" }), result("c1", { orders: [{ id: "ORD-5678" }] })];
    expect(hasChainedCall([...search, call("c2", "cancel_order", { order_id: "ORD-5678" }), result("c2", { id: "ORD-5678", status: "cancelled" })])).toBe(true);
    expect(hasChainedCall([user, call("c1", "get_order", { order_id: "ORD-1234" }), result("c1", { id: "ORD-1234" }), call("c2", "cancel_order", { order_id: "ORD-1234" })])).toBe(false);
  });
});

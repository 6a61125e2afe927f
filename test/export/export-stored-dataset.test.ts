import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { InputError } from "../../src/errors/input-error.js";
import { exportStoredDataset } from "../../src/export/export-stored-dataset.js";
import { parseConfig } from "../../src/pipeline/load-config.js";
import { runPipeline } from "../../src/pipeline/run-pipeline.js";
import { openStore } from "../../src/store/open-store.js";
import { createFixedClock } from "../../src/support/clock.js";
import { createSequentialIds } from "../../src/support/ids.js";
import { checkHfRecord } from "../helpers/check-hf-record.js";

let directory: string | undefined;
afterEach(async () => directory && rm(directory, { recursive: true, force: true }));

const config = parseConfig({ domains: { count: 3 }, tools: { perDomain: 4 }, agents: { count: 3 }, tasks: { count: 5 }, simulation: { concurrency: 3 } });

describe("exportStoredDataset", () => {
  it("exports the newest dataset from the store exactly as the run exported it, and records the export", async () => {
    directory = await mkdtemp(join(tmpdir(), "agentsynth-stored-"));
    const store = await openStore({ dataDir: join(directory, "store"), shardSize: 2 });
    const clock = createFixedClock();
    const result = await runPipeline({ config, configDirectory: directory, store, outDir: join(directory, "run-out"), ids: createSequentialIds(), clock });
    const { dataset, written } = await exportStoredDataset(store, { outDir: join(directory, "again"), format: { includeSystemPrompt: true }, clock });
    expect(dataset.id).toBe(result.dataset.id);
    for (const file of ["train.jsonl", "README.md"]) {
      expect(await readFile(join(directory, "again", file), "utf8")).toBe(await readFile(join(result.exported.directory, file), "utf8"));
    }
    expect(written.records).toBe(result.exported.records);
    const stored = await store.datasets.require(dataset.id);
    expect(stored.exports.map((entry) => entry.path)).toEqual([result.exported.path, written.path]);
    await store.close();
  });

  it("exports a named dataset in another format, split", async () => {
    directory = await mkdtemp(join(tmpdir(), "agentsynth-stored-"));
    const store = await openStore({ dataDir: join(directory, "store") });
    const clock = createFixedClock();
    const result = await runPipeline({ config, configDirectory: directory, store, outDir: join(directory, "run-out"), ids: createSequentialIds(), clock });
    const { written } = await exportStoredDataset(store, { datasetId: result.dataset.id, outDir: join(directory, "hf"), format: { name: "hf", includeSystemPrompt: false, kimiToolCallIds: true }, split: { validationRatio: 0.4, seed: 1 }, clock });
    expect(written.files.map((file) => file.split)).toEqual(["train", "validation"]);
    expect(written.files[1]?.records).toBe(Math.round(result.dataset.episodeIds.length * 0.4));
    for (const file of written.files) {
      for (const line of (await readFile(file.path, "utf8")).split("\n").filter(Boolean)) {
        const record = JSON.parse(line) as { messages: Array<{ role: string; tool_calls?: Array<{ id: string }> }> };
        expect(checkHfRecord(record)).toEqual([]);
        expect(record.messages[0]?.role).toBe("user");
        for (const message of record.messages) for (const call of message.tool_calls ?? []) expect(call.id).toMatch(/^functions\.[\w-]+:\d+$/);
      }
    }
    await store.close();
  });

  it("says so when the store holds no dataset", async () => {
    directory = await mkdtemp(join(tmpdir(), "agentsynth-stored-"));
    const store = await openStore({ dataDir: join(directory, "store") });
    await expect(exportStoredDataset(store, { outDir: join(directory, "out"), format: { includeSystemPrompt: true }, clock: createFixedClock() })).rejects.toBeInstanceOf(InputError);
    await store.close();
  });
});

import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StoreCorruptError } from "../../src/errors/store-corrupt-error.js";
import { openStore, STORE_FORMAT, type Store } from "../../src/store/index.js";
import { deadPid, makeEpisode, makeTask, makeTempDir, removeDir, writeShardByHand } from "./fixtures.js";

let dataDir: string;
let store: Store;

beforeEach(async () => {
  dataDir = await makeTempDir();
});

afterEach(async () => {
  await store.close();
  await removeDir(dataDir);
});

const header = { format: STORE_FORMAT, collection: "tasks", schemaVersion: 1 };

/** Each bad tasks.json, and what the error must say about it. */
const BAD_CATALOG_FILES: Array<{ name: string; content: string; reason: RegExp }> = [
  { name: "not JSON", content: "{ this is not json", reason: /is not valid JSON/ },
  { name: "empty", content: "", reason: /is not valid JSON/ },
  { name: "JSON null", content: "null", reason: /is not an agentsynth store file/ },
  { name: "foreign JSON", content: JSON.stringify({ name: "my-package", version: "1.0.0" }), reason: /is not an agentsynth store file/ },
  { name: "a bare lowdb array", content: JSON.stringify([makeTask("task-1")]), reason: /is not an agentsynth store file/ },
  { name: "another collection", content: JSON.stringify({ ...header, collection: "tools", records: [] }), reason: /holds the collection "tools", not "tasks"/ },
  { name: "another schema version", content: JSON.stringify({ ...header, schemaVersion: 2, records: [] }), reason: /has schemaVersion 2, but this agentsynth reads schemaVersion 1/ },
  { name: "no records array", content: JSON.stringify({ ...header, records: { "task-1": {} } }), reason: /has no "records" array/ },
  {
    name: "a schema-invalid record",
    content: JSON.stringify({ ...header, records: [makeTask("task-1"), { ...makeTask("task-2"), goal: 42 }] }),
    reason: /has an invalid task at records\[1\] \(id "task-2"\): goal: /,
  },
  { name: "a repeated id", content: JSON.stringify({ ...header, records: [makeTask("task-1"), makeTask("task-1")] }), reason: /holds two records with id "task-1"/ },
];

describe("corrupt and foreign files", () => {
  for (const bad of BAD_CATALOG_FILES) {
    it(`a catalog file that is ${bad.name}: StoreCorruptError naming the file, and the file is never touched`, async () => {
      const file = join(dataDir, "tasks.json");
      await writeFile(file, bad.content);
      store = await openStore({ dataDir });

      const readError = await store.tasks.all().catch((caught: unknown) => caught);
      expect(readError).toBeInstanceOf(StoreCorruptError);
      expect((readError as StoreCorruptError).code).toBe("STORE_CORRUPT");
      expect((readError as StoreCorruptError).file).toBe(file);
      expect((readError as Error).message).toContain(`store file ${file} `);
      expect((readError as Error).message).toMatch(bad.reason);

      await expect(store.tasks.put(makeTask("task-9"))).rejects.toThrow(StoreCorruptError);
      await expect(store.tasks.putMany([makeTask("task-9")])).rejects.toThrow(StoreCorruptError);
      await expect(store.tasks.remove("task-1")).rejects.toThrow(StoreCorruptError);
      await expect(store.tasks.get("task-1")).rejects.toThrow(StoreCorruptError);
      await expect(store.tasks.count()).rejects.toThrow(StoreCorruptError);

      await store.close();
      expect(await readFile(file, "utf8")).toBe(bad.content);
      expect(await readdir(dataDir)).not.toContain(".tasks.json.tmp");
    });
  }

  it("an unreadable catalog file (a directory in its place) is reported, and other collections still work", async () => {
    await mkdir(join(dataDir, "tasks.json"));
    store = await openStore({ dataDir });
    await expect(store.tasks.all()).rejects.toThrow(/store file .*tasks\.json cannot be read/);
    await expect(store.tasks.put(makeTask("task-1"))).rejects.toThrow(StoreCorruptError);
    await store.runs.count();
    await store.episodes.append(makeEpisode("ep-1", 1));
    expect(await store.episodes.count()).toBe(1);
  });

  it("a repaired file is read on the next call: failures are not cached", async () => {
    const file = join(dataDir, "tasks.json");
    await writeFile(file, "garbage");
    store = await openStore({ dataDir });
    await expect(store.tasks.count()).rejects.toThrow(StoreCorruptError);
    await writeFile(file, JSON.stringify({ ...header, records: [makeTask("task-1")] }));
    expect(await store.tasks.count()).toBe(1);
    await store.tasks.put(makeTask("task-2"));
    expect(await store.tasks.count()).toBe(2);
  });

  it("a shard holding a record that does not match the schema: reads that need it fail naming the file and line, appends go on, the file is left as it is", async () => {
    const directory = join(dataDir, "episodes");
    const shard = await writeShardByHand(directory, 1, { pid: deadPid(), records: [makeEpisode("ep-1", 1), { ...makeEpisode("ep-2", 1), messages: "lost" }] });
    const content = await readFile(shard, "utf8");
    store = await openStore({ dataDir });
    const error = await store.episodes.count().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect((error as Error).message).toContain(`store file ${shard} has an invalid episode at line 3 (id "ep-2"): messages: `);
    await expect(store.episodes.get("ep-2")).rejects.toThrow(StoreCorruptError);
    const scanned: string[] = [];
    const scanError = await (async () => {
      for await (const episode of store.episodes.scan()) scanned.push(episode.id);
    })().catch((caught: unknown) => caught);
    expect(scanError).toBeInstanceOf(StoreCorruptError);
    expect(scanned).toEqual(["ep-1"]);
    await store.episodes.append(makeEpisode("ep-3", 1));
    await store.close();
    expect(await readFile(shard, "utf8")).toBe(content);
    expect((await readdir(directory)).sort()).toEqual(["shard-000001.jsonl", "shard-000002.index.json", "shard-000002.jsonl"]);
  });

  it("a foreign file among the shards: reads that need it fail naming it, appends go on, the file is left as it is", async () => {
    store = await openStore({ dataDir, shardSize: 2 });
    for (let index = 0; index < 5; index += 1) await store.episodes.append(makeEpisode(`ep-${index}`, 1));
    await store.close();
    const sealed = join(dataDir, "episodes", "shard-000002.jsonl");
    const foreign = `${JSON.stringify({ format: "something-else", records: [] })}\n`;
    await writeFile(sealed, foreign);
    await rm(join(dataDir, "episodes", "shard-000002.index.json"));

    store = await openStore({ dataDir, shardSize: 2 });
    const scanned: string[] = [];
    const error = await (async () => {
      for await (const episode of store.episodes.scan()) scanned.push(episode.id);
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect((error as Error).message).toContain(`store file ${sealed} is not an agentsynth store file`);
    expect(scanned).toEqual(["ep-0", "ep-1"]);
    await expect(store.episodes.get("ep-9")).rejects.toThrow(StoreCorruptError);
    await expect(store.episodes.count()).rejects.toThrow(StoreCorruptError);

    await store.episodes.append(makeEpisode("ep-5", 1));
    await store.episodes.append(makeEpisode("ep-6", 1));
    await store.close();
    expect(await readFile(sealed, "utf8")).toBe(foreign);
  });
});

describe("torn shards", () => {
  const episodes = (): string => join(dataDir, "episodes");
  const openWatched = async (warnings: string[]): Promise<Store> => openStore({ dataDir, onWarning: (message) => warnings.push(message) });

  it("a last line a killed writer left unfinished is dropped with a warning; the records before it are intact", async () => {
    const shard = await writeShardByHand(episodes(), 1, { pid: deadPid(), records: [makeEpisode("ep-1", 1), makeEpisode("ep-2", 1)], tail: JSON.stringify(makeEpisode("ep-3", 1)).slice(0, 300) });
    const content = await readFile(shard, "utf8");
    const warnings: string[] = [];
    store = await openWatched(warnings);
    expect(await store.episodes.count()).toBe(2);
    expect(await store.episodes.require("ep-2")).toEqual(makeEpisode("ep-2", 1));
    expect(await store.episodes.get("ep-3")).toBeUndefined();
    const scanned: string[] = [];
    for await (const episode of store.episodes.scan()) scanned.push(episode.id);
    expect(scanned).toEqual(["ep-1", "ep-2"]);
    expect(warnings).toEqual([`store file ${shard}: dropped a torn last record (line 4 is unfinished (300 bytes without a newline)), left by a writer that stopped mid-write; the records before it are intact`]);
    await store.episodes.append(makeEpisode("ep-4", 1)); // goes to a shard of its own
    expect(await store.episodes.count()).toBe(3);
    await store.close();
    expect(await readFile(shard, "utf8")).toBe(content);
  });

  it("a last line a power loss left as garbage (zeros) is dropped the same way", async () => {
    await writeShardByHand(episodes(), 1, { pid: deadPid(), records: [makeEpisode("ep-1", 1)], tail: "\u0000".repeat(64) + "\n" });
    const warnings: string[] = [];
    store = await openWatched(warnings);
    expect(await store.episodes.count()).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/dropped a torn last record \(line 3 is not JSON/);
  });

  it("a line that is not JSON with records after it is corruption, named by file and line", async () => {
    const shard = await writeShardByHand(episodes(), 1, { pid: deadPid(), records: [makeEpisode("ep-1", 1)], tail: `{"broken\n${JSON.stringify(makeEpisode("ep-2", 1))}\n` });
    store = await openStore({ dataDir });
    await expect(store.episodes.count()).rejects.toThrow(`store file ${shard} has a line that is not JSON at line 3`);
  });

  it("the unfinished last line of a writer still running is not a record yet, and no warning: once finished, readers see it", async () => {
    const line = JSON.stringify(makeEpisode("ep-2", 1));
    const shard = await writeShardByHand(episodes(), 1, { pid: process.pid, records: [makeEpisode("ep-1", 1)], tail: line.slice(0, 100) });
    const warnings: string[] = [];
    store = await openWatched(warnings);
    expect(await store.episodes.count()).toBe(1);
    await writeFile(shard, `${await readFile(shard, "utf8")}${line.slice(100)}\n`);
    expect(await store.episodes.count()).toBe(2);
    expect(await store.episodes.require("ep-2")).toEqual(makeEpisode("ep-2", 1));
    expect(warnings).toEqual([]);
  });
});

import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StoreCorruptError } from "../../src/errors/store-corrupt-error.js";
import { openStore, STORE_FORMAT, type Store } from "../../src/store/index.js";
import { makeEpisode, makeTask, makeTempDir, removeDir } from "./fixtures.js";

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

  it("a corrupt current shard: appends refuse and the shard is left as it is", async () => {
    const directory = join(dataDir, "episodes");
    await mkdir(directory);
    const shard = join(directory, "shard-000001.json");
    const content = JSON.stringify({ format: STORE_FORMAT, collection: "episodes", schemaVersion: 1, records: [{ ...makeEpisode("ep-1", 1), messages: "lost" }] });
    await writeFile(shard, content);
    store = await openStore({ dataDir });
    const error = await store.episodes.append(makeEpisode("ep-2", 1)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect((error as Error).message).toContain(`store file ${shard} has an invalid episode at records[0] (id "ep-1"): messages: `);
    await expect(store.episodes.append(makeEpisode("ep-3", 1))).rejects.toThrow(StoreCorruptError);
    await expect(store.episodes.count()).rejects.toThrow(StoreCorruptError);
    await store.close();
    expect(await readFile(shard, "utf8")).toBe(content);
    expect(await readdir(directory)).toEqual(["shard-000001.json"]);
  });

  it("a foreign file among the sealed shards: reads that need it fail naming it, appends go on, the file is left as it is", async () => {
    store = await openStore({ dataDir, shardSize: 2 });
    for (let index = 0; index < 5; index += 1) await store.episodes.append(makeEpisode(`ep-${index}`, 1));
    await store.close();
    const sealed = join(dataDir, "episodes", "shard-000002.json");
    const foreign = JSON.stringify({ format: "something-else", records: [] });
    await writeFile(sealed, foreign);

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

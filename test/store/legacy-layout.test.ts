import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StoreCorruptError } from "../../src/errors/store-corrupt-error.js";
import { openStore, STORE_FORMAT, type Store } from "../../src/store/index.js";
import { makeEpisode, makeJudgment, makeTask, makeTempDir, removeDir } from "./fixtures.js";

/**
 * Data directories written by the first store layout: pretty-printed lowdb catalogs and shards that were one
 * JSON document each (`shard-000001.json`), rewritten on every append.
 */

let dataDir: string;
let store: Store | undefined;

beforeEach(async () => {
  dataDir = await makeTempDir();
});

afterEach(async () => {
  await store?.close();
  store = undefined;
  await removeDir(dataDir);
});

function legacyFile(collection: string, records: unknown[]): string {
  return JSON.stringify({ format: STORE_FORMAT, collection, schemaVersion: 1, records }, null, 2);
}

async function writeLegacyStore(): Promise<void> {
  await writeFile(join(dataDir, "tasks.json"), legacyFile("tasks", [makeTask("task-1"), makeTask("task-2")]));
  await mkdir(join(dataDir, "episodes"));
  await mkdir(join(dataDir, "judgments"));
  await writeFile(join(dataDir, "episodes", "shard-000001.json"), legacyFile("episodes", [makeEpisode("ep-0", 1), makeEpisode("ep-1", 1), makeEpisode("ep-2", 1)]));
  await writeFile(join(dataDir, "episodes", "shard-000002.json"), legacyFile("episodes", [makeEpisode("ep-3", 1)]));
  await writeFile(join(dataDir, "episodes", ".shard-000002.json.tmp"), '{"format": "agentsyn'); // left by a crash mid-write
  await writeFile(join(dataDir, "judgments", "shard-000001.json"), legacyFile("judgments", [makeJudgment("j-1", "ep-1")]));
}

describe("a data directory of the first layout", () => {
  it("opens: every record is there, the old shards become append-only ones, and appends go after them", async () => {
    await writeLegacyStore();
    store = await openStore({ dataDir, shardSize: 3 });
    expect((await store.tasks.all()).map((task) => task.id)).toEqual(["task-1", "task-2"]);
    expect(await store.episodes.count()).toBe(4);
    expect(await store.episodes.require("ep-2")).toEqual(makeEpisode("ep-2", 1));
    expect((await store.judgments.require("j-1")).episodeId).toBe("ep-1");
    expect(await store.statistics()).toMatchObject({ episodes: 4, judgments: 1, verdicts: { pass: 1, unjudged: 3 } });

    await store.episodes.append(makeEpisode("ep-4", 1));
    await store.tasks.put(makeTask("task-3"));
    const scanned: string[] = [];
    for await (const episode of store.episodes.scan()) scanned.push(episode.id);
    expect(scanned).toEqual(["ep-0", "ep-1", "ep-2", "ep-3", "ep-4"]);
    await store.close();
    store = undefined;

    expect((await readdir(join(dataDir, "episodes"))).filter((name) => !name.startsWith(".")).sort()).toEqual([
      "shard-000001.index.json",
      "shard-000001.jsonl",
      "shard-000002.index.json",
      "shard-000002.jsonl",
      "shard-000003.index.json",
      "shard-000003.jsonl",
    ]);
    const migrated = (await readFile(join(dataDir, "episodes", "shard-000001.jsonl"), "utf8")).trim().split("\n");
    expect(migrated.map((line) => (JSON.parse(line) as { id?: string }).id)).toEqual([undefined, "ep-0", "ep-1", "ep-2"]);
    expect(await readdir(join(dataDir, "judgments"))).toEqual(expect.arrayContaining(["shard-000001.jsonl"]));

    store = await openStore({ dataDir });
    expect(await store.episodes.count()).toBe(5);
    expect((await store.tasks.all()).map((task) => task.id)).toEqual(["task-1", "task-2", "task-3"]);
  });

  it("an old shard that is corrupt is reported by name and left as it is; the others still migrate", async () => {
    await writeLegacyStore();
    const broken = join(dataDir, "episodes", "shard-000002.json");
    const content = legacyFile("episodes", [{ ...makeEpisode("ep-3", 1), status: "half-done" }]);
    await writeFile(broken, content);
    store = await openStore({ dataDir });
    const error = await store.episodes.count().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect((error as Error).message).toContain(`store file ${broken} has an invalid episode at records[0] (id "ep-3")`);
    await store.episodes.append(makeEpisode("ep-9", 1)); // appends go on, numbered after the old shards
    await store.close();
    store = undefined;
    expect(await readFile(broken, "utf8")).toBe(content);
    expect((await readdir(join(dataDir, "episodes"))).filter((name) => name.endsWith(".jsonl")).sort()).toEqual(["shard-000001.jsonl", "shard-000003.jsonl"]);
  });
});

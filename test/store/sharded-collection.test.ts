import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EpisodeRecord } from "../../src/domain/episode.js";
import { InputError } from "../../src/errors/input-error.js";
import { NotFoundError } from "../../src/errors/not-found-error.js";
import { openStore, STORE_FORMAT, type Store } from "../../src/store/index.js";
import { makeEpisode, makeJudgment, makeTempDir, removeDir } from "./fixtures.js";

let dataDir: string;
let store: Store;
let warnings: string[];

async function open(shardSize = 5): Promise<Store> {
  return openStore({ dataDir, shardSize, onWarning: (message) => warnings.push(message) });
}

beforeEach(async () => {
  dataDir = await makeTempDir();
  warnings = [];
  store = await open();
});

afterEach(async () => {
  await store.close();
  await removeDir(dataDir);
});

async function appendEpisodes(from: number, to: number): Promise<void> {
  for (let index = from; index < to; index += 1) await store.episodes.append(makeEpisode(`ep-${index}`, 1));
}

async function scanIds(): Promise<string[]> {
  const ids: string[] = [];
  for await (const episode of store.episodes.scan()) ids.push(episode.id);
  return ids;
}

async function listEpisodeFiles(): Promise<string[]> {
  return (await readdir(join(dataDir, "episodes"))).sort();
}

/** The lines of a shard file, parsed. */
async function readShard(name: string, collection = "episodes"): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(join(dataDir, collection, name), "utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text.slice(0, -1).split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("sharded collection", () => {
  it("writes headed JSONL shards of at most shardSize records, each sealed with an index file when full", async () => {
    await appendEpisodes(0, 12);
    const directory = join(dataDir, "episodes");
    expect(store.episodes.directory).toBe(directory);
    expect(await listEpisodeFiles()).toEqual(["shard-000001.index.json", "shard-000001.jsonl", "shard-000002.index.json", "shard-000002.jsonl", "shard-000003.jsonl"]);
    const sizes: number[] = [];
    for (const name of ["shard-000001.jsonl", "shard-000002.jsonl", "shard-000003.jsonl"]) {
      const [header, ...records] = await readShard(name);
      expect(header).toMatchObject({ format: STORE_FORMAT, collection: "episodes", schemaVersion: 1, layout: "jsonl", writer: { pid: process.pid } });
      sizes.push(records.length);
    }
    expect(sizes).toEqual([5, 5, 2]);
    const index = JSON.parse(await readFile(join(directory, "shard-000001.index.json"), "utf8")) as { size: number; records: unknown[][] };
    expect(index.size).toBe((await stat(join(directory, "shard-000001.jsonl"))).size);
    expect(index.records.map((entry) => entry[0])).toEqual(["ep-0", "ep-1", "ep-2", "ep-3", "ep-4"]);
  });

  it("an append writes only its own line: earlier bytes and sealed shards are never rewritten", async () => {
    await appendEpisodes(0, 7);
    const sealed = join(dataDir, "episodes", "shard-000001.jsonl");
    const current = join(dataDir, "episodes", "shard-000002.jsonl");
    const before = { sealed: await readFile(sealed), sealedStat: await stat(sealed), current: await readFile(current), currentStat: await stat(current) };
    await appendEpisodes(7, 9);
    expect(await readFile(sealed)).toEqual(before.sealed);
    expect((await stat(sealed)).mtimeMs).toBe(before.sealedStat.mtimeMs);
    const after = await readFile(current);
    expect(after.subarray(0, before.current.length)).toEqual(before.current); // the new lines follow the old bytes
    expect((await stat(current)).ino).toBe(before.currentStat.ino); // appended in place, not replaced by a copy
    expect(after.toString("utf8").split("\n").filter(Boolean)).toHaveLength(1 + 4);
  });

  it("scans oldest first across shards, and keeps order after a reopen, which starts a shard of its own", async () => {
    await appendEpisodes(0, 13);
    const expected = Array.from({ length: 13 }, (_, index) => `ep-${index}`);
    expect(await scanIds()).toEqual(expected);
    await store.close();
    expect(await listEpisodeFiles()).toContain("shard-000003.index.json"); // close sealed the half-full shard
    store = await open();
    expect(await scanIds()).toEqual(expected);
    await appendEpisodes(13, 15);
    expect(await scanIds()).toEqual([...expected, "ep-13", "ep-14"]);
    expect((await listEpisodeFiles()).filter((name) => name.endsWith(".jsonl"))).toEqual(["shard-000001.jsonl", "shard-000002.jsonl", "shard-000003.jsonl", "shard-000004.jsonl"]);
  });

  it("a scan is a snapshot: appends during it are not included", async () => {
    await appendEpisodes(0, 7);
    const ids: string[] = [];
    for await (const episode of store.episodes.scan()) {
      ids.push(episode.id);
      if (ids.length === 1) await appendEpisodes(7, 12);
    }
    expect(ids).toHaveLength(7);
    expect(await store.episodes.count()).toBe(12);
  });

  it("gets and requires by id in any shard, before and after a reopen", async () => {
    await appendEpisodes(0, 12);
    expect(await store.episodes.require("ep-0")).toEqual(makeEpisode("ep-0", 1));
    expect((await store.episodes.get("ep-7"))?.id).toBe("ep-7");
    expect((await store.episodes.get("ep-11"))?.id).toBe("ep-11");
    expect(await store.episodes.get("ep-99")).toBeUndefined();
    await expect(store.episodes.require("ep-99")).rejects.toThrow(NotFoundError);
    await expect(store.episodes.require("ep-99")).rejects.toMatchObject({ collection: "episode", id: "ep-99", message: 'no episode with id "ep-99"' });

    await appendEpisodes(12, 17); // after the index exists, appends keep it current
    expect((await store.episodes.require("ep-16")).id).toBe("ep-16");
    expect((await store.episodes.require("ep-14")).id).toBe("ep-14");

    await store.close();
    store = await open();
    expect((await store.episodes.require("ep-3")).id).toBe("ep-3");
    expect(await store.episodes.require("ep-16")).toEqual(makeEpisode("ep-16", 1));
  });

  it("getMany yields the records in the order asked, and checks every id before the first", async () => {
    await appendEpisodes(0, 12);
    const order = ["ep-3", "ep-4", "ep-5", "ep-11", "ep-0", "ep-6", "ep-7"];
    const got: EpisodeRecord[] = [];
    for await (const episode of store.episodes.getMany(order)) got.push(episode);
    expect(got.map((episode) => episode.id)).toEqual(order);
    expect(got[0]).toEqual(makeEpisode("ep-3", 1));

    const yielded: string[] = [];
    const error = await (async () => {
      for await (const episode of store.episodes.getMany(["ep-1", "ep-404"])) yielded.push(episode.id);
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(yielded).toEqual([]);
  });

  it("counts and keeps facts without reading records again, following appends and a reopen", async () => {
    expect(await store.episodes.count()).toBe(0);
    await appendEpisodes(0, 11);
    expect(await store.episodes.count()).toBe(11);
    await appendEpisodes(11, 16);
    expect(await store.episodes.count()).toBe(16);
    const facts = await store.episodes.facts();
    expect([...facts.keys()]).toEqual(Array.from({ length: 16 }, (_, index) => `ep-${index}`));
    expect(facts.get("ep-3")).toEqual({ status: "completed", endReason: "user_stop", attribution: "agent", executions: { simulated: 1 }, faults: {}, contextCuts: 0, taskId: "task-1", verification: "unverified" });
    expect(Object.isFrozen(facts.get("ep-3"))).toBe(true);
    await store.close();
    store = await open();
    expect(await store.episodes.count()).toBe(16);
    expect(await store.episodes.facts()).toEqual(facts);
  });

  it("finds by predicate", async () => {
    await appendEpisodes(0, 12);
    const found = await store.episodes.find((episode) => episode.id.endsWith("1"));
    expect(found.map((episode) => episode.id)).toEqual(["ep-1", "ep-11"]);
  });

  it("lands all of 32 concurrent appends, durable when they resolve", async () => {
    await Promise.all(Array.from({ length: 32 }, (_, index) => store.episodes.append(makeEpisode(`ep-${index}`, 1))));
    expect(await store.episodes.count()).toBe(32);
    // Read the files directly: every resolved append is on disk.
    let onDisk = 0;
    for (const name of (await listEpisodeFiles()).filter((file) => file.endsWith(".jsonl"))) {
      const records = (await readShard(name)).slice(1);
      expect(records.length).toBeLessThanOrEqual(5);
      onDisk += records.length;
    }
    expect(onDisk).toBe(32);
    expect((await scanIds()).sort()).toEqual(Array.from({ length: 32 }, (_, index) => `ep-${index}`).sort());
  });

  it("refuses an invalid record with the path and problem, writing nothing", async () => {
    await appendEpisodes(0, 2);
    const shard = join(dataDir, "episodes", "shard-000001.jsonl");
    const before = await readFile(shard, "utf8");
    const invalid = { ...makeEpisode("ep-bad", 1), status: "half-done" } as unknown as EpisodeRecord;
    const error = await store.episodes.append(invalid).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain('invalid episode (id "ep-bad")');
    expect((error as InputError).problems.join("\n")).toMatch(/^status: /m);
    expect(await readFile(shard, "utf8")).toBe(before);
    expect(await store.episodes.count()).toBe(2);
  });

  it("keeps judgments apart from episodes", async () => {
    await store.judgments.append(makeJudgment("j-1", "ep-1"));
    expect((await store.judgments.require("j-1")).episodeId).toBe("ep-1");
    expect(await store.episodes.count()).toBe(0);
    expect(await readdir(join(dataDir, "judgments"))).toEqual(["shard-000001.jsonl"]);
    expect((await readShard("shard-000001.jsonl", "judgments"))[0]).toMatchObject({ collection: "judgments" });
  });

  it("a shard size changed between opens: earlier shards are kept as they are, new ones follow the new size", async () => {
    await appendEpisodes(0, 4);
    await store.close();
    store = await open(2);
    await appendEpisodes(4, 7);
    expect(await scanIds()).toEqual(["ep-0", "ep-1", "ep-2", "ep-3", "ep-4", "ep-5", "ep-6"]);
    expect((await listEpisodeFiles()).filter((name) => name.endsWith(".jsonl"))).toEqual(["shard-000001.jsonl", "shard-000002.jsonl", "shard-000003.jsonl"]);
    expect((await readShard("shard-000002.jsonl")).length - 1).toBe(2);
  });

  it("ignores a temporary file left by a crash mid-write, and a stale or broken index file", async () => {
    await appendEpisodes(0, 7);
    await store.close();
    const directory = join(dataDir, "episodes");
    await writeFile(join(directory, ".shard-000001.index.json.123-abcd.tmp"), '{"format": "agentsynth-st');
    await writeFile(join(directory, "shard-000001.index.json"), "not json");
    const index2 = join(directory, "shard-000002.index.json");
    await writeFile(index2, (await readFile(index2, "utf8")).replace(/"size":\d+/, '"size":3'));
    store = await open();
    expect(await store.episodes.count()).toBe(7);
    expect((await store.episodes.require("ep-6")).id).toBe("ep-6");
    expect(await scanIds()).toEqual(["ep-0", "ep-1", "ep-2", "ep-3", "ep-4", "ep-5", "ep-6"]);
    await appendEpisodes(7, 8);
    expect(await store.episodes.count()).toBe(8);
    expect(warnings).toEqual([]);
  });
});

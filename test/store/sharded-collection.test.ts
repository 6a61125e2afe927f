import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EpisodeRecord } from "../../src/domain/episode.js";
import { InputError } from "../../src/errors/input-error.js";
import { NotFoundError } from "../../src/errors/not-found-error.js";
import { openStore, STORE_FORMAT, type Store } from "../../src/store/index.js";
import { makeEpisode, makeJudgment, makeTempDir, removeDir } from "./fixtures.js";

let dataDir: string;
let store: Store;

beforeEach(async () => {
  dataDir = await makeTempDir();
  store = await openStore({ dataDir, shardSize: 5 });
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

describe("sharded collection", () => {
  it("starts a new shard when the current one is full, each shard headed and bounded", async () => {
    await appendEpisodes(0, 12);
    const directory = join(dataDir, "episodes");
    expect(store.episodes.directory).toBe(directory);
    expect((await readdir(directory)).sort()).toEqual(["shard-000001.json", "shard-000002.json", "shard-000003.json"]);
    const sizes: number[] = [];
    for (const name of ["shard-000001.json", "shard-000002.json", "shard-000003.json"]) {
      const file = JSON.parse(await readFile(join(directory, name), "utf8")) as { records: EpisodeRecord[] };
      expect(file).toMatchObject({ format: STORE_FORMAT, collection: "episodes", schemaVersion: 1 });
      sizes.push(file.records.length);
    }
    expect(sizes).toEqual([5, 5, 2]);
  });

  it("rewrites only the current shard on append", async () => {
    await appendEpisodes(0, 10);
    const sealed = join(dataDir, "episodes", "shard-000001.json");
    const before = { bytes: await readFile(sealed), stat: await stat(sealed) };
    await appendEpisodes(10, 13);
    const after = await stat(sealed);
    expect(await readFile(sealed)).toEqual(before.bytes);
    expect(after.mtimeMs).toBe(before.stat.mtimeMs);
    expect(after.ino).toBe(before.stat.ino); // not even replaced by an identical copy
  });

  it("scans oldest first across shards, and keeps order after a reopen", async () => {
    await appendEpisodes(0, 13);
    const expected = Array.from({ length: 13 }, (_, index) => `ep-${index}`);
    expect(await scanIds()).toEqual(expected);
    await store.close();
    store = await openStore({ dataDir, shardSize: 5 });
    expect(await scanIds()).toEqual(expected);
    await appendEpisodes(13, 15);
    expect(await scanIds()).toEqual([...expected, "ep-13", "ep-14"]);
    expect((await readdir(join(dataDir, "episodes"))).length).toBe(3); // the half-full shard 3 was continued
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
    expect((await store.episodes.require("ep-0")).id).toBe("ep-0");
    expect((await store.episodes.get("ep-7"))?.id).toBe("ep-7");
    expect((await store.episodes.get("ep-11"))?.id).toBe("ep-11");
    expect(await store.episodes.get("ep-99")).toBeUndefined();
    await expect(store.episodes.require("ep-99")).rejects.toThrow(NotFoundError);
    await expect(store.episodes.require("ep-99")).rejects.toMatchObject({ collection: "episode", id: "ep-99", message: 'no episode with id "ep-99"' });

    await appendEpisodes(12, 17); // after the index exists, appends keep it current
    expect((await store.episodes.require("ep-16")).id).toBe("ep-16");
    expect((await store.episodes.require("ep-14")).id).toBe("ep-14");

    await store.close();
    store = await openStore({ dataDir, shardSize: 5 });
    expect((await store.episodes.require("ep-3")).id).toBe("ep-3");
    expect((await store.episodes.require("ep-16")).id).toBe("ep-16");
  });

  it("counts without scanning twice, and follows appends", async () => {
    expect(await store.episodes.count()).toBe(0);
    await appendEpisodes(0, 11);
    expect(await store.episodes.count()).toBe(11);
    await appendEpisodes(11, 16);
    expect(await store.episodes.count()).toBe(16);
    await store.close();
    store = await openStore({ dataDir, shardSize: 5 });
    expect(await store.episodes.count()).toBe(16);
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
    for (const name of await readdir(join(dataDir, "episodes"))) {
      const file = JSON.parse(await readFile(join(dataDir, "episodes", name), "utf8")) as { records: unknown[] };
      expect(file.records.length).toBeLessThanOrEqual(5);
      onDisk += file.records.length;
    }
    expect(onDisk).toBe(32);
    expect((await scanIds()).sort()).toEqual(Array.from({ length: 32 }, (_, index) => `ep-${index}`).sort());
  });

  it("refuses an invalid record with the path and problem, writing nothing", async () => {
    await appendEpisodes(0, 2);
    const shard = join(dataDir, "episodes", "shard-000001.json");
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
    expect(await readdir(join(dataDir, "judgments"))).toEqual(["shard-000001.json"]);
  });

  it("a shard size changed between opens: a fuller shard is kept as it is, the next one follows the new size", async () => {
    await appendEpisodes(0, 4);
    await store.close();
    store = await openStore({ dataDir, shardSize: 2 });
    await appendEpisodes(4, 7);
    expect(await scanIds()).toEqual(["ep-0", "ep-1", "ep-2", "ep-3", "ep-4", "ep-5", "ep-6"]);
    expect((await readdir(join(dataDir, "episodes"))).sort()).toEqual(["shard-000001.json", "shard-000002.json", "shard-000003.json"]);
  });

  it("ignores a temporary file left by a crash mid-write", async () => {
    await appendEpisodes(0, 3);
    const { writeFile } = await import("node:fs/promises");
    await writeFile(join(dataDir, "episodes", ".shard-000001.json.tmp"), '{"format": "agentsynth-st');
    await store.close();
    store = await openStore({ dataDir, shardSize: 5 });
    expect(await scanIds()).toEqual(["ep-0", "ep-1", "ep-2"]);
    await appendEpisodes(3, 4);
    expect(await store.episodes.count()).toBe(4);
  });
});

import { readdir, readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputError } from "../../src/errors/input-error.js";
import { StoreLockedError } from "../../src/errors/store-locked-error.js";
import { defaultDataDir, LOCK_FILE_NAME, openStore, STORE_FORMAT } from "../../src/store/index.js";
import { makeEpisode, makeTask, makeTempDir, removeDir } from "./fixtures.js";

let root: string;

beforeEach(async () => {
  root = await makeTempDir();
});

afterEach(async () => {
  await removeDir(root);
});

describe("openStore", () => {
  it("creates a missing data directory with its layout and a lock", async () => {
    const dataDir = join(root, "nested", "data");
    const store = await openStore({ dataDir });
    expect(store.dataDir).toBe(dataDir);
    expect((await readdir(dataDir)).sort()).toEqual(["episodes", "judgments", "recordings", LOCK_FILE_NAME]);
    const lock = JSON.parse(await readFile(join(dataDir, LOCK_FILE_NAME), "utf8")) as Record<string, unknown>;
    expect(lock).toMatchObject({ pid: process.pid, hostname: hostname() });
    expect(typeof lock.command).toBe("string");
    expect(new Date(String(lock.startedAt)).getTime()).toBeLessThanOrEqual(Date.now());
    await store.tasks.put(makeTask("task-1"));
    await store.close();
    expect((await readdir(dataDir)).sort()).toEqual(["episodes", "judgments", "recordings", "tasks.json"]);
  });

  it("close releases the lock: the directory can be opened again", async () => {
    const first = await openStore({ dataDir: root });
    await first.close();
    await first.close(); // twice is fine
    const second = await openStore({ dataDir: root });
    await second.close();
  });

  it("refuses a second open of the same directory in the same process", async () => {
    const store = await openStore({ dataDir: root });
    const error = await openStore({ dataDir: join(root, ".") }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreLockedError);
    expect((error as Error).message).toContain(`data directory ${root} is in use by this process (pid ${process.pid})`);
    await store.close();
  });

  it("refuses two concurrent opens of the same directory: exactly one wins", async () => {
    const results = await Promise.allSettled([openStore({ dataDir: root }), openStore({ dataDir: root })]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((result) => result.status === "rejected");
    expect(refused?.status === "rejected" && refused.reason).toBeInstanceOf(StoreLockedError);
    for (const result of results) if (result.status === "fulfilled") await result.value.close();
  });

  it("close waits for accepted writes, then refuses new operations", async () => {
    const store = await openStore({ dataDir: root, shardSize: 4 });
    const appends = Array.from({ length: 20 }, (_, index) => store.episodes.append(makeEpisode(`ep-${index}`, 1)));
    const put = store.tasks.put(makeTask("task-1"));
    await store.close();
    await Promise.all([...appends, put]);
    await expect(store.tasks.get("task-1")).rejects.toThrow(/the store at .* is closed/);
    await expect(store.episodes.append(makeEpisode("ep-x", 1))).rejects.toThrow(/is closed/);

    const reopened = await openStore({ dataDir: root });
    expect(await reopened.episodes.count()).toBe(20);
    expect(await reopened.tasks.count()).toBe(1);
    await reopened.close();
  });

  it("refuses a shard size that is not a positive integer", async () => {
    await expect(openStore({ dataDir: root, shardSize: 0 })).rejects.toThrow(InputError);
    await expect(openStore({ dataDir: root, shardSize: 2.5 })).rejects.toThrow(/shardSize must be a positive integer/);
  });

  it("reports a data directory that cannot be created", async () => {
    const store = await openStore({ dataDir: root });
    await store.tasks.put(makeTask("task-1"));
    await store.close();
    await expect(openStore({ dataDir: join(root, "tasks.json", "data") })).rejects.toThrow(/the data directory .* cannot be created/);
  });
});

describe("store constants", () => {
  it("names the file format", () => {
    expect(STORE_FORMAT).toBe("agentsynth-store");
  });

  it("defaultDataDir: $AGENTSYNTH_DATA_DIR, else ./.agentsynth, absolute", () => {
    expect(defaultDataDir({ AGENTSYNTH_DATA_DIR: "/srv/data" })).toBe("/srv/data");
    expect(defaultDataDir({ AGENTSYNTH_DATA_DIR: "relative/data" })).toBe(resolve("relative/data"));
    expect(defaultDataDir({})).toBe(resolve(".agentsynth"));
    expect(defaultDataDir({ AGENTSYNTH_DATA_DIR: "" })).toBe(resolve(".agentsynth"));
  });
});

import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputError } from "../../src/errors/input-error.js";
import { defaultDataDir, openStore, STORE_FORMAT } from "../../src/store/index.js";
import { makeEpisode, makeTask, makeTempDir, removeDir } from "./fixtures.js";

let root: string;

beforeEach(async () => {
  root = await makeTempDir();
});

afterEach(async () => {
  await removeDir(root);
});

describe("openStore", () => {
  it("creates a missing data directory with its layout, and holds no lock on it", async () => {
    const dataDir = join(root, "nested", "data");
    const store = await openStore({ dataDir });
    expect(store.dataDir).toBe(dataDir);
    expect((await readdir(dataDir)).sort()).toEqual(["episodes", "judgments", "recordings"]);
    await store.tasks.put(makeTask("task-1"));
    expect((await readdir(dataDir)).sort()).toEqual(["episodes", "judgments", "recordings", "tasks.json"]);
    await store.close();
    await store.close(); // twice is fine
  });

  it("opens the same directory twice at once (two hosts in one process): each sees the other's writes", async () => {
    const [first, second] = await Promise.all([openStore({ dataDir: root }), openStore({ dataDir: join(root, ".") })]);
    await first.tasks.put(makeTask("task-1"));
    await second.episodes.append(makeEpisode("ep-1", 1));
    await second.tasks.put(makeTask("task-2"));
    await first.episodes.append(makeEpisode("ep-2", 1));
    expect((await first.tasks.all()).map((task) => task.id)).toEqual(["task-1", "task-2"]);
    expect((await second.tasks.all()).map((task) => task.id)).toEqual(["task-1", "task-2"]);
    expect(await first.episodes.count()).toBe(2);
    expect((await second.episodes.require("ep-2")).id).toBe("ep-2");
    expect((await first.statistics()).episodes).toBe(2);
    await Promise.all([first.close(), second.close()]);
    expect((await readdir(join(root, "episodes"))).filter((name) => name.endsWith(".jsonl"))).toHaveLength(2); // one shard per writer
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

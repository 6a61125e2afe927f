import { watch } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TaskRecord } from "../../src/domain/task.js";
import { InputError } from "../../src/errors/input-error.js";
import { NotFoundError } from "../../src/errors/not-found-error.js";
import { openStore, STORE_FORMAT, type Store } from "../../src/store/index.js";
import { makeTask, makeTempDir, makeTool, removeDir } from "./fixtures.js";

let dataDir: string;
let store: Store;

beforeEach(async () => {
  dataDir = await makeTempDir();
  store = await openStore({ dataDir });
});

afterEach(async () => {
  await store.close();
  await removeDir(dataDir);
});

describe("catalog", () => {
  it("puts, gets and requires records, and keeps them after a reopen", async () => {
    await store.tasks.put(makeTask("task-1"));
    expect(await store.tasks.get("task-1")).toEqual(makeTask("task-1"));
    expect(await store.tasks.get("task-2")).toBeUndefined();
    await expect(store.tasks.require("task-2")).rejects.toThrow(NotFoundError);
    await expect(store.tasks.require("task-2")).rejects.toMatchObject({ code: "NOT_FOUND", collection: "task", id: "task-2" });

    await store.close();
    store = await openStore({ dataDir });
    expect(await store.tasks.require("task-1")).toEqual(makeTask("task-1"));
  });

  it("writes a headed file", async () => {
    await store.tasks.put(makeTask("task-1"));
    const file = JSON.parse(await readFile(join(dataDir, "tasks.json"), "utf8")) as Record<string, unknown>;
    expect(file).toMatchObject({ format: STORE_FORMAT, collection: "tasks", schemaVersion: 1, records: [{ id: "task-1" }] });
    expect(store.tasks.file).toBe(join(dataDir, "tasks.json"));
  });

  it("returns records in insertion order, a replacement keeping its place", async () => {
    await store.tasks.put(makeTask("c"));
    await store.tasks.put(makeTask("a"));
    await store.tasks.put(makeTask("b"));
    await store.tasks.put(makeTask("a", "a new goal"));
    const all = await store.tasks.all();
    expect(all.map((task) => task.id)).toEqual(["c", "a", "b"]);
    expect(all[1]?.goal).toBe("a new goal");
    expect(await store.tasks.count()).toBe(3);

    await store.close();
    store = await openStore({ dataDir });
    expect((await store.tasks.all()).map((task) => task.id)).toEqual(["c", "a", "b"]);
  });

  it("finds and removes records", async () => {
    await store.tasks.putMany([makeTask("t1", "refund"), makeTask("t2", "cancel"), makeTask("t3", "refund twice")]);
    expect((await store.tasks.find((task) => task.goal.startsWith("refund"))).map((task) => task.id)).toEqual(["t1", "t3"]);
    expect(await store.tasks.remove("t1")).toBe(true);
    expect(await store.tasks.remove("t1")).toBe(false);
    expect((await store.tasks.all()).map((task) => task.id)).toEqual(["t2", "t3"]);

    await store.close();
    store = await openStore({ dataDir });
    expect(await store.tasks.get("t1")).toBeUndefined();
    expect(await store.tasks.count()).toBe(2);
  });

  it("hands out copies: mutating a returned record changes nothing stored", async () => {
    const task = makeTask("task-1");
    await store.tasks.put(task);
    task.goal = "changed after put";
    const read = await store.tasks.require("task-1");
    read.goal = "changed after get";
    expect((await store.tasks.require("task-1")).goal).toBe("Refund order ORD-10042");
  });

  it("view hands out the stored records themselves, frozen: changing one throws and changes nothing", async () => {
    await store.tasks.putMany([makeTask("task-1"), makeTask("task-2")]);
    const view = await store.tasks.view();
    expect(view.records.map((task) => task.id)).toEqual(["task-1", "task-2"]);
    expect(view.positionOf("task-2")).toBe(1);
    expect(view.positionOf("task-9")).toBeUndefined();
    expect((await store.tasks.view()).records).toBe(view.records); // no copy
    const first = view.records[0] as TaskRecord;
    expect(() => {
      first.goal = "changed";
    }).toThrow(TypeError);
    expect(() => {
      first.persona.name = "changed";
    }).toThrow(TypeError);
    expect((await store.tasks.require("task-1")).goal).toBe("Refund order ORD-10042");
  });

  it("reads what another store on the directory wrote, and a write re-reads the file first: nothing is lost", async () => {
    const other = await openStore({ dataDir });
    try {
      await store.tasks.put(makeTask("a"));
      expect(await other.tasks.count()).toBe(1);
      await other.tasks.put(makeTask("b"));
      await other.tasks.put(makeTask("a", "changed elsewhere"));
      expect((await store.tasks.require("a")).goal).toBe("changed elsewhere");
      await store.tasks.put(makeTask("c")); // this store's cache is behind the file: the write merges by id
      expect(await store.tasks.remove("b")).toBe(true);
      expect((await other.tasks.all()).map((task) => [task.id, task.goal])).toEqual([
        ["a", "changed elsewhere"],
        ["c", "Refund order ORD-10042"],
      ]);
    } finally {
      await other.close();
    }
  });

  it("refuses an invalid record with the path and problem, writing nothing", async () => {
    await store.tasks.put(makeTask("task-1"));
    const before = await readFile(store.tasks.file, "utf8");
    const invalid = { ...makeTask("task-2"), persona: { name: "", style: "terse" } } as unknown as TaskRecord;
    const error = await store.tasks.put(invalid).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain('invalid task (id "task-2")');
    expect((error as InputError).problems.join("\n")).toMatch(/persona\.name: /);
    expect(await readFile(store.tasks.file, "utf8")).toBe(before);
    expect(await store.tasks.count()).toBe(1);
  });

  it("putMany validates everything first: one invalid record and nothing is stored", async () => {
    const error = await store.tools.putMany([makeTool("t1"), { ...makeTool("t2"), name: "not a valid name!" }]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]).toMatch(/^records\[1\] \(id "t2"\) name: /);
    expect(await store.tools.count()).toBe(0);
  });

  it("putMany of 6,000 tools is one write", async () => {
    const tools = Array.from({ length: 6000 }, (_, index) => makeTool(`tool-${index}`));
    let renames = 0;
    const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 200)); // let the watcher deliver its events
    // A write goes to a temporary file renamed to `tools.json`: one rename per write.
    const watcher = watch(dataDir, (event, name) => {
      if (event === "rename" && name === "tools.json") renames += 1;
    });
    try {
      await store.tools.putMany(tools);
      await settle();
      expect(renames).toBe(1);
      // The watcher does see every write: two puts are two more.
      await store.tools.put(makeTool("tool-6000"));
      await store.tools.put(makeTool("tool-6001"));
      await settle();
      expect(renames).toBe(3);
    } finally {
      watcher.close();
    }
    expect(await store.tools.count()).toBe(6002);
    expect((await store.tools.all()).at(-1)?.id).toBe("tool-6001");
  });

  it("lands every one of 32 concurrent puts", async () => {
    await Promise.all(Array.from({ length: 32 }, (_, index) => store.tasks.put(makeTask(`task-${index}`))));
    expect(await store.tasks.count()).toBe(32);
    await store.close();
    store = await openStore({ dataDir });
    expect(await store.tasks.count()).toBe(32);
  });
});

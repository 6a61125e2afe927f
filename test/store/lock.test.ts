import { spawn, type ChildProcess } from "node:child_process";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StoreLockedError } from "../../src/errors/store-locked-error.js";
import { LOCK_FILE_NAME, openStore } from "../../src/store/index.js";
import { acquireFileLock } from "../../src/store/lock.js";
import { deadPid, makeTask, makeTempDir, removeDir } from "./fixtures.js";

/** These tests speak the locks' on-disk protocol directly: a JSON lock file naming the holder. */

let dataDir: string;
let sleeper: ChildProcess | undefined;

beforeEach(async () => {
  dataDir = await makeTempDir();
});

afterEach(async () => {
  sleeper?.kill("SIGKILL");
  sleeper = undefined;
  await removeDir(dataDir);
});

function lockFor(pid: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    pid,
    hostname: hostname(),
    command: "node agentsynth run pipeline.json",
    startedAt: "2025-01-02T03:04:05.000Z",
    lockedAt: "2025-01-02T03:04:06.000Z",
    token: "someone-else",
    ...extra,
  });
}

function startSleeper(): number {
  sleeper = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  if (sleeper.pid === undefined) throw new Error("could not start a child process");
  return sleeper.pid;
}

async function expectTakenOver(): Promise<void> {
  const store = await openStore({ dataDir });
  expect(await readdir(dataDir)).not.toContain(LOCK_FILE_NAME); // removed: this version never holds it
  await store.tasks.put(makeTask("task-1"));
  await store.close();
  expect((await readdir(dataDir)).filter((name) => name.includes(".lock"))).toEqual([]); // no aside copies, no catalog lock left
}

describe("the lock of an older agentsynth (store.lock)", () => {
  it("refuses a directory a live older process holds for itself, naming the directory and the holder", async () => {
    const pid = startSleeper();
    await writeFile(join(dataDir, LOCK_FILE_NAME), lockFor(pid));
    const error = await openStore({ dataDir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreLockedError);
    expect((error as StoreLockedError).code).toBe("STORE_LOCKED");
    const message = (error as Error).message;
    expect(message).toContain(`data directory ${dataDir} is in use by process ${pid}`);
    expect(message).toContain("node agentsynth run pipeline.json");
    expect(message).toContain("started 2025-01-02T03:04:05.000Z");
    expect(message).toContain("an older agentsynth that needs the directory to itself");
    expect(await readFile(join(dataDir, LOCK_FILE_NAME), "utf8")).toBe(lockFor(pid)); // left alone
  });

  it("removes a stale lock whose process is gone", async () => {
    await writeFile(join(dataDir, LOCK_FILE_NAME), lockFor(deadPid()));
    await expectTakenOver();
  });

  it("removes a lock naming this process's pid that this process does not hold (a pid reused after a restart)", async () => {
    await writeFile(join(dataDir, LOCK_FILE_NAME), lockFor(process.pid));
    await expectTakenOver();
  });

  it.runIf(process.platform === "linux")("removes a lock whose pid now belongs to another process (start time differs)", async () => {
    const pid = startSleeper();
    await writeFile(join(dataDir, LOCK_FILE_NAME), lockFor(pid, { processStart: "another-boot:12345" }));
    await expectTakenOver();
  });

  it("removes a lock file left empty or garbled by a process killed while creating it", async () => {
    await writeFile(join(dataDir, LOCK_FILE_NAME), "");
    await expectTakenOver();
    await writeFile(join(dataDir, LOCK_FILE_NAME), '{"pid": 12');
    await expectTakenOver();
  });

  it("refuses a lock from another host (it cannot be checked) and says how to clear it", async () => {
    const file = join(dataDir, LOCK_FILE_NAME);
    await writeFile(file, lockFor(deadPid(), { hostname: "build-server-7" }));
    const error = await openStore({ dataDir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreLockedError);
    expect((error as Error).message).toMatch(/process \d+ on host build-server-7/);
    expect((error as Error).message).toContain(`if that process is gone, delete ${file}`);
  });
});

describe("the short lock of a catalog write", () => {
  const lockFile = (): string => join(dataDir, "tasks.json.lock");

  it("waits while a live process holds it, and names the holder when it holds it too long", async () => {
    const pid = startSleeper();
    await writeFile(lockFile(), lockFor(pid));
    const error = await acquireFileLock(lockFile(), { timeoutMs: 300 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreLockedError);
    expect((error as Error).message).toContain(`data directory ${dataDir} is in use by process ${pid}`);
    expect((error as Error).message).toContain("which has held tasks.json.lock too long");
    expect(await readFile(lockFile(), "utf8")).toBe(lockFor(pid));
  });

  it("takes it as soon as the holder lets go", async () => {
    const pid = startSleeper();
    await writeFile(lockFile(), lockFor(pid));
    const waiting = acquireFileLock(lockFile(), { timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await rm(lockFile());
    const lock = await waiting;
    expect(JSON.parse(await readFile(lockFile(), "utf8"))).toMatchObject({ pid: process.pid });
    await lock.release();
    await lock.release(); // twice is fine
    expect(await readdir(dataDir)).toEqual([]);
  });

  it("a lock left by a writer that died is taken over: the catalog write goes through", async () => {
    await writeFile(lockFile(), lockFor(deadPid()));
    const store = await openStore({ dataDir });
    await store.tasks.put(makeTask("task-1"));
    expect(await store.tasks.count()).toBe(1);
    await store.close();
    expect(await readdir(dataDir)).not.toContain("tasks.json.lock");
  });

  it("one process waits for another of its own locks: writes of two stores in one process are serialized, none lost", async () => {
    const first = await openStore({ dataDir });
    const second = await openStore({ dataDir });
    await Promise.all(Array.from({ length: 20 }, (_, index) => (index % 2 ? first : second).tasks.put(makeTask(`task-${index}`))));
    expect(await first.tasks.count()).toBe(20);
    expect(await second.tasks.count()).toBe(20);
    await Promise.all([first.close(), second.close()]);
  });

  it("release does not delete a lock that is no longer ours", async () => {
    const lock = await acquireFileLock(lockFile());
    const foreign = lockFor(deadPid());
    await writeFile(lockFile(), foreign);
    await lock.release();
    expect(await readFile(lockFile(), "utf8")).toBe(foreign);
  });
});

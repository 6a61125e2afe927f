import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StoreLockedError } from "../../src/errors/store-locked-error.js";
import { LOCK_FILE_NAME, openStore } from "../../src/store/index.js";
import { makeTask, makeTempDir, removeDir } from "./fixtures.js";

/** These tests speak the lock's on-disk protocol directly: a JSON `store.lock` naming the holder. */

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

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  expect(child.pid).toBeGreaterThan(0);
  return child.pid;
}

function startSleeper(): number {
  sleeper = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  if (sleeper.pid === undefined) throw new Error("could not start a child process");
  return sleeper.pid;
}

async function expectTakenOver(): Promise<void> {
  const store = await openStore({ dataDir });
  const lock = JSON.parse(await readFile(join(dataDir, LOCK_FILE_NAME), "utf8")) as { pid: number };
  expect(lock.pid).toBe(process.pid);
  await store.tasks.put(makeTask("task-1"));
  await store.close();
  expect((await readdir(dataDir)).filter((name) => name.startsWith(LOCK_FILE_NAME))).toEqual([]); // no aside copies left
}

describe("data-directory lock", () => {
  it("refuses a directory held by a live process, naming the directory and the holder", async () => {
    const pid = startSleeper();
    await writeFile(join(dataDir, LOCK_FILE_NAME), lockFor(pid));
    const error = await openStore({ dataDir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreLockedError);
    expect((error as StoreLockedError).code).toBe("STORE_LOCKED");
    const message = (error as Error).message;
    expect(message).toContain(`data directory ${dataDir} is in use by process ${pid}`);
    expect(message).toContain("node agentsynth run pipeline.json");
    expect(message).toContain("started 2025-01-02T03:04:05.000Z");
    expect(await readFile(join(dataDir, LOCK_FILE_NAME), "utf8")).toBe(lockFor(pid)); // left alone
  });

  it("takes over a stale lock whose process is gone", async () => {
    await writeFile(join(dataDir, LOCK_FILE_NAME), lockFor(deadPid()));
    await expectTakenOver();
  });

  it("takes over a lock naming this process's pid that this process does not hold (a pid reused after a restart)", async () => {
    await writeFile(join(dataDir, LOCK_FILE_NAME), lockFor(process.pid));
    await expectTakenOver();
  });

  it.runIf(process.platform === "linux")("takes over a lock whose pid now belongs to another process (start time differs)", async () => {
    const pid = startSleeper();
    await writeFile(join(dataDir, LOCK_FILE_NAME), lockFor(pid, { processStart: "another-boot:12345" }));
    await expectTakenOver();
  });

  it("takes over a lock file left empty or garbled by a process killed while creating it", async () => {
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

  it("close does not delete a lock that is no longer ours", async () => {
    const store = await openStore({ dataDir });
    const foreign = lockFor(deadPid());
    await writeFile(join(dataDir, LOCK_FILE_NAME), foreign);
    await store.close();
    expect(await readFile(join(dataDir, LOCK_FILE_NAME), "utf8")).toBe(foreign);
  });
});

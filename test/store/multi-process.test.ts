import { spawn } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LOCK_FILE_NAME, openStore, STORE_FORMAT } from "../../src/store/index.js";
import { locateBuiltStore } from "./built-store.js";
import { makeEpisode, makeTask, makeTempDir, removeDir } from "./fixtures.js";

/** Tries to open the store and says how it went; exits without close() so the exit-time release is exercised too. */
const OPEN_SCRIPT = `
const [storeUrl, dataDir] = process.argv.slice(2);
const { openStore } = await import(storeUrl);
try {
  const store = await openStore({ dataDir });
  console.log(JSON.stringify({ opened: true, tasks: await store.tasks.count(), episodes: await store.episodes.count() }));
} catch (error) {
  console.log(JSON.stringify({ opened: false, name: error.name, code: error.code, message: error.message }));
}
`;

/** Appends episodes from three concurrent loops, printing each id once its append has resolved, until killed. */
const WRITER_SCRIPT = `
import { readFileSync } from "node:fs";
const [storeUrl, dataDir, templateFile] = process.argv.slice(2);
const { openStore } = await import(storeUrl);
const template = JSON.parse(readFileSync(templateFile, "utf8"));
const store = await openStore({ dataDir, shardSize: 7 });
let next = 0;
async function write() {
  for (;;) {
    const id = "ep-" + next++;
    await store.episodes.append({ ...template, id });
    process.stdout.write(id + "\\n");
  }
}
await Promise.all([write(), write(), write()]);
`;

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

let storeUrl: string;
let root: string;
let dataDir: string;

beforeAll(async () => {
  storeUrl = await locateBuiltStore();
});

beforeEach(async () => {
  root = await makeTempDir();
  dataDir = join(root, "data");
  await writeFile(join(root, "open.mjs"), OPEN_SCRIPT);
  await writeFile(join(root, "writer.mjs"), WRITER_SCRIPT);
});

afterEach(async () => {
  await removeDir(root);
});

function runChild(script: string, args: string[], onLine?: (line: string, kill: () => void) => void): Promise<ChildResult> {
  const child = spawn(process.execPath, [join(root, script), storeUrl, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let pending = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) onLine?.(line, () => child.kill("SIGKILL"));
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  // "exit" fires once the child is reaped, so its pid is really gone afterwards.
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function parseReport(result: ChildResult): Record<string, unknown> {
  const line = result.stdout.trim().split("\n").at(-1);
  if (!line) throw new Error(`the child printed nothing (exit ${result.code}): ${result.stderr}`);
  return JSON.parse(line) as Record<string, unknown>;
}

describe("two processes on one data directory", () => {
  it("a second process is refused while this one holds the directory, and the data stays intact", async () => {
    const store = await openStore({ dataDir });
    await store.tasks.put(makeTask("task-1"));
    await store.episodes.append(makeEpisode("ep-1"));
    const lockBefore = await readFile(join(dataDir, LOCK_FILE_NAME), "utf8");

    const refused = parseReport(await runChild("open.mjs", [dataDir]));
    expect(refused).toMatchObject({ opened: false, name: "StoreLockedError", code: "STORE_LOCKED" });
    expect(refused.message).toContain(`data directory ${dataDir} is in use by process ${process.pid}`);
    expect(refused.message).toMatch(/started \d{4}-\d\d-\d\dT/);

    expect(await readFile(join(dataDir, LOCK_FILE_NAME), "utf8")).toBe(lockBefore);
    expect(await store.tasks.require("task-1")).toEqual(makeTask("task-1"));
    expect(await store.episodes.require("ep-1")).toEqual(makeEpisode("ep-1"));
    await store.episodes.append(makeEpisode("ep-2"));
    await store.close();

    // Once released, the other process gets in and sees everything; it exits without close() and the
    // exit-time release still removes its lock.
    const opened = parseReport(await runChild("open.mjs", [dataDir]));
    expect(opened).toEqual({ opened: true, tasks: 1, episodes: 2 });
    expect(await readdir(dataDir)).not.toContain(LOCK_FILE_NAME);
  });

  it("a writer killed mid-run: the stale lock is taken over, every reported record is readable, no shard is corrupt", async () => {
    const templateFile = join(root, "episode.json");
    await writeFile(templateFile, JSON.stringify(makeEpisode("template")));
    const reported: string[] = [];
    const result = await runChild("writer.mjs", [dataDir, templateFile], (line, kill) => {
      reported.push(line);
      if (reported.length === 120) kill();
    });
    expect(result.signal, result.stderr).toBe("SIGKILL");
    expect(reported.length).toBeGreaterThanOrEqual(120);
    expect(await readdir(dataDir)).toContain(LOCK_FILE_NAME); // no exit handler runs on SIGKILL

    const store = await openStore({ dataDir, shardSize: 7 });
    for (const id of reported) expect((await store.episodes.get(id))?.id).toBe(id);

    const scanned: string[] = [];
    for await (const episode of store.episodes.scan()) scanned.push(episode.id);
    expect(new Set(scanned).size).toBe(scanned.length);
    expect(scanned).toEqual(expect.arrayContaining(reported));
    expect(await store.episodes.count()).toBe(scanned.length);

    const directory = join(dataDir, "episodes");
    const shards = (await readdir(directory)).filter((name) => name.startsWith("shard-"));
    expect(shards.length).toBeGreaterThan(10);
    for (const name of shards) {
      const file = JSON.parse(await readFile(join(directory, name), "utf8")) as { format: string; records: unknown[] };
      expect(file.format).toBe(STORE_FORMAT);
      expect(file.records.length).toBeLessThanOrEqual(7);
    }

    await store.episodes.append(makeEpisode("after-the-crash"));
    expect((await store.episodes.require("after-the-crash")).id).toBe("after-the-crash");
    await store.close();
  });
});

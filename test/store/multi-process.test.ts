import { spawn } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openStore, STORE_FORMAT } from "../../src/store/index.js";
import { locateBuiltStore } from "./built-store.js";
import { makeEpisode, makeJudgment, makeTask, makeTempDir, removeDir } from "./fixtures.js";

/**
 * Appends `count` episodes (and a judgment for every third) from three concurrent loops, and puts `count / 5`
 * tasks one at a time, printing each id once its write has resolved; then closes, or (with no count) goes
 * on until killed.
 */
const WRITER_SCRIPT = `
import { readFileSync } from "node:fs";
const [storeUrl, dataDir, recordsFile, name, countText] = process.argv.slice(2);
const { openStore } = await import(storeUrl);
const { episode, judgment, task } = JSON.parse(readFileSync(recordsFile, "utf8"));
const count = countText ? Number(countText) : Infinity;
const store = await openStore({ dataDir, shardSize: 7 });
let next = 0;
async function appendEpisodes() {
  while (next < count) {
    const index = next++;
    const id = name + "-ep-" + index;
    await store.episodes.append({ ...episode, id });
    process.stdout.write(id + "\\n");
    if (index % 3 === 0) await store.judgments.append({ ...judgment, id: name + "-j-" + index, episodeId: id });
  }
}
async function putTasks() {
  for (let index = 0; index < count / 5; index += 1) {
    const id = name + "-task-" + index;
    await store.tasks.put({ ...task, id });
    process.stdout.write(id + "\\n");
  }
}
await Promise.all([appendEpisodes(), appendEpisodes(), appendEpisodes(), putTasks()]);
await store.close();
`;

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: string[];
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
  await writeFile(join(root, "writer.mjs"), WRITER_SCRIPT);
  await writeFile(join(root, "records.json"), JSON.stringify({ episode: makeEpisode("template"), judgment: makeJudgment("template", "template"), task: makeTask("template") }));
});

afterEach(async () => {
  await removeDir(root);
});

/** Runs a writer; `onLine` may kill it. */
function runWriter(args: string[], onLine?: (line: string, kill: () => void) => void): Promise<ChildResult> {
  const child = spawn(process.execPath, [join(root, "writer.mjs"), storeUrl, dataDir, join(root, "records.json"), ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let stderr = "";
  let pending = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk;
    const complete = pending.split("\n");
    pending = complete.pop() ?? "";
    for (const line of complete) {
      lines.push(line);
      onLine?.(line, () => child.kill("SIGKILL"));
    }
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  // "exit" fires once the child is reaped, so its pid is really gone afterwards.
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal, lines, stderr }));
  });
}

describe("several processes on one data directory", () => {
  it("three writers at once: every episode, judgment and task of each is there, and a reader open throughout sees them all", async () => {
    const reader = await openStore({ dataDir });
    expect(await reader.episodes.count()).toBe(0); // its index exists before the writers start
    const results = await Promise.all(["a", "b", "c"].map((name) => runWriter([name, "60"])));
    for (const result of results) expect(result.code, result.stderr).toBe(0);

    const written = results.flatMap((result) => result.lines);
    expect(written).toHaveLength(3 * (60 + 12));
    const episodeIds = written.filter((id) => id.includes("-ep-"));
    const taskIds = written.filter((id) => id.includes("-task-"));
    expect(await reader.episodes.count()).toBe(180);
    for (const id of episodeIds) expect((await reader.episodes.get(id))?.id).toBe(id);
    expect((await reader.tasks.all()).map((task) => task.id).sort()).toEqual([...taskIds].sort());
    expect(await reader.statistics()).toMatchObject({ episodes: 180, judgments: 60, verdicts: { pass: 60, unjudged: 120 } });
    const scanned: string[] = [];
    for await (const episode of reader.episodes.scan()) scanned.push(episode.id);
    expect([...scanned].sort()).toEqual([...episodeIds].sort());
    await reader.close();

    const files = await readdir(join(dataDir, "episodes"));
    const writers = new Set<number>();
    for (const name of files.filter((file) => file.endsWith(".jsonl"))) {
      const [header, ...records] = (await readFile(join(dataDir, "episodes", name), "utf8")).trim().split("\n");
      writers.add((JSON.parse(header ?? "{}") as { writer: { pid: number } }).writer.pid);
      expect(records.length).toBeLessThanOrEqual(7);
      const prefixes = new Set(records.map((line) => (JSON.parse(line) as { id: string }).id.split("-")[0]));
      expect(prefixes.size, `${name} holds one writer's records`).toBe(1);
    }
    expect(writers.size).toBe(3);
    expect((await readdir(dataDir)).filter((name) => name.includes(".lock") || name.endsWith(".tmp"))).toEqual([]);
  });

  it("a writer killed mid-run: every record it reported is readable, nothing is corrupt, the others go on", async () => {
    const reported: string[] = [];
    const result = await runWriter(["killed"], (line, kill) => {
      if (line.includes("-ep-")) reported.push(line);
      if (reported.length === 120) kill();
    });
    expect(result.signal, result.stderr).toBe("SIGKILL");
    expect(reported.length).toBeGreaterThanOrEqual(120);

    const warnings: string[] = [];
    const store = await openStore({ dataDir, shardSize: 7, onWarning: (message) => warnings.push(message) });
    for (const id of reported) expect((await store.episodes.get(id))?.id).toBe(id);
    const scanned: string[] = [];
    for await (const episode of store.episodes.scan()) scanned.push(episode.id);
    expect(new Set(scanned).size).toBe(scanned.length);
    expect(scanned).toEqual(expect.arrayContaining(reported));
    expect(await store.episodes.count()).toBe(scanned.length);
    for (const warning of warnings) expect(warning).toMatch(/dropped a torn last record/);

    const directory = join(dataDir, "episodes");
    const shards = (await readdir(directory)).filter((name) => name.endsWith(".jsonl"));
    expect(shards.length).toBeGreaterThan(10);
    for (const name of shards) {
      const header = JSON.parse((await readFile(join(directory, name), "utf8")).split("\n")[0] ?? "") as { format: string };
      expect(header.format).toBe(STORE_FORMAT);
    }

    await store.episodes.append(makeEpisode("after-the-crash"));
    expect((await store.episodes.require("after-the-crash")).id).toBe("after-the-crash");
    expect(await store.episodes.count()).toBe(scanned.length + 1);
    await store.close();
  });
});

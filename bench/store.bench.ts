import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { SCHEMA_VERSION } from "../src/domain/common.js";
import type { DatasetRecord } from "../src/domain/dataset.js";
import { openStore } from "../src/store/open-store.js";
import { makeEpisode, makeJudgment, makeTool } from "../test/store/fixtures.js";
import { openBenchHost, type BenchHost } from "./mcp-host.js";
import { median, milliseconds, type RatioResult } from "./ratio-table.js";

const run = promisify(execFile);

const SMALL = 1_000;
const LARGE = 100_000;
/** Appends in flight while filling: the store writes whatever is queued together, so filling is fast. */
const FILL_CHUNK = 1_000;
/** Every tenth episode gets a judgment. */
const JUDGED_EVERY = 10;
const STATS_CALLS = 200;
const LIST_CALLS = 200;
const WARM_UP_ROUNDS = 10;
const SHARD_SIZE = 200;
const APPEND_SHARDS = 4;
const POSITIONS_MEASURED = 10;

/** The store benchmarks: appends within a shard, get_stats, list_tools and export, each as a ratio measured in this run. */
export async function benchStore(log: (line: string) => void): Promise<RatioResult[]> {
  const root = await mkdtemp(join(tmpdir(), "agentsynth-bench-store-"));
  try {
    const results = [await benchAppends(root, log), await benchListTools(root, log)];
    const small = join(root, "small");
    const large = join(root, "large");
    log(`filling a store with ${SMALL.toLocaleString("en")} episodes and one with ${LARGE.toLocaleString("en")} (≈5 KB each, a judgment for every ${JUDGED_EVERY}th)…`);
    await fillEpisodes(small, SMALL, log);
    await fillEpisodes(large, LARGE, log);
    results.push(await benchStats(root, small, large, log));
    results.push(...(await benchExport(root, large, log)));
    return results;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** An append near the end of a shard against one near its start (the first, which creates the shard, left out). */
async function benchAppends(root: string, log: (line: string) => void): Promise<RatioResult> {
  const store = await openStore({ dataDir: join(root, "appends"), shardSize: SHARD_SIZE });
  const template = makeEpisode("template");
  const early: number[] = [];
  const late: number[] = [];
  try {
    for (let index = 0; index < APPEND_SHARDS * SHARD_SIZE; index += 1) {
      const started = performance.now();
      await store.episodes.append({ ...template, id: `ep-${index}` });
      const elapsed = performance.now() - started;
      const position = index % SHARD_SIZE;
      if (position >= 1 && position <= POSITIONS_MEASURED) early.push(elapsed);
      if (position >= SHARD_SIZE - POSITIONS_MEASURED) late.push(elapsed);
    }
  } finally {
    await store.close();
  }
  const first = median(early);
  const last = median(late);
  log(`appends: ${APPEND_SHARDS * SHARD_SIZE} sequential appends of a ${(Buffer.byteLength(JSON.stringify(template)) / 1024).toFixed(1)} KB episode, each durable (fsync) when it resolves`);
  return { name: "last vs first append within a shard", measured: `positions ${SHARD_SIZE - POSITIONS_MEASURED}–${SHARD_SIZE - 1}: ${milliseconds(last)} / positions 1–${POSITIONS_MEASURED}: ${milliseconds(first)} (medians)`, ratio: last / first, limit: 1.5 };
}

/** A page of list_tools over MCP with 6,000 tools against 100: the first page, and a page near the end. */
async function benchListTools(root: string, log: (line: string) => void): Promise<RatioResult> {
  const hosts: BenchHost[] = [];
  try {
    for (const count of [100, 6_000]) {
      const directory = join(root, `tools-${count}`);
      await mkdir(directory, { recursive: true });
      const store = await openStore({ dataDir: join(directory, "data") });
      await store.tools.putMany(Array.from({ length: count }, (_, index) => makeTool(`tool-${index}`)));
      await store.close();
      hosts.push(await openBenchHost(directory, join(directory, "data")));
    }
    const calls = hosts.flatMap((host, index) => {
      const cursor = Buffer.from(`after:tool-${(index === 0 ? 100 : 6_000) - 60}`, "utf8").toString("base64url"); // as list_tools encodes it
      return [() => host.time("list_tools", { limit: 50 }), () => host.time("list_tools", { limit: 50, cursor })];
    });
    const [smallFirst = 0, smallDeep = 0, largeFirst = 0, largeDeep = 0] = await timeInterleaved(calls, LIST_CALLS);
    log(`list_tools: first page ${milliseconds(largeFirst)} with 6,000 tools, ${milliseconds(smallFirst)} with 100 (ratio ${(largeFirst / smallFirst).toFixed(2)})`);
    return { name: "list_tools page, 6,000 vs 100 tools", measured: `page near the end: ${milliseconds(largeDeep)} / ${milliseconds(smallDeep)} (medians over MCP)`, ratio: largeDeep / smallDeep, limit: 2 };
  } finally {
    for (const host of hosts) await host.close();
  }
}

/**
 * Medians of each call's milliseconds, the calls taken in turn `rounds` times (after a few rounds not
 * counted), so a change of load on the machine weighs on every one alike.
 */
async function timeInterleaved(calls: ReadonlyArray<() => Promise<{ milliseconds: number }>>, rounds: number): Promise<number[]> {
  const timings = calls.map((): number[] => []);
  for (let round = -WARM_UP_ROUNDS; round < rounds; round += 1) {
    for (const [index, call] of calls.entries()) {
      const { milliseconds } = await call();
      if (round >= 0) timings[index]?.push(milliseconds);
    }
  }
  return timings.map(median);
}

async function fillEpisodes(dataDir: string, count: number, log: (line: string) => void): Promise<void> {
  const store = await openStore({ dataDir });
  const template = makeEpisode("template");
  const judgment = makeJudgment("template", "template");
  const started = performance.now();
  try {
    for (let chunk = 0; chunk < count; chunk += FILL_CHUNK) {
      const ids = Array.from({ length: Math.min(FILL_CHUNK, count - chunk) }, (_, offset) => chunk + offset);
      await Promise.all(ids.map((index) => store.episodes.append({ ...template, id: `ep-${index}` })));
      await Promise.all(ids.filter((index) => index % JUDGED_EVERY === 0).map((index) => store.judgments.append({ ...judgment, id: `j-${index}`, episodeId: `ep-${index}`, verdict: index % 20 ? "pass" : "fail", reasons: index % 20 ? [] : ["final_state_mismatch"] })));
    }
    await store.datasets.put(datasetOf(count));
  } finally {
    await store.close();
  }
  log(`  ${count.toLocaleString("en")} episodes stored in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** A dataset keeping every episode, so export writes them all. */
function datasetOf(count: number): DatasetRecord {
  return {
    id: "ds-bench",
    kind: "dataset",
    createdAt: "2026-01-01T00:00:00.000Z",
    schemaVersion: SCHEMA_VERSION,
    provenance: { source: "bench", models: {}, promptHashes: [] },
    name: "bench",
    filter: {},
    episodeIds: Array.from({ length: count }, (_, index) => `ep-${index}`),
    rejected: [],
    rejectionCounts: {},
    exports: [],
  };
}

/** get_stats over MCP at 100,000 episodes against 1,000: the medians of calls taken in turn, after the first (cold) one. */
async function benchStats(root: string, small: string, large: string, log: (line: string) => void): Promise<RatioResult> {
  const hosts: BenchHost[] = [];
  try {
    for (const dataDir of [small, large]) {
      const host = await openBenchHost(await mkdtemp(join(root, "stats-")), dataDir);
      hosts.push(host);
      const cold = await host.time("get_stats");
      const counts = cold.result.counts as { episodes: number; judgments: number };
      log(`get_stats with ${counts.episodes.toLocaleString("en")} episodes and ${counts.judgments.toLocaleString("en")} judgments: first call after opening ${milliseconds(cold.milliseconds)} (reads the shards' index files)`);
    }
    const [smallMs = 0, largeMs = 0] = await timeInterleaved(hosts.map((host) => () => host.time("get_stats")), STATS_CALLS);
    return { name: "get_stats, 100k vs 1k episodes", measured: `${milliseconds(largeMs)} / ${milliseconds(smallMs)} (medians over MCP)`, ratio: largeMs / smallMs, limit: 2 };
  } finally {
    for (const host of hosts) await host.close();
  }
}

interface ChildFigures {
  milliseconds: number;
  cpuMilliseconds: number;
  records: number;
  peakRssMegabytes: number;
}

/** Export of every episode of the large store, in a child process, against one pass of the store's read over the same shards. */
async function benchExport(root: string, dataDir: string, log: (line: string) => void): Promise<RatioResult[]> {
  const child = join(import.meta.dirname, "export-child.js");
  const measure = async (args: string[]): Promise<ChildFigures> => JSON.parse((await run(process.execPath, [child, ...args], { maxBuffer: 2 ** 20 })).stdout) as ChildFigures;
  const read = await measure(["read", dataDir]);
  const exported = await measure(["export", dataDir, join(root, "export")]);
  if (read.records !== LARGE || exported.records !== LARGE) throw new Error(`expected ${LARGE} records, read ${read.records} and exported ${exported.records}`);
  log(`export: ${LARGE.toLocaleString("en")} episodes in ${seconds(exported.cpuMilliseconds)} CPU, ${seconds(exported.milliseconds)} wall; one read pass over the same shards ${seconds(read.cpuMilliseconds)} CPU, ${seconds(read.milliseconds)} wall (peak RSS ${Math.round(read.peakRssMegabytes)} MB)`);
  return [
    { name: "export of 100k episodes vs one read pass", measured: `${seconds(exported.cpuMilliseconds)} / ${seconds(read.cpuMilliseconds)} CPU time (child processes)`, ratio: exported.cpuMilliseconds / read.cpuMilliseconds, limit: 1.5 },
    { name: "export of 100k episodes: peak RSS vs 512 MB", measured: `${Math.round(exported.peakRssMegabytes)} MB / 512 MB`, ratio: exported.peakRssMegabytes / 512, limit: 1 },
  ];
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}

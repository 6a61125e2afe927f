import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { CancelledError } from "../../../src/errors/cancelled-error.js";
import { InputError } from "../../../src/errors/input-error.js";
import { ROW_STATUS, ROW_VERDICT, VERIFICATION_OUTCOMES } from "../../../src/export/report/report-model.js";
import { writeReport, type WriteReportOptions } from "../../../src/export/report/write-report.js";
import { reportAssetsPath } from "../../../src/pipeline/package-paths.js";
import { openStore } from "../../../src/store/open-store.js";
import type { Store } from "../../../src/store/types.js";
import { createFixedClock } from "../../../src/support/clock.js";
import { makeEpisode, makeTask, makeTempDir, removeDir } from "../../store/fixtures.js";
import { readDataFile, readManifest, readRows } from "./report-files.js";
import { fillReportStore, SYNTHETIC_REASONS } from "./report-store.js";

const EPISODES = 250;
const PAGING = { rowsPerIndexPage: 100, episodesPerPage: 20, judgmentsPerPage: 60 };

let directory: string;
let store: Store;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  directory = await makeTempDir("agentsynth-report-");
  store = await openStore({ dataDir: join(directory, "data"), shardSize: 40 });
  await fillReportStore(store, EPISODES, { rounds: 1 });
  return async () => {
    await store.close();
    await removeDir(directory);
  };
});

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** A store of its own in a temp folder, closed and removed after the test. */
async function openTempStore(): Promise<{ dataDir: string; store: Store }> {
  const dataDir = await makeTempDir("agentsynth-report-store-");
  cleanups.push(() => removeDir(dataDir));
  const opened = await openStore({ dataDir: join(dataDir, "data") });
  cleanups.push(() => opened.close());
  return { dataDir, store: opened };
}

function options(target: string, extra: Partial<WriteReportOptions> = {}): WriteReportOptions {
  return { store, directory: target, assetsDirectory: reportAssetsPath(), clock: createFixedClock(), paging: PAGING, ...extra };
}

describe("writeReport", () => {
  it("writes the list, the episodes and the judgments of many episodes in pages, each a script that registers its data", async () => {
    const target = join(directory, "out", "many");
    const summary = await writeReport(options(target));
    expect(summary).toMatchObject({ episodes: EPISODES, kept: 125, rejected: 125, judged: EPISODES, pages: { index: 3, episodes: 13, judgments: 5 } });
    expect(summary.scope).toEqual({ kind: "dataset", datasetId: "ds-synthetic", datasetName: "synthetic" });
    const files = (await readdir(join(target, "data"))).sort();
    expect(files.filter((file) => file.startsWith("index-"))).toEqual(["index-0001.js", "index-0002.js", "index-0003.js"]);
    expect(files.filter((file) => file.startsWith("episodes-"))).toHaveLength(13);
    expect(await readdir(join(target, "assets"))).toEqual(expect.arrayContaining(["report.js", "report.css", "vega.min.js", "vega-lite.min.js", "vega-embed.min.js"]));
    expect(await readFile(join(target, "index.html"), "utf8")).not.toMatch(/https?:\/\//);

    const manifest = await readManifest(target);
    const rows = await readRows(target, manifest);
    expect(rows.map((row) => row.i)).toEqual(Array.from({ length: EPISODES }, (_, index) => `ep-${String(index).padStart(6, "0")}`));
    const { reasons, tools, domains } = manifest.vocabulary;
    expect(domains).toEqual(["online_orders"]);
    expect(tools).toEqual(["get_order"]);
    for (const [ordinal, row] of rows.entries()) {
      expect(row.k).toBe(ordinal % 2 === 0 ? ROW_STATUS.kept : ROW_STATUS.rejected);
      expect(row.v).toBe(ordinal % 3 === 0 ? ROW_VERDICT.fail : ROW_VERDICT.pass);
      const codes = row.r.map((index) => reasons[index]);
      if (ordinal % 2 === 1) expect(codes).toContain(SYNTHETIC_REASONS[((ordinal - 1) / 2) % SYNTHETIC_REASONS.length]);
      if (ordinal % 3 === 0) expect(codes).toContain("tool_not_called_as_expected");
      if (ordinal % 6 === 2 || ordinal % 6 === 4) expect(codes).toEqual([]);
    }
    // A row finds its whole episode by its place in the list, and its judgment by page and slot.
    const row = rows[137];
    const page = await readDataFile<Array<{ id: string; dataset: { status: string; reasons: string[] }; messages: unknown[] }>>(target, "episodes-0007");
    expect(page[137 % PAGING.episodesPerPage]?.id).toBe(row?.i);
    expect(page[137 % PAGING.episodesPerPage]?.dataset).toEqual({ status: "rejected", reasons: ["cap_per_task"] });
    const judgments = await readDataFile<Array<{ episodeId: string }>>(target, `judgments-${String(row?.jp).padStart(4, "0")}`);
    expect(judgments[row?.jq ?? -1]?.episodeId).toBe(row?.i);
  });

  it("sums up the overview: stage counts, rejection reasons, a chart per figure, 'not recorded' where records have nothing", async () => {
    const target = join(directory, "out", "overview");
    await writeReport(options(target));
    const { panels, charts } = await readManifest(target);
    expect(panels.stageCounts.rows).toContainEqual(["kept", "125"]);
    expect(panels.rejectionReasons.rows.map(([reason]) => reason).sort()).toEqual([...SYNTHETIC_REASONS].sort());
    expect(panels.toolAudit).toBeUndefined();
    expect(panels.neverCalled.rows).toEqual([["refund_order", "imported"]]);
    const byId = Object.fromEntries(charts.map((chart) => [chart.id, chart]));
    expect(byId["verification"]?.spec).toBeDefined();
    expect(JSON.stringify(byId["verification"]?.spec)).toContain("not recorded");
    expect(byId["faults"]).toMatchObject({ empty: "no fault was injected" });
    expect(byId["pass-k"]?.empty).toMatch(/not recorded/);
    expect(charts.filter((chart) => chart.spec).map((chart) => chart.id)).toEqual(
      expect.arrayContaining(["stage-counts", "kept-rejected", "rejection-reasons", "score-histogram", "domain-shape", "tool-usage", "calls-per-episode", "user-turns", "episode-length", "executions"]),
    );
  });

  it("replaces its own earlier report, and refuses a folder that is not a report, leaving it as it was", async () => {
    const target = join(directory, "out", "again");
    await writeReport(options(target));
    await writeFile(join(target, "data", "stale-page.js"), "// from an earlier report");
    await writeReport(options(target));
    expect(existsSync(join(target, "data", "stale-page.js"))).toBe(false);

    const foreign = join(directory, "out", "foreign");
    await mkdir(foreign, { recursive: true });
    await writeFile(join(foreign, "notes.txt"), "mine");
    await expect(writeReport(options(foreign))).rejects.toThrow(InputError);
    expect(await readdir(foreign)).toEqual(["notes.txt"]);
    expect((await readdir(join(directory, "out"))).filter((name) => name.startsWith("."))).toEqual([]);
  });

  it("writes nothing through a symbolic link planted as the report folder or above it", async () => {
    const outside = join(directory, "outside");
    await mkdir(outside, { recursive: true });
    const root = join(directory, "linked-root");
    await mkdir(root, { recursive: true });
    await symlink(outside, join(root, "report"));
    await expect(writeReport(options(join(root, "report"), { root }))).rejects.toThrow(/symbolic link/);
    await symlink(outside, join(root, "dataset"));
    await expect(writeReport(options(join(root, "dataset", "report"), { root }))).rejects.toThrow(/link/);
    expect(await readdir(outside)).toEqual([]);
  });

  it("a cancelled report leaves the earlier one whole and no staging folder behind", async () => {
    const target = join(directory, "out", "cancelled");
    await writeReport(options(target));
    const before = await readFile(join(target, "data", "manifest.js"), "utf8");
    const controller = new AbortController();
    const writing = writeReport(options(target, { clock: createFixedClock("2027-01-01T00:00:00.000Z"), signal: controller.signal, onProgress: ({ done }) => done >= 100 && controller.abort() }));
    await expect(writing).rejects.toThrow(CancelledError);
    expect(await readFile(join(target, "data", "manifest.js"), "utf8")).toBe(before);
    expect((await readdir(join(directory, "out"))).filter((name) => name.startsWith("."))).toEqual([]);
  });

  it("says what is wrong with the selection, and writes nothing", async () => {
    const target = join(directory, "out", "bad");
    await expect(writeReport(options(target, { datasetId: "ds-missing" }))).rejects.toThrow(/there is no dataset ds-missing/);
    await expect(writeReport(options(target, { datasetId: "ds-synthetic", runId: "run-1" }))).rejects.toThrow(/either a dataset or a run/);
    await expect(writeReport(options(target, { runId: "run-missing" }))).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(existsSync(target)).toBe(false);
  });
});

describe("a store without a dataset", () => {
  it("gets a report of every stored episode, none of them filtered", async () => {
    const { dataDir, store: bare } = await openTempStore();
    await bare.tasks.put(makeTask("task-1"));
    for (const id of ["ep-a", "ep-b", "ep-c"]) await bare.episodes.append(makeEpisode(id, 1));
    const target = join(dataDir, "report");
    const summary = await writeReport({ store: bare, directory: target, assetsDirectory: reportAssetsPath(), clock: createFixedClock() });
    expect(summary).toMatchObject({ scope: { kind: "all" }, episodes: 3, kept: 0, rejected: 0, judged: 0 });
    const manifest = await readManifest(target);
    expect((await readRows(target, manifest)).map((row) => [row.k, row.v, row.sc])).toEqual(Array(3).fill([ROW_STATUS.unfiltered, ROW_VERDICT.none, -1]));
    expect(manifest.charts.find((chart) => chart.id === "score-histogram")?.empty).toBe("no episode was judged");
  });
});

describe("task shapes and blueprint verification", () => {
  it("are in the rows, the domains × shapes chart and the verification chart; records without them read 'not recorded'", async () => {
    const { dataDir, store: verified } = await openTempStore();
    await verified.tasks.putMany([{ ...makeTask("task-1"), shape: "chained", scenario: "You want your money back for a torn tent." }, makeTask("task-2")]);
    const episodes = [
      { ...makeEpisode("ep-matched", 1), verification: { applicable: true, stateMatches: true, missingFacts: [], diff: [] } },
      { ...makeEpisode("ep-failed", 1), verification: { applicable: true, stateMatches: false, missingFacts: ["189.50"], diff: [{ path: ["orders", "ORD-10040", "status"], expected: "refunded", actual: "delivered" }] } },
      { ...makeEpisode("ep-free", 1), verification: { applicable: false, reason: "free-form tools", missingFacts: [], diff: [] } },
      { ...makeEpisode("ep-old", 1), taskId: "task-2" },
    ];
    for (const episode of episodes) await verified.episodes.append(episode);
    const target = join(dataDir, "report");
    await writeReport({ store: verified, directory: target, assetsDirectory: reportAssetsPath(), clock: createFixedClock() });
    const manifest = await readManifest(target);
    const rows = await readRows(target, manifest);
    expect(rows.map((row) => VERIFICATION_OUTCOMES[row.vo])).toEqual(["state matched", "failed", "not applicable", "not recorded"]);
    expect(rows.map((row) => (row.s < 0 ? "not recorded" : manifest.vocabulary.shapes[row.s]))).toEqual(["chained", "chained", "chained", "not recorded"]);
    const shapes = manifest.charts.find((chart) => chart.id === "domain-shape")?.spec?.data as { values: Array<{ shape: string; count: number }> };
    expect(shapes.values.map((value) => [value.shape, value.count])).toEqual([["chained", 3], ["not recorded", 1]]);
    const page = await readDataFile<Array<{ verification?: { missingFacts: string[] }; task?: { scenario?: string } }>>(target, "episodes-0001");
    expect(page[1]?.verification?.missingFacts).toEqual(["189.50"]);
    expect(page[0]?.task?.scenario).toBe("You want your money back for a torn tent.");
  });
});

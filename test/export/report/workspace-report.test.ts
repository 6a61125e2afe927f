import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openWorkspace, type Workspace } from "../../../src/pipeline/workspace.js";
import { createFixedClock } from "../../../src/support/clock.js";
import { createSequentialIds } from "../../../src/support/ids.js";
import { SMALL_CONFIG } from "../../helpers/mcp-client.js";
import { readManifest, readRows } from "./report-files.js";

let directory: string;
let workspace: Workspace;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "agentsynth-workspace-report-"));
  workspace = await openWorkspace({
    dataDir: join(directory, "data"),
    config: { ...SMALL_CONFIG, tools: { ...SMALL_CONFIG.tools, sources: ["synthetic"] }, simulation: { ...SMALL_CONFIG.simulation, episodesPerTask: 2, faults: { error: 0.2, timeout: 0.1 } } },
    exportRoot: join(directory, "out"),
    env: {},
    ids: createSequentialIds(),
    clock: createFixedClock("2026-01-01T00:00:00.000Z", 1000),
  });
  await workspace.runPipeline({});
});

afterAll(async () => {
  await workspace.close();
  await rm(directory, { recursive: true, force: true });
});

describe("the workspace's report", () => {
  it("goes beside the dataset's export, and agentsynth://report's location says it is written", async () => {
    const before = await workspace.locateReport();
    expect(before.written).toBe(false);
    const summary = await workspace.writeReport();
    const dataset = (await workspace.listDatasets())[0];
    expect(summary.directory).toBe(join(directory, "out", dataset?.name ?? "?", "report"));
    expect(summary.fileUrl).toBe(`file://${summary.indexPath}`);
    expect(summary).toMatchObject({ episodes: 6, judged: 6, kept: dataset?.episodeIds.length, rejected: dataset?.rejected.length });
    expect(await workspace.locateReport()).toMatchObject({ written: true, indexPath: summary.indexPath, datasetId: dataset?.id });
  });

  it("of a run: the episodes it simulated, in the run's own folder", async () => {
    const run = (await workspace.store.runs.all())[0];
    const summary = await workspace.writeReport({ runId: run?.id });
    expect(summary.scope).toMatchObject({ kind: "run", runId: run?.id });
    expect(summary.directory).toBe(join(directory, "out", run?.id ?? "?", "report"));
    expect(summary.episodes).toBe(6);
  });

  it("refuses an output folder outside the export root, writing nothing", async () => {
    await expect(workspace.writeReport({ out: join(directory, "elsewhere") })).rejects.toThrow(/outside the allowed export root/);
    expect(existsSync(join(directory, "elsewhere"))).toBe(false);
  });

  it("every chart is a Vega-Lite spec that compiles and draws marks (rendered to SVG in Node by vega)", async () => {
    const summary = await workspace.writeReport();
    const manifest = await readManifest(summary.directory);
    const drawn = manifest.charts.filter((chart) => chart.spec);
    expect(drawn.length).toBe(summary.charts);
    expect(drawn.map((chart) => chart.id)).toEqual(expect.arrayContaining(["pass-k", "task-success", "tokens-per-role", "faults"]));
    for (const chart of drawn) {
      const view = new View(parse(compile(chart.spec as unknown as TopLevelSpec).spec), { renderer: "none" });
      const svg = await view.toSVG();
      view.finalize();
      expect(svg.match(/<(path|rect|text|line)\b/g)?.length ?? 0, chart.id).toBeGreaterThan(3);
      expect(svg, chart.id).toMatch(/class="mark-(rect|text)[^"]*role-mark/);
    }
  });

  it("the injected faults are in the rows and the faults chart, with the recoveries", async () => {
    const summary = await workspace.writeReport();
    const manifest = await readManifest(summary.directory);
    const rows = await readRows(summary.directory, manifest);
    const faulted = rows.filter((row) => row.f > 0);
    expect(faulted.length).toBeGreaterThan(0);
    const faults = manifest.charts.find((chart) => chart.id === "faults");
    const values = (faults?.spec?.data as { values: Array<{ group: string; count: number }> }).values;
    expect(values.filter((value) => value.group === "injected").reduce((sum, value) => sum + value.count, 0)).toBe(faulted.reduce((sum, row) => sum + row.f, 0));
  });
});

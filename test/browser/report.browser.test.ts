import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReportSummary } from "../../src/domain/report.js";
import type { ReportManifest } from "../../src/export/report/report-model.js";
import { writeReport } from "../../src/export/report/write-report.js";
import { startHttpServer, type RunningHttpServer } from "../../src/mcp/transports/http.js";
import { reportAssetsPath } from "../../src/pipeline/package-paths.js";
import { openWorkspace, type Workspace } from "../../src/pipeline/workspace.js";
import { openStore } from "../../src/store/open-store.js";
import { createFixedClock } from "../../src/support/clock.js";
import { createSequentialIds } from "../../src/support/ids.js";
import { readManifest, readRows } from "../export/report/report-files.js";
import { fillReportStore } from "../export/report/report-store.js";
import { SMALL_CONFIG } from "../helpers/mcp-client.js";
import { launchChromium, openPage, type Browser } from "./chromium.js";
import { comparePictures, summarisePicture } from "./pixels.js";

const TOKEN = "report-test-token";
const BASELINE = join(import.meta.dirname, "baselines", "overview.png");

let directory: string;
let workspace: Workspace;
let report: ReportSummary;
let manifest: ReportManifest;
let browser: Browser;

/** A small offline run with synthetic tools only (nothing a seed does not fix), faults injected and a strict filter. */
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "agentsynth-browser-"));
  const mcpConfigFile = join(directory, "mcp.json");
  await writeFile(mcpConfigFile, JSON.stringify({ mcpServers: {} }));
  workspace = await openWorkspace({
    dataDir: join(directory, "data"),
    mcpConfigFile,
    config: {
      ...SMALL_CONFIG,
      name: "browser",
      tools: { ...SMALL_CONFIG.tools, sources: ["synthetic"] },
      tasks: { count: 4 },
      simulation: { ...SMALL_CONFIG.simulation, episodesPerTask: 2, faults: { error: 0.15, timeout: 0.1 } },
      filter: { minScore: 0.85, requirePass: true, dedupe: true },
    },
    exportRoot: join(directory, "out"),
    env: {},
    ids: createSequentialIds(),
    clock: createFixedClock("2026-01-01T00:00:00.000Z", 1000),
  });
  await workspace.runPipeline({});
  report = await workspace.writeReport();
  manifest = await readManifest(report.directory);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await workspace?.close();
  await rm(directory, { recursive: true, force: true });
});

/** Open a view of the report from disk; every request the page makes must be a file of the report. */
async function openReport(hash = ""): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(browser);
  opened.page.on("request", (request) => {
    if (!request.url().startsWith(pathToFileURL(report.directory).href) && !request.url().startsWith("data:")) opened.errors.push(`request outside the report: ${request.url()}`);
  });
  await opened.page.goto(`${report.fileUrl}${hash}`);
  return opened;
}

/** Wait until every chart of a section that has a spec is drawn (an SVG with marks), and return their ids. */
async function waitForCharts(page: Page, section: "overview" | "coverage"): Promise<string[]> {
  const ids = manifest.charts.filter((chart) => chart.section === section && chart.spec).map((chart) => chart.id);
  for (const id of ids) await page.locator(`figure[data-chart="${id}"] svg .role-mark`).first().waitFor();
  return ids;
}

async function waitForList(page: Page): Promise<number> {
  await listStatus(page, /^[\d,]+ of [\d,]+ episodes match$/);
  return page.locator("#episode-list tbody tr[data-episode]").count();
}

/** Wait until the list's status line says exactly that (a filter has run over every row). */
async function listStatus(page: Page, text: string | RegExp): Promise<void> {
  await page.locator("#list-status", { hasText: typeof text === "string" ? new RegExp(`^${text}$`) : text }).waitFor();
}

async function matchCount(page: Page): Promise<number> {
  const text = (await page.locator("#list-status").textContent()) ?? "";
  return Number(text.split(" of ")[0]?.replace(/,/g, ""));
}

describe("the report from file://", () => {
  it("opens with no console error and no request outside its folder, and every chart draws marks", async () => {
    const { page, errors } = await openReport();
    const overview = await waitForCharts(page, "overview");
    expect(overview).toEqual(expect.arrayContaining(["stage-counts", "kept-rejected", "score-histogram", "pass-k", "verification", "tokens-per-role"]));
    for (const id of overview) expect(await page.locator(`figure[data-chart="${id}"] svg .role-mark > *`).count(), id).toBeGreaterThan(0);
    await expect(page.locator("h1").textContent()).resolves.toBe(manifest.title);
    await page.click('#tabs a[data-view="coverage"]');
    const coverage = await waitForCharts(page, "coverage");
    expect(coverage).toEqual(expect.arrayContaining(["domain-shape", "tool-usage", "calls-per-episode", "user-turns", "episode-length", "executions", "faults"]));
    for (const id of coverage) expect(await page.locator(`figure[data-chart="${id}"] svg .role-mark > *`).count(), id).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("filtering by a reason code narrows the list to the episodes with that code", async () => {
    const rows = await readRows(report.directory, manifest);
    const { reasons } = manifest.vocabulary;
    const [code, expected] = reasons.map((reason, index) => [reason, rows.filter((row) => row.r.includes(index)).length] as const).find(([, count]) => count > 0 && count < rows.length) ?? ["", 0];
    expect(code, "the run rejects some episodes and keeps others").not.toBe("");
    const { page, errors } = await openReport("#episodes");
    expect(await waitForList(page)).toBe(Math.min(rows.length, 50));
    expect(await matchCount(page)).toBe(rows.length);
    await page.selectOption("#filter-reason", code);
    await listStatus(page, `${expected} of ${rows.length} episodes match`);
    expect(await waitForList(page)).toBe(expected);
    expect(await matchCount(page)).toBe(expected);
    for (const cell of await page.locator("#episode-list tbody tr td:nth-child(6)").allTextContents()) expect(cell).toContain(code);
    expect(page.url()).toContain(`reason=${encodeURIComponent(code)}`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("opening an episode shows its messages, its tool calls with their arguments, and the judge's criteria beside them", async () => {
    const rows = await readRows(report.directory, manifest);
    const row = rows.find((candidate) => candidate.c > 0);
    const { page, errors } = await openReport("#episodes");
    await waitForList(page);
    await page.click(`tr[data-episode="${row?.i}"] a.episode-link`);
    await page.waitForSelector("#chat");
    expect(page.url()).toContain(`#episode/${row?.i}`);
    expect(await page.locator('#chat [data-role="user"]').count()).toBe(row?.u);
    expect(await page.locator("#chat .tool-call").count()).toBe(row?.c);
    expect(await page.locator('#chat [data-role="tool"]').count()).toBeGreaterThan(0);
    const argumentsText = (await page.locator("#chat .tool-call pre.arguments").first().textContent()) ?? "";
    expect(() => JSON.parse(argumentsText)).not.toThrow();
    expect(argumentsText).toContain("\n  ");
    expect(await page.locator("#judgment [data-criterion]").count()).toBeGreaterThan(0);
    expect(await page.locator("#judgment .rationale").first().textContent()).not.toBe("");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a rejected record links to its reasons", async () => {
    const rows = await readRows(report.directory, manifest);
    const rejected = rows.find((row) => row.k === 1);
    expect(rejected, "the strict filter rejects an episode").toBeDefined();
    const { page, errors } = await openReport("#episodes?verdict=rejected");
    await waitForList(page);
    await page.click(`tr[data-episode="${rejected?.i}"] td:nth-child(4) a.chip`);
    await page.waitForSelector("#reasons.highlight");
    expect(page.url()).toContain(`#episode/${rejected?.i}/reasons`);
    const reasons = (await page.locator("#reasons").textContent()) ?? "";
    for (const index of rejected?.r ?? []) expect(reasons).toContain(manifest.vocabulary.reasons[index]);
    expect(errors).toEqual([]);
    await page.close();
  });

  /*
   * The overview's screenshot is compared with a committed baseline on a coarse grid of mean luminance (32 × 24
   * cells), not pixel by pixel: another Chromium or font build moves glyph edges and anti-aliasing by a pixel,
   * which a pixel diff counts as change, but a missing chart, a broken layout or an unstyled page moves whole
   * cells. Size and ink (the page is not blank) are checked exactly. UPDATE_BASELINES=1 writes a new baseline.
   */
  it("the overview looks as it did: same size, not blank, close to the baseline on a coarse grid", async () => {
    const { page, errors } = await openReport();
    await waitForCharts(page, "overview");
    const screenshot = await page.screenshot();
    const blank = await browser.context.newPage();
    const shot = await summarisePicture(blank, screenshot);
    expect([shot.width, shot.height]).toEqual([1280, 900]);
    expect(shot.inked).toBeGreaterThan(0.15);
    expect(shot.colours).toBeGreaterThan(20);
    if (process.env.UPDATE_BASELINES === "1" || !existsSync(BASELINE)) {
      await mkdir(join(import.meta.dirname, "baselines"), { recursive: true });
      await writeFile(BASELINE, screenshot);
      expect(process.env.UPDATE_BASELINES, `no baseline at ${BASELINE}: it was written; commit it`).toBe("1");
    }
    const baseline = await summarisePicture(blank, await readFile(BASELINE));
    const distance = comparePictures(shot, baseline);
    expect(distance.mean, "mean luminance difference per cell (0–255)").toBeLessThan(6);
    expect(distance.largest, "largest luminance difference of a cell (0–255)").toBeLessThan(60);
    expect(errors).toEqual([]);
    await blank.close();
    await page.close();
  });
});

describe("a report of many episodes", () => {
  it("pages through a list spread over many data pages, filters across all of them and opens an episode from the last", async () => {
    const dataDir = join(directory, "many");
    const store = await openStore({ dataDir });
    await fillReportStore(store, 1_500, { rounds: 1 });
    const target = join(directory, "many-report");
    const many = await writeReport({ store, directory: target, assetsDirectory: reportAssetsPath(), clock: createFixedClock(), paging: { rowsPerIndexPage: 100, episodesPerPage: 25, judgmentsPerPage: 100 } });
    await store.close();
    expect(many.pages.index).toBe(15);
    const { page, errors } = await openPage(browser);
    await page.goto(`${many.fileUrl}#episodes`);
    expect(await waitForList(page)).toBe(50);
    expect(await page.locator("#list-status").textContent()).toBe("1,500 of 1,500 episodes match");
    await expect(page.locator("#page-number").textContent()).resolves.toBe("page 1 of 30");
    await page.click("#page-next");
    await page.locator("#page-number", { hasText: /^page 2 of 30$/ }).waitFor();
    expect(await page.locator("#episode-list tbody tr[data-episode]").first().getAttribute("data-episode")).toBe("ep-000050");
    await page.selectOption("#filter-reason", "near_duplicate");
    await listStatus(page, "250 of 1,500 episodes match");
    await page.fill("#filter-text", "ep-001497");
    await listStatus(page, "1 of 1,500 episodes match");
    await page.click('tr[data-episode="ep-001497"] a.episode-link');
    await page.waitForSelector("#chat");
    expect(await page.locator("#chat .tool-call").count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("the report over serve --http", () => {
  let server: RunningHttpServer;
  let origin: string;

  beforeAll(async () => {
    server = await startHttpServer(workspace, { host: "127.0.0.1", port: 0, token: TOKEN, log: () => undefined });
    origin = new URL(server.url).origin;
  });

  afterAll(async () => {
    await server?.close();
  });

  it("needs the token: 401 without it, the report with it", async () => {
    const refused = await fetch(`${origin}/report/`, { redirect: "manual" });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toMatch(/token/);
    expect((await fetch(`${origin}/report/${manifest.scope.kind === "dataset" ? manifest.scope.datasetId : "all"}/data/manifest.js`)).status).toBe(401);
    expect((await fetch(`${origin}/report/?token=wrong`, { redirect: "manual" })).status).toBe(401);
    const bearer = { authorization: `Bearer ${TOKEN}` };
    const redirected = await fetch(`${origin}/report`, { headers: bearer, redirect: "manual" });
    expect(redirected.status).toBe(302);
    const index = await fetch(new URL(redirected.headers.get("location") ?? "", origin), { headers: bearer });
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toMatch(/text\/html/);
    expect(await index.text()).toContain("assets/report.js");
  });

  it("a browser opening /report?token=T once sees the report, charts drawn, with no console error", async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${origin}/report?token=${TOKEN}`);
    await waitForCharts(page, "overview");
    expect(page.url()).not.toContain(TOKEN);
    await page.goto(`${new URL(page.url()).origin}${new URL(page.url()).pathname}#episodes`);
    expect(await waitForList(page)).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    // The cookie opens /report only, never the MCP endpoint.
    const mcp = await page.evaluate(async () => (await fetch("/mcp", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status);
    expect(mcp).toBe(401);
    await page.close();
  });
});

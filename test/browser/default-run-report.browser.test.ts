import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReportSummary } from "../../src/domain/report.js";
import { runCli } from "../helpers/run-cli.js";
import { launchChromium, openPage, type Browser } from "./chromium.js";

/** `npm start`'s run (the default config, real MCP servers from npm included), then `agentsynth report`, opened in Chromium. */

let directory: string;
let report: ReportSummary;
let browser: Browser;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "agentsynth-default-report-"));
  const run = await runCli(["run", "--data-dir", "data", "--out", "out"], { cwd: directory, timeoutMs: 240_000 });
  expect(run.code, run.stderr).toBe(0);
  const written = await runCli(["report", "--data-dir", "data", "--out", "out", "--json"], { cwd: directory, timeoutMs: 240_000 });
  expect(written.code, written.stderr).toBe(0);
  report = JSON.parse(written.stdout) as ReportSummary;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await rm(directory, { recursive: true, force: true });
});

describe("the report of the default run", () => {
  it("opens from file:// with no console error, every chart drawn, and lists its 30 episodes", async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(report.fileUrl);
    const charts = page.locator("figure[data-chart] svg .role-mark");
    await charts.first().waitFor();
    for (const figure of await page.locator("figure[data-chart]").all()) {
      if ((await figure.locator("svg").count()) > 0) expect(await figure.locator("svg .role-mark > *").count(), (await figure.getAttribute("data-chart")) ?? "chart").toBeGreaterThan(0);
    }
    expect(await page.locator("h1").textContent()).toContain("default-seed7");
    await page.click('#tabs a[data-view="episodes"]');
    // Every episode the filter saw (the default run simulates 30), kept and rejected.
    await expect.poll(async () => page.locator("#list-status").textContent(), { timeout: 60_000 }).toBe("30 of 30 episodes match");
    expect(errors).toEqual([]);
    await page.close();
  });
});

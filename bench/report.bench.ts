import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { writeReport } from "../src/export/report/write-report.js";
import { reportAssetsPath } from "../src/pipeline/package-paths.js";
import { openStore } from "../src/store/open-store.js";
import { systemClock } from "../src/support/clock.js";
import { fillReportStore } from "../test/export/report/report-store.js";

/** Episodes in the synthetic store (REPORT_BENCH_EPISODES=100000 for the scale; filling takes minutes). */
const EPISODES = Number(process.env.REPORT_BENCH_EPISODES ?? 20_000);

/**
 * Writing the report of a large synthetic store (~5 KB episodes, each judged, half kept) against the floor it
 * cannot beat: one pass reading the same judgment and episode shards. Prints the ratio (1.0 would be free) and
 * the heap peak while writing, which must not grow with the number of episodes.
 */
export async function benchReport(): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), "agentsynth-bench-report-"));
  try {
    const store = await openStore({ dataDir: join(directory, "data") });
    const fillStart = performance.now();
    await fillReportStore(store, EPISODES);
    const fillMs = performance.now() - fillStart;

    const readStart = performance.now();
    let read = 0;
    for await (const judgment of store.judgments.scan()) if (judgment.id) read++;
    for await (const episode of store.episodes.scan()) if (episode.id) read++;
    const readMs = performance.now() - readStart;

    let peakHeap = process.memoryUsage().heapUsed;
    const writeStart = performance.now();
    const report = await writeReport({
      store,
      directory: join(directory, "report"),
      assetsDirectory: reportAssetsPath(),
      clock: systemClock,
      onProgress: () => void (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)),
    });
    const writeMs = performance.now() - writeStart;
    await store.close();

    const lines = [
      `report: ${EPISODES.toLocaleString("en")} episodes of ~5 KB, each judged (store filled in ${(fillMs / 1000).toFixed(1)} s)`,
      `  one-pass read of the judgment and episode shards (${read.toLocaleString("en")} records): ${(readMs / 1000).toFixed(1)} s`,
      `  report written: ${(writeMs / 1000).toFixed(1)} s, ratio ${(writeMs / readMs).toFixed(2)} (1.00 = as fast as reading the shards once)`,
      `  ${report.pages.index} list pages, ${report.pages.episodes} episode pages, ${report.pages.judgments} judgment pages, ${(report.bytes / 2 ** 20).toFixed(0)} MB; heap peak while writing ${(peakHeap / 2 ** 20).toFixed(0)} MB`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

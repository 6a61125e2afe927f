import { performance } from "node:perf_hooks";
import { exportStoredDataset } from "../src/export/export-stored-dataset.js";
import { openStore } from "../src/store/open-store.js";
import { systemClock } from "../src/support/clock.js";

/**
 * Run in a child process by the export benchmark, so its peak memory is its own: `read DATA_DIR` reads every
 * episode once through the store (the one-pass baseline); `export DATA_DIR OUT_DIR` exports the newest
 * dataset. Prints `{"milliseconds": …, "cpuMilliseconds": …, "records": …, "peakRssMegabytes": …}`.
 */
const [mode, dataDir, outDir] = process.argv.slice(2);
if ((mode !== "read" && mode !== "export") || dataDir === undefined || (mode === "export" && outDir === undefined)) {
  process.stderr.write("usage: export-child.js read DATA_DIR | export DATA_DIR OUT_DIR\n");
  process.exit(2);
}
const store = await openStore({ dataDir });
const started = performance.now();
const cpuAtStart = process.cpuUsage();
let records = 0;
if (mode === "read") {
  for await (const episode of store.episodes.scan()) if (episode.id) records += 1;
} else {
  const { written } = await exportStoredDataset(store, { outDir: outDir as string, format: { includeSystemPrompt: true }, clock: systemClock });
  records = written.records;
}
const milliseconds = performance.now() - started;
const cpu = process.cpuUsage(cpuAtStart);
await store.close();
process.stdout.write(`${JSON.stringify({ milliseconds, cpuMilliseconds: (cpu.user + cpu.system) / 1000, records, peakRssMegabytes: process.resourceUsage().maxRSS / 1024 })}\n`);

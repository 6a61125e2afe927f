import { benchImport } from "./import.bench.js";
import { benchPipeline } from "./pipeline.bench.js";
import { benchReport } from "./report.bench.js";
import { formatRatioTable } from "./ratio-table.js";
import { benchStore } from "./store.bench.js";

/** `npm run bench`: every benchmark, each printing its figures as ratios against a baseline from the same run. */
const log = (line: string): void => void process.stdout.write(`${line}\n`);
const ratios = [...(await benchStore(log)), await benchImport(log)];
log(`\n${formatRatioTable(ratios)}\n`);
await benchPipeline();
await benchReport();

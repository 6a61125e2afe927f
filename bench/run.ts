import { benchPipeline } from "./pipeline.bench.js";
import { benchReport } from "./report.bench.js";
import { benchStore } from "./store.bench.js";

/** `npm run bench`: every benchmark, each printing its figures as ratios against a baseline from the same run. */
await benchStore();
await benchPipeline();
await benchReport();

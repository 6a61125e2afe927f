import { benchPipeline } from "./pipeline.bench.js";
import { formatRatioTable } from "./ratio-table.js";

/** `node dist/bench/pipeline-main.js`: the pipeline throughput benchmark alone (`npm run bench` runs every one). */
const ratios = await benchPipeline();
console.log(`\n${formatRatioTable(ratios)}\n`);

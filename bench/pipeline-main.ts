import { benchPipeline } from "./pipeline.bench.js";

/** `node dist/bench/pipeline-main.js`: the pipeline throughput benchmark alone (`npm run bench` runs every one). */
await benchPipeline();

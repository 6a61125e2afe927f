import { answerPipelineRequest } from "../test/helpers/fake-pipeline-endpoint.js";
import { startFakeOpenAIServer } from "../test/helpers/fake-openai-server.js";

/**
 * The fake OpenAI-compatible endpoint of the pipeline benchmark, in a process of its own (forked with IPC), so
 * that its CPU is not the client's: the benchmark measures what the client can drive, and the client's CPU time
 * per request. Messages: "count" → { count }, "close". The latency (ms) is the first argument.
 */
const latencyMs = Number(process.argv[2] ?? "200");
const server = await startFakeOpenAIServer({ handler: (request) => answerPipelineRequest(request), latencyMs, keepRequests: false });
if (!process.send) throw new Error("pipeline-endpoint runs as a forked process");
process.send({ url: server.url });
process.on("message", (message: string) => {
  if (message === "count") process.send?.({ count: server.requestCount() });
  if (message === "close") void server.close().then(() => process.disconnect());
});

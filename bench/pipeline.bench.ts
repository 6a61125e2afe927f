import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChatMessage, ToolCall } from "../src/domain/message.js";
import type { FunctionTool } from "../src/domain/tool.js";
import { createModels } from "../src/model/model-set.js";
import { createOfflineModel } from "../src/model/providers/offline/offline-model.js";
import type { StageEnv } from "../src/model/stage-env.js";
import { evolveDomains } from "../src/generate/evolve-domains.js";
import { generateAgents } from "../src/generate/generate-agents.js";
import { generateTasks } from "../src/generate/generate-tasks.js";
import { loadTaxonomy, parseConfig } from "../src/pipeline/load-config.js";
import { synthesizeTools } from "../src/registry/synthesize-tools.js";
import { simulateTasks } from "../src/simulate/simulate-tasks.js";
import { openStore } from "../src/store/open-store.js";
import { systemClock } from "../src/support/clock.js";
import { randomIds } from "../src/support/ids.js";
import { startFakeOpenAIServer, type FakeOpenAIRequest, type FakeReply } from "../test/helpers/fake-openai-server.js";

const LATENCY_MS = 100;
const CONCURRENCY = 32;
const TASKS = 256;

/**
 * Simulation throughput against a local OpenAI-compatible endpoint that takes 100 ms per request, at
 * concurrency 32. The ideal is 32 / 0.1 s = 320 requests per second; the ratio says how close the
 * pipeline's own overhead (prompting, validation, world state, store appends) lets us get.
 */
export async function benchPipeline(): Promise<void> {
  const config = parseConfig({ seed: 11, domains: { count: 24 }, agents: { count: 24 }, tasks: { count: TASKS } });
  const offlineEnv: StageEnv = { models: createModels(config.models, { seed: config.seed, env: {} }), ids: randomIds, clock: systemClock, seed: config.seed };
  const domains = await evolveDomains(offlineEnv, { taxonomy: await loadTaxonomy(config, process.cwd()), count: config.domains.count });
  const { tools } = await synthesizeTools(offlineEnv, { domains, perDomain: 5, concurrency: 8 });
  const agents = await generateAgents(offlineEnv, { domains, tools, count: config.agents.count, minTools: 3, maxTools: 6, concurrency: 8 });
  const { tasks } = await generateTasks(offlineEnv, { agents, domains, tools, count: TASKS, concurrency: 8 });

  const agentBrain = createOfflineModel({ seed: 3 });
  const server = await startFakeOpenAIServer({ latencyMs: LATENCY_MS, handler: (request) => answer(request, agentBrain) });
  const directory = await mkdtemp(join(tmpdir(), "agentsynth-bench-pipeline-"));
  const store = await openStore({ dataDir: directory });
  try {
    const remote = { provider: "openai" as const, model: "bench-model", baseUrl: server.url, maxRetries: 0 };
    const models = createModels({ default: { provider: "offline", model: "offline" }, agent: remote, userSimulator: remote, toolSimulator: remote }, { seed: config.seed, env: { OPENAI_API_KEY: "bench-key" } });
    const started = performance.now();
    const episodes = await simulateTasks({ ...offlineEnv, models }, {
      tasks,
      agents,
      tools,
      domains,
      episodesPerTask: 1,
      concurrency: CONCURRENCY,
      limits: { maxTurns: 4, maxSteps: 30, maxToolCallsPerTurn: 10 },
      onEpisode: (episode) => store.episodes.append(episode),
    });
    const seconds = (performance.now() - started) / 1000;
    const requests = server.requests.length;
    const ideal = CONCURRENCY / (LATENCY_MS / 1000);
    const requestsPerSecond = requests / seconds;
    const perEpisode = requests / episodes.length;
    console.log(`pipeline: ${episodes.length} episodes, ${requests} requests (${perEpisode.toFixed(1)} per episode) in ${seconds.toFixed(2)} s at concurrency ${CONCURRENCY}, ${LATENCY_MS} ms per request`);
    console.log(`pipeline: ${(episodes.length / seconds).toFixed(1)} episodes/s; ideal ${(ideal / perEpisode).toFixed(1)} episodes/s`);
    console.log(`pipeline: ${requestsPerSecond.toFixed(1)} requests/s vs ideal ${ideal} requests/s → ratio ${(requestsPerSecond / ideal).toFixed(3)}`);
  } finally {
    await store.close();
    await server.close();
    await rm(directory, { recursive: true, force: true });
  }
}

/** The fake endpoint's behaviour: the offline engine plays the agent; the user stops after two agent answers. */
async function answer(request: FakeOpenAIRequest, agentBrain: ReturnType<typeof createOfflineModel>): Promise<FakeReply> {
  const body = request.body as { messages: ChatMessage[]; tools?: FunctionTool[]; response_format?: { json_schema?: { name?: string } } };
  const format = body.response_format?.json_schema?.name;
  if (format === "user_turn") {
    const agentTurns = (body.messages.at(-1)?.content ?? "").split("\nAssistant:").length - 1;
    return { kind: "message", content: JSON.stringify(agentTurns >= 2 ? { message: "", stop: true } : { message: "Please go ahead with my request; my reference is in the order I mentioned.", stop: false }) };
  }
  if (format === "tool_result") {
    return { kind: "message", content: JSON.stringify({ result: { error: "not_found", message: "No record with that id." }, isError: true, stateUpdate: [] }) };
  }
  const response = await agentBrain.generate({ purpose: "agent-turn", messages: body.messages, ...(body.tools ? { tools: body.tools } : {}) });
  return { kind: "message", content: response.content, toolCalls: response.toolCalls.map((call: ToolCall) => ({ id: call.id, name: call.function.name, arguments: call.function.arguments })) };
}

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Session } from "node:inspector/promises";
import { writeFile } from "node:fs/promises";
import { createModels } from "../src/model/model-set.js";
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

const LATENCY_MS = 200;
/** `BENCH_CONCURRENCY=128` measures one level only (for profiling). */
const CONCURRENCIES = process.env.BENCH_CONCURRENCY ? process.env.BENCH_CONCURRENCY.split(",").map(Number) : [32, 128, 256];
/** Requests are counted over this window, after a warm-up in which every lane got going. */
const WARM_UP_MS = 1500;
const MEASURE_MS = 4000;
/**
 * Each side is measured this many times, the two sides taking turns, and the best window of each counts: other
 * processes on the machine slow a window down, never speed it up.
 */
const ROUNDS = 3;
const TASKS = 128;

/** The fake endpoint in a process of its own: its URL and a way to read how many requests it accepted. */
interface Endpoint {
  url: string;
  count(): Promise<number>;
  close(): Promise<void>;
}

async function startEndpoint(): Promise<Endpoint> {
  const child = fork(fileURLToPath(new URL("./pipeline-endpoint.js", import.meta.url)), [String(LATENCY_MS)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const [ready] = (await once(child, "message")) as [{ url: string }];
  return {
    url: ready.url,
    count: async () => {
      child.send("count");
      const [reply] = (await once(child, "message")) as [{ count: number }];
      return reply.count;
    },
    close: async () => {
      child.send("close");
      await once(child, "exit");
    },
  };
}

interface Rate {
  /** Requests per second the endpoint accepted in the window. */
  perSecond: number;
  /** The client process's CPU time (user + system) per request, in the window. */
  cpuMsPerRequest: number;
}

/** Requests per second the endpoint accepted between the end of the warm-up and the end of the window, and the client's event-loop time per request. */
async function measureRate(endpoint: Endpoint): Promise<Rate> {
  await sleep(WARM_UP_MS);
  const start = await endpoint.count();
  const started = performance.now();
  const cpu = process.cpuUsage();
  await sleep(MEASURE_MS);
  const end = await endpoint.count();
  const used = process.cpuUsage(cpu);
  const requests = Math.max(1, end - start);
  return { perSecond: requests / ((performance.now() - started) / 1000), cpuMsPerRequest: (used.user + used.system) / 1000 / requests };
}

/** The baseline: C lanes that POST the same agent-turn body and read the answer, as fast as the endpoint answers. */
async function bareFetchRate(endpoint: Endpoint, concurrency: number, body: string): Promise<Rate> {
  let running = true;
  const lanes = Array.from({ length: concurrency }, async () => {
    while (running) {
      try {
        const response = await fetch(`${endpoint.url}/chat/completions`, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer bench-key" }, body });
        await response.json();
      } catch {
        // A keep-alive socket closed under it: the next request opens another.
      }
    }
  });
  const rate = await measureRate(endpoint);
  running = false;
  await Promise.all(lanes);
  return rate;
}

/**
 * Simulation throughput against a local OpenAI-compatible endpoint that takes 200 ms per request (in a process
 * of its own), at concurrency 32, 128 and 256, as a ratio of a bare fetch loop over the same endpoint at the same
 * concurrency (the most one event loop drives). The agent, user simulator and tool simulator are remote; every
 * episode is appended to a real store.
 */
export async function benchPipeline(): Promise<void> {
  const config = parseConfig({ seed: 11, domains: { count: 24 }, agents: { count: 24 }, tasks: { count: TASKS } });
  const offlineEnv: StageEnv = { models: createModels(config.models, { seed: config.seed, env: {} }), ids: randomIds, clock: systemClock, seed: config.seed };
  const domains = await evolveDomains(offlineEnv, { taxonomy: await loadTaxonomy(config, process.cwd()), count: config.domains.count });
  const { tools } = await synthesizeTools(offlineEnv, { domains, perDomain: 5, concurrency: 8 });
  const agents = await generateAgents(offlineEnv, { domains, tools, count: config.agents.count, minTools: 3, maxTools: 6, concurrency: 8 });
  const { tasks } = await generateTasks(offlineEnv, { agents, domains, tools, count: TASKS, concurrency: 8 });
  const agent = agents[0];
  const sampleBody = JSON.stringify({
    model: "bench-model",
    messages: [{ role: "system", content: agent?.systemPrompt ?? "" }, { role: "user", content: tasks[0]?.goal ?? "Hello" }],
    tools: tools.filter((tool) => agent?.toolIds.includes(tool.id)).map((tool) => ({ type: "function", function: { name: tool.name, description: tool.description, parameters: tool.inputSchema } })),
    temperature: 0.6,
    max_tokens: 4096,
  });

  const endpoint = await startEndpoint();
  try {
    for (const concurrency of CONCURRENCIES) {
      const bareRounds: Rate[] = [];
      const pipelineRounds: Rate[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        bareRounds.push(await bareFetchRate(endpoint, concurrency, sampleBody));
        pipelineRounds.push(await pipelineRate(endpoint, concurrency, { tasks, agents, tools, domains, env: offlineEnv, seed: config.seed }));
      }
      const bare = best(bareRounds);
      const pipeline = best(pipelineRounds);
      const ideal = concurrency / (LATENCY_MS / 1000);
      const line =
        `pipeline: C=${concurrency} (best of ${ROUNDS}) L=${LATENCY_MS}ms: pipeline ${pipeline.perSecond.toFixed(0)} req/s, bare fetch ${bare.perSecond.toFixed(0)} req/s (C/L ${ideal}) → ratio ${(pipeline.perSecond / bare.perSecond).toFixed(2)}` +
        ` (bare/ideal ${(bare.perSecond / ideal).toFixed(2)}); client CPU ${pipeline.cpuMsPerRequest.toFixed(2)} ms/request (bare ${bare.cpuMsPerRequest.toFixed(2)})`;
      console.log(line);
    }
  } finally {
    await endpoint.close();
  }
}

interface Workload {
  tasks: Awaited<ReturnType<typeof generateTasks>>["tasks"];
  agents: Awaited<ReturnType<typeof generateAgents>>;
  tools: Awaited<ReturnType<typeof synthesizeTools>>["tools"];
  domains: Awaited<ReturnType<typeof evolveDomains>>;
  env: StageEnv;
  seed: number;
}

/** Episodes simulated `concurrency` at a time against the endpoint, each appended to a store; stopped after the window. */
async function pipelineRate(endpoint: Endpoint, concurrency: number, workload: Workload): Promise<Rate> {
  const directory = await mkdtemp(join(tmpdir(), "agentsynth-bench-pipeline-"));
  const store = await openStore({ dataDir: directory });
  const remote = { provider: "openai" as const, model: "bench-model", baseUrl: endpoint.url, apiKey: "bench-key", maxRetries: 0 };
  const models = createModels({ default: { provider: "offline", model: "offline" }, agent: remote, userSimulator: remote, toolSimulator: remote }, { seed: workload.seed, env: {} });
  const controller = new AbortController();
  // Enough episodes to keep every lane busy past the window.
  const episodesPerTask = Math.ceil((concurrency * 6) / workload.tasks.length);
  const profiling = await startProfile();
  const running = simulateTasks({ ...workload.env, models, signal: controller.signal }, {
    tasks: workload.tasks,
    agents: workload.agents,
    tools: workload.tools,
    domains: workload.domains,
    episodesPerTask,
    concurrency,
    limits: { maxTurns: 4, maxSteps: 30, maxToolCallsPerTurn: 10 },
    onEpisode: (episode) => store.episodes.append(episode),
  }).catch(() => undefined);
  try {
    return await measureRate(endpoint);
  } finally {
    await profiling?.stop(`pipeline-c${concurrency}`);
    controller.abort();
    await running;
    await store.close();
    await rm(directory, { recursive: true, force: true });
  }
}

/** The window with the most requests per second. */
function best(rounds: Rate[]): Rate {
  return rounds.reduce((top, rate) => (rate.perSecond > top.perSecond ? rate : top));
}

/**
 * With BENCH_PROFILE=DIR, a CPU profile of the client while the pipeline runs (open it in Chrome DevTools or
 * VS Code): where the client's CPU goes, without the setup and the bare fetch loop.
 */
async function startProfile(): Promise<{ stop(name: string): Promise<void> } | undefined> {
  const directory = process.env.BENCH_PROFILE;
  if (!directory) return undefined;
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return {
    async stop(name) {
      const { profile } = await session.post("Profiler.stop");
      const file = join(directory, `${name}.cpuprofile`);
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
      console.log(`pipeline: CPU profile written to ${file}`);
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

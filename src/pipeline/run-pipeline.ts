import { SCHEMA_VERSION } from "../domain/common.js";
import type { PipelineConfig } from "../domain/config.js";
import type { DatasetRecord } from "../domain/dataset.js";
import type { DomainRecord } from "../domain/domain.js";
import type { ToolRecord } from "../domain/tool.js";
import type { JudgmentRecord } from "../domain/judgment.js";
import type { RunCounts, RunRecord, StageName } from "../domain/run.js";
import { describeError } from "../errors/describe-error.js";
import { CancelledError } from "../errors/cancelled-error.js";
import { filterEpisodes } from "../filter/filter-episodes.js";
import { evolveDomains } from "../generate/evolve-domains.js";
import { generateAgents } from "../generate/generate-agents.js";
import { generateTasks } from "../generate/generate-tasks.js";
import { judgeEpisodes } from "../judge/judge-episodes.js";
import { createJudgeCommittee, type JudgeMember } from "../model/judge-committee.js";
import { createModels, type ModelSet } from "../model/model-set.js";
import type { StageEnv } from "../model/stage-env.js";
import { synthesizeTools } from "../registry/synthesize-tools.js";
import { simulateTasks } from "../simulate/simulate-tasks.js";
import type { Catalog, Store } from "../store/types.js";
import { systemClock, type Clock } from "../support/clock.js";
import { randomIds, type IdGenerator } from "../support/ids.js";
import type { WrittenExport } from "../export/write-export.js";
import { exportKeptEpisodes } from "./export-kept.js";
import { loadTaxonomy } from "./load-config.js";
import { prepareLiveExecution } from "./live-execution.js";
import { liveExamplesFor, probeRealTools } from "./probe-real-tools.js";
import type { McpServers } from "./mcp-servers.js";
import { tallySimulation } from "./simulation-tally.js";

export interface PipelineProgress {
  stage: StageName;
  done: number;
  total: number;
  message?: string | undefined;
}

export interface RunPipelineOptions {
  config: PipelineConfig;
  /** Where relative paths in the config resolve from. */
  configDirectory: string;
  store: Store;
  outDir: string;
  models?: ModelSet;
  /** The judges of llm criteria (default: built from `config.judge.committee` over `models`). */
  judgeCommittee?: JudgeMember[];
  /** The configured MCP servers: synced before agents are built when `tools.sources` has "real", and called live. */
  servers?: McpServers | undefined;
  ids?: IdGenerator;
  clock?: Clock;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onProgress?: (progress: PipelineProgress) => void;
  onWarning?: (message: string) => void;
}

export interface PipelineResult {
  run: RunRecord;
  dataset: DatasetRecord;
  exported: WrittenExport;
}

const EXPORT_FILE = "train.jsonl";

/**
 * The whole pipeline: servers → domains → tools → agents → tasks → simulate → judge → filter → export. Every record
 * is stored as soon as it exists; the run record says how far it got. On failure or cancellation the run
 * is marked so (with the reason) and what was stored stays.
 */
export async function runPipeline(options: RunPipelineOptions): Promise<PipelineResult> {
  const { config, store } = options;
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  // Fails before any work when a role needs a key that is not there.
  const models = options.models ?? createModels(config.models, { seed: config.seed, ...(options.env ? { env: options.env } : {}) });
  const committee = options.judgeCommittee ?? createJudgeCommittee(models, config.models, config.judge.committee, { seed: config.seed, env: options.env });
  const taxonomy = await loadTaxonomy(config, options.configDirectory);

  const counts: RunCounts = { domains: 0, tools: 0, agents: 0, tasks: 0, episodes: 0, episodesFailed: 0, judged: 0, passed: 0, kept: 0, rejected: 0, exported: 0 };
  const startedAt = clock.now().toISOString();
  let run: RunRecord = {
    id: ids.next("run"),
    kind: "run",
    createdAt: startedAt,
    schemaVersion: SCHEMA_VERSION,
    provenance: { source: "pipeline", models: models.refs(), seed: config.seed, promptHashes: [] },
    status: "running",
    config,
    startedAt,
    counts,
    rejectionCounts: {},
    usage: {},
  };
  const saveRun = async (patch: Partial<RunRecord>): Promise<void> => {
    run = { ...run, ...patch, counts: { ...counts }, usage: models.usage.roles() };
    await store.runs.put(run);
  };
  await saveRun({});

  const envFor = (stage: StageName): StageEnv => ({
    models,
    ids,
    clock,
    seed: config.seed,
    signal: options.signal,
    runId: run.id,
    onProgress: (progress) => options.onProgress?.({ stage, ...progress }),
    onWarning: options.onWarning,
  });
  const concurrency = config.simulation.concurrency;

  try {
    const sources = new Set(config.tools.sources);
    let real: ToolSet = { domains: [], tools: [] };
    let imported: ToolSet = { domains: [], tools: [] };
    if (sources.has("real") && options.servers && options.servers.config.servers.length > 0) {
      await saveRun({ stage: "servers" });
      const report = await options.servers.sync({}, { signal: options.signal, onProgress: (progress) => options.onProgress?.({ stage: "servers", ...progress }) });
      for (const server of report.servers) if (server.status === "error") options.onWarning?.(`MCP server "${server.name}" was not synced: ${server.error ?? "unknown error"}`);
      const configured = new Set(options.servers.config.servers.map((server) => server.name));
      real = await storedToolSet(store, (tool) => tool.source === "real" && tool.origin.configName !== undefined && configured.has(tool.origin.configName));
    }
    if (sources.has("imported")) imported = await storedToolSet(store, (tool) => tool.source === "imported");

    let synthetic: ToolSet = { domains: [], tools: [] };
    if (sources.has("synthetic")) {
      await saveRun({ stage: "domains" });
      const evolved = await evolveDomains(envFor("domains"), { taxonomy, count: config.domains.count });
      await store.domains.putMany(evolved);
      options.onProgress?.({ stage: "domains", done: evolved.length, total: evolved.length });

      await saveRun({ stage: "tools" });
      const synthesized = await synthesizeTools(envFor("tools"), { domains: evolved, perDomain: config.tools.perDomain, concurrency });
      await store.tools.putMany(synthesized);
      synthetic = { domains: evolved, tools: synthesized };
    }
    // Sources take turns (real, imported, synthetic, real, …), so the round-robin of agents over domains mixes them.
    const domains = interleave([real.domains, imported.domains, synthetic.domains]);
    const tools = [...real.tools, ...imported.tools, ...synthetic.tools];
    counts.domains = domains.length;
    counts.tools = tools.length;

    await saveRun({ stage: "agents" });
    const agents = await generateAgents(envFor("agents"), { domains, tools, count: config.agents.count, minTools: config.agents.minTools, maxTools: config.agents.maxTools, concurrency });
    await store.agents.putMany(agents);
    counts.agents = agents.length;

    const live = await prepareLiveExecution({ store, servers: options.servers, execution: config.tools.execution, tools, ids, clock });
    await saveRun({ stage: "tasks" });
    if (live) await probeRealTools(live, tools, options.signal);
    const tasks = await generateTasks(envFor("tasks"), {
      agents,
      domains,
      tools,
      count: config.tasks.count,
      concurrency,
      ...(live ? { liveExamples: (toolset: readonly ToolRecord[]) => liveExamplesFor(live, tools, toolset) } : {}),
    });
    await store.tasks.putMany(tasks);
    counts.tasks = tasks.length;

    await saveRun({ stage: "simulate" });
    const episodes = await simulateTasks(envFor("simulate"), {
      tasks,
      agents,
      tools,
      domains,
      live,
      episodesPerTask: config.simulation.episodesPerTask,
      concurrency,
      limits: config.simulation,
      onEpisode: async (episode) => {
        await store.episodes.append(episode);
        counts.episodes++;
        if (episode.status !== "completed") counts.episodesFailed++;
      },
    });

    await saveRun({ stage: "judge" });
    const toolsById = new Map(tools.map((tool) => [tool.id, tool]));
    const judgments = await judgeEpisodes(envFor("judge"), {
      episodes,
      tasks: new Map(tasks.map((task) => [task.id, task])),
      tools: toolsById,
      concurrency: config.judge.concurrency,
      committee,
      onJudgment: async (judgment) => {
        await store.judgments.append(judgment);
        counts.judged++;
        if (judgment.verdict === "pass") counts.passed++;
      },
    });

    const judgmentsByEpisode = new Map(judgments.map((j: JudgmentRecord) => [j.episodeId, j]));
    await saveRun({ stage: "filter", simulation: tallySimulation(episodes, (episodeId) => judgmentsByEpisode.get(episodeId)?.verdict) });
    const agentDomains = new Map(agents.flatMap((agent) => (agent.domainId ? [[agent.id, agent.domainId] as const] : [])));
    const filtered = filterEpisodes(episodes, judgmentsByEpisode, { ...config.filter, agentDomains });
    counts.kept = filtered.kept.length;
    counts.rejected = filtered.rejected.length;
    options.onProgress?.({ stage: "filter", done: episodes.length, total: episodes.length });
    let dataset: DatasetRecord = {
      id: ids.next("ds"),
      kind: "dataset",
      createdAt: clock.now().toISOString(),
      schemaVersion: SCHEMA_VERSION,
      provenance: { source: "pipeline:filter", models: models.refs(), seed: config.seed, promptHashes: [], runId: run.id },
      name: `${config.name}-seed${config.seed}`,
      runId: run.id,
      filter: { ...config.filter },
      episodeIds: filtered.kept.map((episode) => episode.id),
      rejected: filtered.rejected,
      rejectionCounts: filtered.rejectionCounts,
      taskStats: filtered.taskStats,
      passHatK: filtered.passHatK,
      exports: [],
    };
    await store.datasets.put(dataset);
    await saveRun({ stage: "export", rejectionCounts: filtered.rejectionCounts, datasetId: dataset.id, taskStats: filtered.taskStats, passHatK: filtered.passHatK });

    const { exported, info } = await exportKeptEpisodes({
      config,
      outDir: options.outDir,
      fileName: EXPORT_FILE,
      dataset,
      filtered,
      judgments,
      committee,
      // In store order, as a later `export` of the stored dataset lists them, so both cards are the same.
      catalog: { agents, domains: await inStoreOrder(store.domains, domains), tools: await inStoreOrder(store.tools, tools) },
      models: models.refs(),
      counts,
      clock,
      signal: options.signal,
      onRecord: (written) => options.onProgress?.({ stage: "export", done: written, total: filtered.kept.length }),
    });
    counts.exported = exported.records;
    dataset = { ...dataset, exports: [info] };
    await store.datasets.put(dataset);
    await saveRun({ status: "completed", finishedAt: clock.now().toISOString(), exportPath: exported.path });
    return { run, dataset, exported };
  } catch (error) {
    const cancelled = error instanceof CancelledError || options.signal?.aborted === true;
    await saveRun({
      status: cancelled ? "cancelled" : "failed",
      finishedAt: clock.now().toISOString(),
      error: cancelled ? "cancelled" : describeError(error),
    }).catch(() => undefined);
    throw cancelled && !(error instanceof CancelledError) ? new CancelledError() : error;
  }
}

interface ToolSet {
  domains: DomainRecord[];
  tools: ToolRecord[];
}

/** The usable (not stale) stored tools that match, with their domains; tools without a domain cannot form agents. */
async function storedToolSet(store: Store, predicate: (tool: ToolRecord) => boolean): Promise<ToolSet> {
  const tools = await store.tools.find((tool) => !tool.stale && tool.domainId !== undefined && predicate(tool));
  const domainIds = new Set(tools.map((tool) => tool.domainId));
  return { tools, domains: await store.domains.find((domain) => domainIds.has(domain.id)) };
}

/** The records in the order the store keeps them. */
async function inStoreOrder<T extends { id: string }>(catalog: Catalog<T>, records: readonly T[]): Promise<T[]> {
  const ids = new Set(records.map((record) => record.id));
  return catalog.find((record) => ids.has(record.id));
}

/** The lists' items taking turns: first of each, then second of each, … */
function interleave<T>(lists: ReadonlyArray<readonly T[]>): T[] {
  const longest = Math.max(0, ...lists.map((list) => list.length));
  return Array.from({ length: longest }, (_, index) => lists.flatMap((list) => (index < list.length ? [list[index] as T] : []))).flat();
}

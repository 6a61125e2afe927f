import { join, resolve } from "node:path";
import type { PipelineConfig } from "../domain/config.js";
import type { DatasetRecord, ExportSummary } from "../domain/dataset.js";
import type { DomainRecord } from "../domain/domain.js";
import type { JudgmentRecord } from "../domain/judgment.js";
import type { RunRecord, StageName } from "../domain/run.js";
import { isUsableTool, type ToolRecord } from "../domain/tool.js";
import { EmptyResultError } from "../errors/empty-result-error.js";
import { evolveDomains } from "../generate/evolve-domains.js";
import { generateAgents } from "../generate/generate-agents.js";
import { generateTasks } from "../generate/generate-tasks.js";
import { judgeEpisodes } from "../judge/judge-episodes.js";
import { describeThisMachine } from "./machine-facts.js";
import { createJudgeCommittee, type JudgeMember } from "../model/judge-committee.js";
import { createModels, type ModelSet } from "../model/model-set.js";
import type { StageEnv } from "../model/stage-env.js";
import { synthesizeTools } from "../registry/synthesize-tools.js";
import { simulateTasks } from "../simulate/simulate-tasks.js";
import type { Store } from "../store/types.js";
import { systemClock, type Clock } from "../support/clock.js";
import { randomIds, type IdGenerator } from "../support/ids.js";
import { writeDatasetExport } from "./export-dataset.js";
import { chooseDatasetName, datasetFolder, TRAIN_FILE } from "./export-folder.js";
import { loadTaxonomy } from "./load-config.js";
import type { FileAccess } from "./input-files.js";
import { prepareLiveExecution } from "./live-execution.js";
import { liveExamplesFor, probeRealTools } from "./probe-real-tools.js";
import type { McpServers } from "./mcp-servers.js";
import { createDataset } from "./quality.js";
import { tallySimulation } from "./simulation-tally.js";
import { tallyToolChecks } from "./tool-checks.js";
import { runTracked, type TrackedRun } from "./tracked-run.js";
import { configKeyOf, findRunToResume, markInterruptedRuns, type ResumeChoice } from "./resume-run.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { AgentRecord } from "../domain/agent.js";
import type { TaskRecord } from "../domain/task.js";

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
  /** How the files the config names (its taxonomy) may be read: a config an MCP client named reads only under the allowed roots. */
  fileAccess?: FileAccess | undefined;
  store: Store;
  /** The export goes to the dataset's own folder in it: `<outDir>/<dataset name>/train.jsonl`. */
  outDir: string;
  /** The export root outDir is in (default outDir): nothing below it is written through a symbolic link. */
  exportRoot?: string | undefined;
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
  /** Take up the newest unfinished run of the same config (default), a named run, or start over. */
  resume?: ResumeChoice | undefined;
}

export interface PipelineResult {
  run: RunRecord;
  dataset: DatasetRecord;
  exported: ExportSummary;
}

/**
 * The whole pipeline: servers → domains → tools → agents → tasks → simulate → judge → filter → export. Every record
 * is stored as soon as it exists; the run record says how far it got. On failure or cancellation the run
 * is marked so (with the reason) and what was stored stays. A run that has no tools to build agents from,
 * produces no episodes or keeps none fails with the reason (EMPTY_RESULT).
 *
 * A model's bad answer fails only the item it was for (labelled, counted in the run's `failures`); only systemic
 * failures (no access, no such model, an open circuit, a budget reached) stop the run. Rerunning the same config
 * on the same store takes the run up again (see ResumeChoice): what it stored (domains, tools, agents, tasks,
 * episodes, judgments, its dataset) is kept and only what is missing is made.
 */
export async function runPipeline(options: RunPipelineOptions): Promise<PipelineResult> {
  const { config, store } = options;
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  // Fails before any work when a role needs a key that is not there.
  const models = options.models ?? createModels(config.models, { seed: config.seed, ...(options.env ? { env: options.env } : {}) });
  const committee = options.judgeCommittee ?? createJudgeCommittee(models, config.models, config.judge.committee, { seed: config.seed, env: options.env });
  const taxonomy = await loadTaxonomy(config, options.configDirectory, options.fileAccess);
  const outDir = resolve(options.outDir);
  await markInterruptedRuns(store, clock);
  const previous = await findRunToResume(store, config, options.resume ?? { mode: "auto" });
  const previousDataset = previous?.datasetId ? await store.datasets.get(previous.datasetId) : undefined;
  const datasetName = previousDataset?.name ?? (await chooseDatasetName(store, `${config.name}-seed${config.seed}`, outDir));
  const concurrency = config.simulation.concurrency;
  const tracked = { store, config, models, ids, clock, stage: "servers" as const, source: "pipeline", signal: options.signal, onWarning: options.onWarning, configKey: configKeyOf(config), resume: previous };

  const made = await runTracked(tracked, async (run) => {
    const { counts } = run;
    const ofRun = <T extends { provenance: { runId?: string | undefined } }>(record: T): boolean => record.provenance.runId === run.id;
    const envFor = (stage: StageName): StageEnv => ({ ...run.env, onProgress: (progress) => options.onProgress?.({ stage, ...progress }) });
    // The one export road: the stored dataset, streamed from the store, as a later `agentsynth export` writes it.
    const exportDataset = async (dataset: DatasetRecord) => {
      const exported = await writeDatasetExport({ store, clock, config }, dataset, { root: options.exportRoot ?? outDir, directory: join(outDir, datasetFolder(dataset)), fileName: TRAIN_FILE }, {}, { signal: options.signal, onProgress: envFor("export").onProgress });
      counts.exported = exported.records;
      await run.save({ stage: "export", exportPath: exported.path });
      return { runId: run.id, datasetId: dataset.id, exported };
    };
    // A run taken up after it made its dataset had done all the rest: it is exported again, nothing is read or made.
    if (previousDataset) return exportDataset(previousDataset);
    const sources = new Set(config.tools.sources);
    let real: ToolSet = { domains: [], tools: [] };
    let imported: ToolSet = { domains: [], tools: [] };
    if (sources.has("real") && options.servers && options.servers.config.servers.length > 0) {
      const report = await options.servers.sync({}, { signal: options.signal, onProgress: envFor("servers").onProgress });
      for (const server of report.servers) if (server.status === "error") options.onWarning?.(`MCP server "${server.name}" was not synced: ${server.error ?? "unknown error"}`);
      const configured = new Set(options.servers.config.servers.map((server) => server.name));
      real = await storedToolSet(store, (tool) => tool.source === "real" && tool.origin.configName !== undefined && configured.has(tool.origin.configName));
    }
    if (sources.has("imported")) imported = await storedToolSet(store, (tool) => tool.source === "imported");

    let synthetic: ToolSet = { domains: [], tools: [] };
    if (sources.has("synthetic")) {
      // Each stage's records are stored in one write: a resumed run that has them keeps them and goes on.
      await run.save({ stage: "domains" });
      let evolved = previous ? await store.domains.find(ofRun) : [];
      if (evolved.length === 0) {
        evolved = await evolveDomains(envFor("domains"), { taxonomy, count: config.domains.count });
        await store.domains.putMany(evolved);
      }
      options.onProgress?.({ stage: "domains", done: evolved.length, total: evolved.length });

      await run.save({ stage: "tools" });
      let syntheticTools = previous ? await store.tools.find((tool) => tool.source === "synthetic" && ofRun(tool)) : [];
      if (syntheticTools.length === 0) {
        const synthesis = await synthesizeTools(envFor("tools"), { domains: evolved, perDomain: config.tools.perDomain, concurrency });
        await store.tools.putMany(synthesis.tools);
        await run.save({ toolChecks: tallyToolChecks(synthesis) });
        syntheticTools = synthesis.tools;
      }
      // Tools that failed their audit stay in the registry (with the reasons) but are not given to agents.
      synthetic = { domains: evolved, tools: syntheticTools.filter(isUsableTool) };
    }
    // Sources take turns (real, imported, synthetic, real, …), so the round-robin of agents over domains mixes them.
    const domains = interleave([real.domains, imported.domains, synthetic.domains]);
    const tools = [...real.tools, ...imported.tools, ...synthetic.tools];
    counts.domains = domains.length;
    counts.tools = tools.length;
    if (tools.length === 0) {
      throw new EmptyResultError(
        `the tool sources (${[...sources].join(", ")}) gave no usable tool with a domain to build agents from: sync real servers (agentsynth servers sync), import tools into a domain (agentsynth tools import FILE --domain NAME), or add synthetic to the tool sources`,
      );
    }

    await run.save({ stage: "agents" });
    let agents: AgentRecord[] = previous ? await store.agents.find(ofRun) : [];
    if (agents.length === 0) {
      agents = await generateAgents(envFor("agents"), { domains, tools, count: config.agents.count, minTools: config.agents.minTools, maxTools: config.agents.maxTools, maxDomains: config.agents.maxDomains, concurrency });
      await store.agents.putMany(agents);
    }
    counts.agents = agents.length;

    const live = await prepareLiveExecution({ store, servers: options.servers, execution: config.tools.execution, tools, ids, clock });
    await run.save({ stage: "tasks" });
    if (live) await probeRealTools(live, tools, options.signal);
    let tasks: TaskRecord[] = previous ? await store.tasks.find(ofRun) : [];
    if (tasks.length === 0) {
      const generated = await generateTasks(envFor("tasks"), {
        agents,
        domains,
        tools,
        count: config.tasks.count,
        shapes: config.tasks.shapes,
        concurrency,
        ...(live ? { liveExamples: (toolset: readonly ToolRecord[]) => liveExamplesFor(live, tools, toolset) } : {}),
      });
      tasks = generated.tasks;
      await store.tasks.putMany(tasks);
      await run.save({ taskGate: generated.gate });
    }
    counts.tasks = tasks.length;

    await run.save({ stage: "simulate" });
    const stored = previous ? await storedEpisodes(store, run) : [];
    const storedKeys = new Set(stored.map(episodeKey));
    const made = await simulateTasks(envFor("simulate"), {
      tasks,
      agents,
      tools,
      domains,
      live,
      episodesPerTask: config.simulation.episodesPerTask,
      concurrency,
      limits: config.simulation,
      isDone: (taskId, index) => storedKeys.has(episodeKey({ taskId, index })),
      onEpisode: async (episode) => {
        await store.episodes.append(episode);
        counts.episodes++;
        if (episode.status !== "completed") counts.episodesFailed++;
        await run.saveProgress();
      },
    });
    const episodes = [...stored, ...made];
    if (episodes.length === 0) {
      throw new EmptyResultError(`the run produced no episodes (${agents.length} agent(s) over ${tools.length} tool(s), ${tasks.length} task(s)): check the tool sources and the counts of agents and tasks in the config`);
    }

    await run.save({ stage: "judge" });
    const judged = previous ? await store.judgments.find((judgment) => judgment.runId === run.id) : [];
    const judgedEpisodes = new Set(judged.map((judgment) => judgment.episodeId));
    counts.judged = judged.length;
    counts.passed = judged.filter((judgment) => judgment.verdict === "pass").length;
    const judgments = [...judged];
    judgments.push(...await judgeEpisodes(envFor("judge"), {
      episodes: episodes.filter((episode) => !judgedEpisodes.has(episode.id)),
      tasks: new Map(tasks.map((task) => [task.id, task])),
      tools: new Map(tools.map((tool) => [tool.id, tool])),
      concurrency: config.judge.concurrency,
      committee,
      machine: describeThisMachine(store.dataDir, options.env ?? process.env),
      onJudgment: async (judgment) => {
        await store.judgments.append(judgment);
        counts.judged++;
        if (judgment.verdict === "pass") counts.passed++;
        await run.saveProgress();
      },
    }));

    const judgmentsByEpisode = new Map(judgments.map((judgment: JudgmentRecord) => [judgment.episodeId, judgment]));
    await run.save({ stage: "filter", simulation: tallySimulation(episodes, (episodeId) => judgmentsByEpisode.get(episodeId)) });
    const dataset = await createDataset(
      { store, ids, clock },
      { episodes, judgments: judgmentsByEpisode, criteria: config.filter, name: datasetName, provenance: { source: "pipeline:filter", models: models.refs(), seed: config.seed }, runId: run.id },
    );
    counts.kept = dataset.episodeIds.length;
    counts.rejected = dataset.rejected.length;
    options.onProgress?.({ stage: "filter", done: episodes.length, total: episodes.length });
    await run.save({ stage: "export", rejectionCounts: dataset.rejectionCounts, datasetId: dataset.id, taskStats: dataset.taskStats, passHatK: dataset.passHatK });
    return exportDataset(dataset);
  });
  return { run: await store.runs.require(made.runId), dataset: await store.datasets.require(made.datasetId), exported: made.exported };
}

/** The episodes a run stored before (one per task and index, the first stored), with its counts set from them. */
async function storedEpisodes(store: Store, run: TrackedRun): Promise<EpisodeRecord[]> {
  const byKey = new Map<string, EpisodeRecord>();
  for (const episode of await store.episodes.find((record) => record.runId === run.id)) if (!byKey.has(episodeKey(episode))) byKey.set(episodeKey(episode), episode);
  const episodes = [...byKey.values()];
  run.counts.episodes = episodes.length;
  run.counts.episodesFailed = episodes.filter((episode) => episode.status !== "completed").length;
  return episodes;
}

function episodeKey(episode: Pick<EpisodeRecord, "taskId" | "index">): string {
  return `${episode.taskId}:${episode.index}`;
}

interface ToolSet {
  domains: DomainRecord[];
  tools: ToolRecord[];
}

/** The usable (not stale) stored tools that match, with their domains; tools without a domain cannot form agents. */
async function storedToolSet(store: Store, predicate: (tool: ToolRecord) => boolean): Promise<ToolSet> {
  const tools = await store.tools.find((tool) => isUsableTool(tool) && tool.domainId !== undefined && predicate(tool));
  const domainIds = new Set(tools.map((tool) => tool.domainId));
  return { tools, domains: await store.domains.find((domain) => domainIds.has(domain.id)) };
}

/** The lists' items taking turns: first of each, then second of each, … */
function interleave<T>(lists: ReadonlyArray<readonly T[]>): T[] {
  const longest = Math.max(0, ...lists.map((list) => list.length));
  return Array.from({ length: longest }, (_, index) => lists.flatMap((list) => (index < list.length ? [list[index] as T] : []))).flat();
}

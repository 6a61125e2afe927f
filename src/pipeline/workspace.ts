import { join, resolve } from "node:path";
import type { AgentRecord } from "../domain/agent.js";
import type { ModelRole } from "../domain/common.js";
import type { PipelineConfig, PipelineConfigInput } from "../domain/config.js";
import type { DatasetRecord } from "../domain/dataset.js";
import type { DomainRecord } from "../domain/domain.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { JudgmentRecord, VerdictView } from "../domain/judgment.js";
import { findLatestJudgmentId, getJudgment, viewVerdict } from "./judgments.js";
import type { ReportLocation, ReportSummary } from "../domain/report.js";
import type { RunSummary } from "../domain/run.js";
import type { TaskRecord } from "../domain/task.js";
import type { ToolRecord } from "../domain/tool.js";
import { InputError } from "../errors/input-error.js";
import type { LanguageModel } from "../model/language-model.js";
import { createModels } from "../model/model-set.js";
import { openStore } from "../store/open-store.js";
import { ResponseCache } from "../model/response-cache.js";
import { markInterruptedRuns } from "./resume-run.js";
import type { Store } from "../store/types.js";
import { systemClock, type Clock } from "../support/clock.js";
import { randomIds, type IdGenerator } from "../support/ids.js";
import { createAgent, createDomain, createTask, updateTask, type AuthoredTask, type CreateAgentInput, type CreateTaskInput } from "./authoring.js";
import { listEpisodes, listRecentEpisodeIds, type EpisodeFilter } from "./episodes.js";
import { exportDataset, type ExportDatasetInput, type ExportDatasetResult } from "./export-dataset.js";
import { curateDataset, type CurateDatasetInput } from "./curate-dataset.js";
import { importEpisodes, type ImportEpisodesInput, type ImportEpisodesResult } from "./import-episodes.js";
import type { CurationSummary } from "../domain/curation.js";
import { evolveDomains, generateAgents, generateTasks, synthesizeTools, type GenerationResult } from "./generation.js";
import { importTools, type ImportToolsInput, type ImportToolsResult } from "./import-tools.js";
import { InteractiveEpisodes, type EpisodeTurn, type StartedEpisode } from "./interactive-episodes.js";
import { ANY_FILE } from "./input-files.js";
import { loadConfigFile, parseConfig } from "./load-config.js";
import { McpServers, type AddServerInput } from "./mcp-servers.js";
import { defaultConfigPath } from "./package-paths.js";
import type { Page, PageRequest } from "./paginate.js";
import { filterToDataset, judgeSelected, type FilterInput, type FilterResult, type JudgeResult } from "./quality.js";
import { locateReport, writeWorkspaceReport, type WriteReportInput } from "./report.js";
import { simulate, type SimulateInput, type SimulateResult } from "./simulation.js";
import { computeStats } from "./stats.js";
import type { AgentSummary, DomainSummary, EpisodeSummary, ServerStatus, SyncReport, TaskSummary, ToolSummary, WorkspaceStats } from "../domain/summaries.js";
import { findTools, getTool, listTools, type ToolFilter } from "./tool-catalog.js";
import type { EpisodeSelection } from "./episode-selection.js";
import type { OperationOptions } from "./operation-options.js";
import type { WorkspaceContext } from "./workspace-context.js";
import { runWorkspacePipeline, type RunPipelineInput, type RunPipelineOptions } from "./workspace-pipeline.js";
import { estimateRun, type EstimateRunInput } from "./estimate-run.js";
import type { RunEstimate } from "../domain/model-usage.js";

export interface OpenWorkspaceOptions {
  dataDir: string;
  /** A pipeline config file; default: the built-in one (offline engine). */
  configFile?: string | undefined;
  /** A config given inline instead of a file (relative paths in it resolve from the working directory). */
  config?: PipelineConfigInput | undefined;
  /** The `mcpServers` file the user named; default: see defaultMcpConfigPath (edits then go to `<dataDir>/mcp.json`). */
  mcpConfigFile?: string | undefined;
  /** Exports must go under this directory (default `<cwd>/out`). */
  exportRoot?: string | undefined;
  /**
   * For a server: files callers name (import_tools `file`, run_pipeline `configFile` and the taxonomy it
   * names) are read only under the data directory, the export root and these folders. Undefined: any file
   * (the CLI, whose caller is the user).
   */
  readRoots?: readonly string[] | undefined;
  /** MCP clients may add or replace stdio servers, i.e. commands this process runs (`serve --allow-server-edits`). */
  allowServerEdits?: boolean | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  ids?: IdGenerator | undefined;
  clock?: Clock | undefined;
  /** Replace a role's model (tests use scripted models). */
  models?: Partial<Record<ModelRole, LanguageModel>> | undefined;
  onWarning?: ((message: string) => void) | undefined;
}

/**
 * Open the store and the config once, for a process that serves many operations (the MCP server, a
 * script). Fails before opening the store when the config is invalid or a role lacks its API key.
 */
export async function openWorkspace(options: OpenWorkspaceOptions): Promise<Workspace> {
  if (options.configFile !== undefined && options.config !== undefined) throw new InputError("give either a config file or an inline config, not both");
  const loaded = options.config !== undefined ? { config: parseConfig(options.config), directory: process.cwd() } : await loadConfigFile(options.configFile ?? defaultConfigPath());
  const env = options.env ?? process.env;
  const modelOverride = options.models ?? {};
  createModels(loaded.config.models, { seed: loaded.config.seed, env, override: modelOverride });
  const store = await openStore({ dataDir: options.dataDir });
  const ids = options.ids ?? randomIds;
  const clock = options.clock ?? systemClock;
  let servers: McpServers;
  try {
    // Runs left `running` by a process that is gone are marked interrupted (the next run of their config resumes them).
    await markInterruptedRuns(store, clock);
    servers = await McpServers.open({
      file: options.mcpConfigFile,
      store,
      env,
      ids,
      clock,
      execution: loaded.config.tools.execution,
      allowStdioEdits: options.allowServerEdits,
      onWarning: options.onWarning,
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  const exportRoot = resolve(options.exportRoot ?? "out");
  return new Workspace({
    store,
    config: loaded.config,
    configDirectory: loaded.directory,
    env,
    ids,
    clock,
    servers,
    exportRoot,
    fileAccess: options.readRoots === undefined ? ANY_FILE : { roots: [store.dataDir, exportRoot, ...options.readRoots.map((root) => resolve(root))] },
    modelOverride,
    responseCache: new ResponseCache(join(store.dataDir, "cache", "responses"), { onWarning: options.onWarning }),
    onWarning: options.onWarning,
  });
}

/**
 * Every stage of agentsynth as operations on one store: what the MCP server and the CLI call. Stage logic
 * lives in the stage folders; a workspace composes the stages, persists what they make and records runs.
 */
export class Workspace {
  readonly #context: WorkspaceContext;
  readonly #interactive: InteractiveEpisodes;
  /** Aborted by close(): every operation in flight stops, and close() waits for it to settle. */
  readonly #closed = new AbortController();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #writingReports = new Map<string, Promise<ReportSummary>>();
  #closing: Promise<void> | undefined;

  constructor(context: WorkspaceContext) {
    this.#context = context;
    this.#interactive = new InteractiveEpisodes(context);
  }

  get store(): Store {
    return this.#context.store;
  }

  get config(): PipelineConfig {
    return this.#context.config;
  }

  get dataDir(): string {
    return this.#context.store.dataDir;
  }

  get exportRoot(): string {
    return this.#context.exportRoot;
  }

  // Registry

  listTools(filter: ToolFilter = {}, page: PageRequest = {}): Promise<Page<ToolSummary>> {
    return listTools(this.store, filter, page);
  }

  findTools(filter: ToolFilter = {}): Promise<ToolRecord[]> {
    return findTools(this.store, filter);
  }

  getTool(idOrName: string): Promise<ToolRecord> {
    return getTool(this.store, idOrName);
  }

  importTools(input: ImportToolsInput): Promise<ImportToolsResult> {
    return importTools(this.#context, input);
  }

  /** The `mcpServers` file this workspace reads. */
  get mcpConfigFile(): string {
    return this.#context.servers.file;
  }

  syncServers(input: { names?: string[] | undefined } = {}, options: OperationOptions = {}): Promise<SyncReport> {
    return this.#track(options, (tracked) => this.#context.servers.sync(input, tracked));
  }

  listServers(): Promise<ServerStatus[]> {
    return this.#context.servers.list();
  }

  addServer(input: AddServerInput, options: OperationOptions = {}): Promise<SyncReport> {
    return this.#track(options, (tracked) => this.#context.servers.add(input, tracked));
  }

  removeServer(name: string): Promise<{ name: string; staleTools: number }> {
    return this.#context.servers.remove(name);
  }

  // Generation and authoring

  evolveDomains(input: { count: number; seed?: number | undefined }, options: OperationOptions = {}): Promise<GenerationResult<DomainSummary>> {
    return this.#track(options, (tracked) => evolveDomains(this.#context, input, tracked));
  }

  /** A domain from the user (validated by the domain schema), outside the taxonomy. */
  createDomain(input: unknown): Promise<DomainRecord> {
    return createDomain(this.#context, input);
  }

  synthesizeTools(input: Parameters<typeof synthesizeTools>[1], options: OperationOptions = {}): Promise<GenerationResult<ToolSummary>> {
    return this.#track(options, (tracked) => synthesizeTools(this.#context, input, tracked));
  }

  generateAgents(input: Parameters<typeof generateAgents>[1], options: OperationOptions = {}): Promise<GenerationResult<AgentSummary>> {
    return this.#track(options, (tracked) => generateAgents(this.#context, input, tracked));
  }

  createAgent(input: CreateAgentInput): Promise<AgentRecord> {
    return createAgent(this.#context, input);
  }

  generateTasks(input: Parameters<typeof generateTasks>[1], options: OperationOptions = {}): Promise<GenerationResult<TaskSummary>> {
    return this.#track(options, (tracked) => generateTasks(this.#context, input, tracked));
  }

  createTask(input: CreateTaskInput): Promise<AuthoredTask> {
    return createTask(this.#context, input);
  }

  updateTask(taskId: string, changes: Record<string, unknown>): Promise<AuthoredTask> {
    return updateTask(this.#context, taskId, changes);
  }

  // Simulation

  simulate(input: SimulateInput, options: OperationOptions = {}): Promise<SimulateResult> {
    return this.#track(options, (tracked) => simulate(this.#context, input, tracked));
  }

  startEpisode(input: { taskId: string; seed?: number | undefined }): Promise<StartedEpisode> {
    return this.#interactive.start(input);
  }

  sendUserMessage(input: { episodeId: string; message: string }, options: OperationOptions = {}): Promise<EpisodeTurn> {
    return this.#track(options, (tracked) => this.#interactive.send(input, tracked));
  }

  endEpisode(episodeId: string): Promise<EpisodeRecord> {
    return this.#interactive.end(episodeId);
  }

  // Quality

  judge(input: EpisodeSelection & { concurrency?: number | undefined }, options: OperationOptions = {}): Promise<JudgeResult> {
    return this.#track(options, (tracked) => judgeSelected(this.#context, input, tracked));
  }

  filter(input: FilterInput, options: OperationOptions = {}): Promise<FilterResult> {
    return this.#track(options, (tracked) => filterToDataset(this.#context, input, tracked));
  }

  exportDataset(input: ExportDatasetInput, options: OperationOptions = {}): Promise<ExportDatasetResult> {
    return this.#track(options, (tracked) => exportDataset(this.#context, input, tracked));
  }

  /** Check and filter a dataset made elsewhere (a JSONL file): kept.jsonl, rejected.jsonl and a card in a folder under the export root. */
  curateDataset(input: CurateDatasetInput, options: OperationOptions = {}): Promise<CurationSummary> {
    return this.#track(options, (tracked) => curateDataset(this.#context, input, tracked));
  }

  /** Store the conversations of a JSONL file made elsewhere as episodes (with their tools, an agent and tasks), for every stage. */
  importEpisodes(input: ImportEpisodesInput, options: OperationOptions = {}): Promise<ImportEpisodesResult> {
    return this.#track(options, (tracked) => importEpisodes(this.#context, input, tracked));
  }

  /** Write the HTML report of a dataset (default: the newest), a run, or every stored episode. */
  writeReport(input: WriteReportInput = {}, options: OperationOptions = {}): Promise<ReportSummary> {
    return this.#track(options, (tracked) => writeWorkspaceReport(this.#context, input, tracked));
  }

  /** Where the report of a dataset (default: the newest) is, and whether it is written. */
  locateReport(datasetId?: string): Promise<ReportLocation> {
    return locateReport(this.#context, datasetId);
  }

  /**
   * The report of a dataset (default: the newest), written first when its folder holds none (what `serve --http`
   * serves at /report). Requests for the same report while it is being written wait for that one write.
   */
  async openReport(datasetId?: string): Promise<ReportLocation> {
    const location = await this.locateReport(datasetId);
    if (location.written) return location;
    let writing = this.#writingReports.get(location.directory);
    if (!writing) {
      writing = this.writeReport({ datasetId: location.datasetId }).finally(() => this.#writingReports.delete(location.directory));
      this.#writingReports.set(location.directory, writing);
    }
    await writing;
    return { ...location, written: true };
  }

  // Whole pipeline

  runPipeline(input: RunPipelineInput, options: RunPipelineOptions = {}): Promise<RunSummary> {
    return this.#track(options, (tracked) => runWorkspacePipeline(this.#context, input, tracked));
  }

  /** A pilot of the config in a temporary data directory, and what the whole config will take. */
  estimateRun(input: EstimateRunInput = {}, options: RunPipelineOptions = {}): Promise<RunEstimate> {
    return this.#track(options, (tracked) => estimateRun(this.#context, input, tracked));
  }

  // Inspection

  listEpisodes(filter: EpisodeFilter = {}, page: PageRequest = {}): Promise<Page<EpisodeSummary>> {
    return listEpisodes(this.store, filter, page);
  }

  async getEpisode(episodeId: string): Promise<EpisodeRecord> {
    if (this.#interactive.has(episodeId)) throw new InputError(`episode ${episodeId} is still live: call end_episode to store it, then read it`);
    return this.store.episodes.require(episodeId);
  }

  /** A judgment by id, or the newest judgment of an episode. */
  getJudgment(input: { judgmentId?: string | undefined; episodeId?: string | undefined }): Promise<JudgmentRecord> {
    return getJudgment(this.store, input);
  }

  /** An episode with what its newest judgment says (absent when it is not judged). */
  async getEpisodeWithVerdict(episodeId: string): Promise<EpisodeRecord & { judgment?: VerdictView }> {
    const episode = await this.getEpisode(episodeId);
    const judgmentId = await findLatestJudgmentId(this.store, episodeId);
    return judgmentId === undefined ? episode : { ...episode, judgment: viewVerdict(await this.store.judgments.require(judgmentId)) };
  }

  /** Ids of the newest judgments, newest first. */
  async recentJudgmentIds(limit: number): Promise<string[]> {
    return [...(await this.store.judgments.facts()).keys()].reverse().slice(0, limit);
  }

  recentEpisodeIds(limit: number): Promise<string[]> {
    return listRecentEpisodeIds(this.store, limit);
  }

  getTask(taskId: string): Promise<TaskRecord> {
    return this.store.tasks.require(taskId);
  }

  getAgent(agentId: string): Promise<AgentRecord> {
    return this.store.agents.require(agentId);
  }

  getDataset(datasetId: string): Promise<DatasetRecord> {
    return this.store.datasets.require(datasetId);
  }

  listTasks(): Promise<TaskRecord[]> {
    return this.store.tasks.all();
  }

  listAgents(): Promise<AgentRecord[]> {
    return this.store.agents.all();
  }

  listDatasets(): Promise<DatasetRecord[]> {
    return this.store.datasets.all();
  }

  listDomains(): Promise<DomainRecord[]> {
    return this.store.domains.all();
  }

  async listToolNames(): Promise<string[]> {
    return (await this.store.tools.all()).map((tool) => tool.name);
  }

  getStats(): Promise<WorkspaceStats> {
    return computeStats(this.store, this.#interactive.size);
  }

  /**
   * Stop the operations in flight (their runs are marked cancelled), discard live interactive episodes, and
   * close the store.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  async #shutDown(): Promise<void> {
    this.#closed.abort();
    await Promise.allSettled([...this.#inFlight]);
    await this.#interactive.closeAll();
    await this.#context.servers.close();
    await this.#context.responseCache?.close();
    await this.store.close();
  }

  /** Run a long operation with a signal that also aborts when the workspace closes. */
  #track<T>(options: OperationOptions, operation: (options: OperationOptions) => Promise<T>): Promise<T> {
    if (this.#closed.signal.aborted) return Promise.reject(new InputError("the workspace is closed"));
    const signal = options.signal ? AbortSignal.any([options.signal, this.#closed.signal]) : this.#closed.signal;
    const promise = operation({ ...options, signal });
    this.#inFlight.add(promise);
    void promise.then(
      () => this.#inFlight.delete(promise),
      () => this.#inFlight.delete(promise),
    );
    return promise;
  }
}

export type { OperationOptions } from "./operation-options.js";

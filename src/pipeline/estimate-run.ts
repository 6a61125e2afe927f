import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ModelRole } from "../domain/common.js";
import { PipelineConfigSchema, type PipelineConfig } from "../domain/config.js";
import type { ModelUsageReport, Projection, RunEstimate, Spend } from "../domain/model-usage.js";
import { InputError } from "../errors/input-error.js";
import type { ModelPurpose } from "../model/language-model.js";
import { STAGE_OF_PURPOSE } from "../model/usage.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/types.js";
import { loadConfigFile } from "./load-config.js";
import { McpServers } from "./mcp-servers.js";
import type { WorkspaceContext } from "./workspace-context.js";
import { runConfigured, type RunPipelineOptions } from "./workspace-pipeline.js";

export interface EstimateRunInput {
  /** A pipeline config file (default: the workspace's config). */
  configFile?: string | undefined;
  /** Episodes the pilot simulates (default 4). */
  pilotEpisodes?: number | undefined;
}

export const DEFAULT_PILOT_EPISODES = 4;
/** Domains and agents of the pilot: enough to mix, few enough to be cheap. */
const PILOT_DOMAINS = 2;
const PILOT_AGENTS = 2;

const ROLE_OF_PURPOSE: Record<ModelPurpose, ModelRole> = {
  "domain-evolution": "generator",
  "tool-synthesis": "generator",
  "agent-generation": "generator",
  "task-generation": "generator",
  "user-turn": "userSimulator",
  "agent-turn": "agent",
  "tool-simulation": "toolSimulator",
  judge: "judge",
};

/**
 * Run a pilot of the config (a few episodes, every stage, the configured models) in a temporary data directory,
 * then project requests, tokens and cost per role and per stage for the whole config: each stage's usage scaled
 * by the full run's units over the pilot's (domains, agents, tasks, episodes). The pilot's requests are real and
 * paid for; the workspace's store is not touched. Stored tools the config builds agents from (imported, real)
 * are copied into the pilot's store; real servers are connected afresh for it.
 */
export async function estimateRun(context: WorkspaceContext, input: EstimateRunInput, options: RunPipelineOptions = {}): Promise<RunEstimate> {
  const pilotEpisodes = input.pilotEpisodes ?? DEFAULT_PILOT_EPISODES;
  if (!Number.isInteger(pilotEpisodes) || pilotEpisodes < 1) throw new InputError(`pilot episodes: expected a positive integer, got ${pilotEpisodes}`);
  const loaded = input.configFile ? await loadConfigFile(input.configFile, context.fileAccess) : { config: context.config, directory: context.configDirectory };
  const full = loaded.config;
  const pilot = pilotConfig(full, pilotEpisodes);
  const directory = await mkdtemp(join(tmpdir(), "agentsynth-estimate-"));
  const started = performance.now();
  let store: Store | undefined;
  let servers: McpServers | undefined;
  try {
    store = await openStore({ dataDir: join(directory, "data") });
    await copyStoredTools(context.store, store);
    if (full.tools.sources.includes("real")) {
      servers = await McpServers.open({ file: context.servers.file, store, env: context.env, ids: context.ids, clock: context.clock, execution: pilot.tools.execution, onWarning: context.onWarning });
    }
    const { result, models } = await runConfigured(context, { config: pilot, configDirectory: loaded.directory, fileAccess: input.configFile ? context.fileAccess : undefined, store, servers, outDir: join(directory, "out") }, options);
    return project(full, pilot, result.run.counts, models.usage.report(), (performance.now() - started) / 1000);
  } finally {
    await servers?.close();
    await store?.close();
    await rm(directory, { recursive: true, force: true });
  }
}

/** The config, scaled down to a pilot that keeps every episode (so that each stage runs on all of them). */
export function pilotConfig(full: PipelineConfig, episodes: number): PipelineConfig {
  const perTask = full.simulation.episodesPerTask;
  const tasks = Math.max(1, Math.min(full.tasks.count, Math.ceil(episodes / perTask)));
  return PipelineConfigSchema.parse({
    ...full,
    name: `${full.name}-pilot`,
    domains: { ...full.domains, count: Math.min(full.domains.count, PILOT_DOMAINS) },
    agents: { ...full.agents, count: Math.min(full.agents.count, PILOT_AGENTS) },
    tasks: { count: tasks },
    filter: { ...full.filter, requirePass: false, minScore: 0, dedupe: false, requiredCriteria: [] },
    export: { ...full.export, split: undefined },
  });
}

interface PilotCounts {
  domains: number;
  agents: number;
  tasks: number;
  episodes: number;
  judged: number;
}

function project(full: PipelineConfig, pilot: PipelineConfig, counts: PilotCounts, usage: ModelUsageReport, seconds: number): RunEstimate {
  const fullEpisodes = full.tasks.count * full.simulation.episodesPerTask;
  const synthetic = full.tools.sources.includes("synthetic");
  const scale: Record<string, number> = {
    domains: synthetic ? ratio(full.domains.count, pilot.domains.count) : 0,
    tools: synthetic ? ratio(full.domains.count, pilot.domains.count) : 0,
    agents: ratio(full.agents.count, counts.agents),
    tasks: ratio(full.tasks.count, counts.tasks),
    simulate: ratio(fullEpisodes, counts.episodes),
    judge: ratio(fullEpisodes, counts.judged),
  };
  const total = emptyProjection();
  const roles: Partial<Record<ModelRole, Projection>> = {};
  const stages: Record<string, Projection> = {};
  const pilotUsage = emptyProjection();
  for (const [purpose, spend] of Object.entries(usage.purposes) as Array<[ModelPurpose, Spend]>) {
    const stage = STAGE_OF_PURPOSE[purpose];
    const factor = scale[stage] ?? 1;
    add(pilotUsage, spend, 1);
    add(total, spend, factor);
    add((roles[ROLE_OF_PURPOSE[purpose]] ??= emptyProjection()), spend, factor);
    add((stages[stage] ??= emptyProjection()), spend, factor);
  }
  const notes: string[] = [];
  if (usage.unpricedModels.length > 0) notes.push(`no price in models.prices for ${usage.unpricedModels.join(", ")}: their cost is counted as 0`);
  if (counts.episodes === 0) notes.push("the pilot produced no episode: the simulate and judge stages could not be projected");
  if (full.tools.sources.includes("real")) notes.push("real tools: the pilot connected to the configured MCP servers; their calls cost no tokens");
  return {
    configName: full.name,
    pilot: { counts: { ...counts }, usage: round(pilotUsage), seconds: Math.round(seconds * 10) / 10 },
    full: { domains: full.domains.count, agents: full.agents.count, tasks: full.tasks.count, episodes: fullEpisodes },
    scale,
    projected: {
      total: round(total),
      roles: Object.fromEntries(Object.entries(roles).map(([role, projection]) => [role, round(projection)])),
      stages: Object.fromEntries(Object.entries(stages).map(([stage, projection]) => [stage, round(projection)])),
    },
    unpricedModels: usage.unpricedModels,
    notes,
  };
}

/** Imported and real tools (and their domains) the pilot may build agents from. */
async function copyStoredTools(from: Store, to: Store): Promise<void> {
  const tools = await from.tools.find((tool) => !tool.stale && tool.domainId !== undefined && tool.source !== "synthetic");
  if (tools.length === 0) return;
  const domainIds = new Set(tools.map((tool) => tool.domainId));
  await to.domains.putMany(await from.domains.find((domain) => domainIds.has(domain.id)));
  await to.tools.putMany(tools);
}

function ratio(fullUnits: number, pilotUnits: number): number {
  return pilotUnits > 0 ? fullUnits / pilotUnits : 0;
}

function emptyProjection(): Projection {
  return { requests: 0, inputTokens: 0, outputTokens: 0, cost: 0 };
}

function add(into: Projection, spend: Projection, factor: number): void {
  into.requests += spend.requests * factor;
  into.inputTokens += spend.inputTokens * factor;
  into.outputTokens += spend.outputTokens * factor;
  into.cost += spend.cost * factor;
}

function round(projection: Projection): Projection {
  return {
    requests: Math.round(projection.requests),
    inputTokens: Math.round(projection.inputTokens),
    outputTokens: Math.round(projection.outputTokens),
    cost: Math.round(projection.cost * 10_000) / 10_000,
  };
}

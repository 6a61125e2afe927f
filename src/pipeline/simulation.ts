import type { EpisodeRecord } from "../domain/episode.js";
import type { TaskRecord } from "../domain/task.js";
import { InputError } from "../errors/input-error.js";
import { simulateTasks } from "../simulate/simulate-tasks.js";
import { prepareLiveExecution } from "./live-execution.js";
import { requireAll } from "./require-records.js";
import { applyRunOverrides } from "./run-overrides.js";
import { runTracked } from "./tracked-run.js";
import type { OperationOptions } from "./operation-options.js";
import { chooseSeed, describeRunContext, type WorkspaceContext } from "./workspace-context.js";

export interface TaskSelection {
  agentId?: string | undefined;
  domainId?: string | undefined;
  difficulty?: TaskRecord["difficulty"] | undefined;
}

export interface SimulateInput {
  taskIds?: string[] | undefined;
  /** Used when taskIds is not given: every task matching it (all tasks when empty). */
  filter?: TaskSelection | undefined;
  episodesPerTask?: number | undefined;
  concurrency?: number | undefined;
  seed?: number | undefined;
  maxTurns?: number | undefined;
  maxSteps?: number | undefined;
  /** The total fault rate, spread over the configured kinds. */
  faultRate?: number | undefined;
}

export interface EpisodesSummary {
  episodes: number;
  completed: number;
  failed: number;
  endReasons: Record<string, number>;
  labels: Record<string, number>;
}

export interface SimulateResult {
  runId: string;
  episodeIds: string[];
  summary: EpisodesSummary;
}

/** Simulate episodes of the chosen tasks, each stored as it finishes, inside one tracked run. */
export async function simulate(context: WorkspaceContext, input: SimulateInput, options: OperationOptions): Promise<SimulateResult> {
  const { store } = context;
  const tasks = input.taskIds ? await requireAll(store.tasks, "task", input.taskIds) : await selectTasks(context, input.filter ?? {});
  if (tasks.length === 0) throw new InputError("no task matches: create one with create_task or generate_tasks, or loosen the filter");
  const agents = await requireAll(store.agents, "agent", [...new Set(tasks.map((task) => task.agentId))]);
  const seed = chooseSeed(context, input.seed, "simulate", await store.episodes.count());
  const overridden = applyRunOverrides(context.config, { maxSteps: input.maxSteps, faultRate: input.faultRate });
  const simulation = {
    ...overridden.simulation,
    ...(input.episodesPerTask !== undefined ? { episodesPerTask: input.episodesPerTask } : {}),
    ...(input.concurrency !== undefined ? { concurrency: input.concurrency } : {}),
    ...(input.maxTurns !== undefined ? { maxTurns: input.maxTurns } : {}),
  };
  const config = { ...context.config, simulation };
  const tools = await store.tools.all();
  const live = await prepareLiveExecution({ store, servers: context.servers, execution: config.tools.execution, tools, ids: context.ids, clock: context.clock });
  return runTracked(describeRunContext(context, { stage: "simulate", source: "workspace:simulate", seed, config }, options), async (run) => {
    const episodes = await simulateTasks(run.env, {
      tasks,
      agents,
      tools,
      domains: await store.domains.all(),
      live,
      episodesPerTask: simulation.episodesPerTask,
      concurrency: simulation.concurrency,
      limits: simulation,
      onEpisode: async (episode) => {
        await store.episodes.append(episode);
        run.counts.episodes++;
        if (episode.status !== "completed") run.counts.episodesFailed++;
      },
    });
    return { runId: run.id, episodeIds: episodes.map((episode) => episode.id), summary: summarizeEpisodes(episodes) };
  });
}

export function summarizeEpisodes(episodes: readonly EpisodeRecord[]): EpisodesSummary {
  const summary: EpisodesSummary = { episodes: episodes.length, completed: 0, failed: 0, endReasons: {}, labels: {} };
  for (const episode of episodes) {
    if (episode.status === "completed") summary.completed++;
    else summary.failed++;
    summary.endReasons[episode.endReason] = (summary.endReasons[episode.endReason] ?? 0) + 1;
    for (const label of episode.labels) summary.labels[label] = (summary.labels[label] ?? 0) + 1;
  }
  return summary;
}

async function selectTasks(context: WorkspaceContext, filter: TaskSelection): Promise<TaskRecord[]> {
  const agents = filter.domainId === undefined ? undefined : new Set((await context.store.agents.find((agent) => agent.domainId === filter.domainId)).map((agent) => agent.id));
  return context.store.tasks.find(
    (task) =>
      (filter.agentId === undefined || task.agentId === filter.agentId) &&
      (agents === undefined || agents.has(task.agentId)) &&
      (filter.difficulty === undefined || task.difficulty === filter.difficulty),
  );
}

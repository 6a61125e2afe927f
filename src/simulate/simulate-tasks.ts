import type { AgentRecord } from "../domain/agent.js";
import type { DomainRecord } from "../domain/domain.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { TaskRecord } from "../domain/task.js";
import type { ToolRecord } from "../domain/tool.js";
import type { StageEnv } from "../model/stage-env.js";
import { mapConcurrent } from "../support/concurrency.js";
import { seedFrom } from "../support/hash.js";
import type { LiveExecution } from "./live-tools.js";
import { simulateEpisode, type EpisodeLimits } from "./simulate-episode.js";

export interface SimulateTasksOptions {
  tasks: readonly TaskRecord[];
  agents: readonly AgentRecord[];
  tools: readonly ToolRecord[];
  domains: readonly DomainRecord[];
  episodesPerTask: number;
  concurrency: number;
  /** Limits and simulation settings of every episode (the pipeline passes `config.simulation`: faults and contextBudget included). */
  limits: EpisodeLimits;
  /** Live MCP servers, the execution policy and the recordings; without it every tool is simulated. */
  live?: LiveExecution | undefined;
  /** Called as each episode finishes (persist it here, so a crash loses at most the episodes in flight). */
  onEpisode: (episode: EpisodeRecord) => Promise<void>;
}

/**
 * Simulate `episodesPerTask` episodes of every task, `concurrency` at a time. Each episode's seed comes from
 * the run seed and the episode's position, so a seed reproduces the run whatever the timing.
 */
export async function simulateTasks(env: StageEnv, options: SimulateTasksOptions): Promise<EpisodeRecord[]> {
  const agents = new Map(options.agents.map((agent) => [agent.id, agent]));
  const tools = new Map(options.tools.map((tool) => [tool.id, tool]));
  const domains = new Map(options.domains.map((domain) => [domain.id, domain]));
  const jobs = options.tasks.flatMap((task, taskIndex) =>
    Array.from({ length: options.episodesPerTask }, (_, index) => ({ task, index, seed: seedFrom(env.seed, "episode", taskIndex, index) })),
  );
  let done = 0;
  return mapConcurrent(
    jobs,
    options.concurrency,
    async ({ task, index, seed }) => {
      const agent = agents.get(task.agentId);
      if (!agent) throw new Error(`task ${task.id} names agent ${task.agentId}, which is not loaded`);
      const toolset = agent.toolIds.map((id) => tools.get(id)).filter((tool): tool is ToolRecord => tool !== undefined);
      const episode = await simulateEpisode(env, {
        task,
        agent,
        tools: toolset,
        domains: [...new Set(toolset.map((tool) => tool.domainId))].flatMap((id) => (id !== undefined && domains.has(id) ? [domains.get(id) as DomainRecord] : [])),
        index,
        seed,
        limits: options.limits,
        live: options.live,
      });
      await options.onEpisode(episode);
      env.onProgress?.({ done: ++done, total: jobs.length, message: `${episode.endReason}` });
      return episode;
    },
    env.signal,
  );
}

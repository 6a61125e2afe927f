import type { EpisodeRecord } from "../domain/episode.js";
import type { ChatMessage } from "../domain/message.js";
import type { ToolRecord } from "../domain/tool.js";
import { CancelledError } from "../errors/cancelled-error.js";
import { InputError } from "../errors/input-error.js";
import { NotFoundError } from "../errors/not-found-error.js";
import { EpisodeSession } from "../simulate/episode-session.js";
import { prepareLiveExecution } from "./live-execution.js";
import { isCancellation, startRun, type TrackedRun } from "./tracked-run.js";
import type { OperationOptions } from "./operation-options.js";
import { chooseSeed, describeRunContext, type WorkspaceContext } from "./workspace-context.js";

export interface StartedEpisode {
  episodeId: string;
  runId: string;
  taskId: string;
  agentId: string;
  goal: string;
  tools: string[];
  messages: ChatMessage[];
}

export interface EpisodeTurn {
  episodeId: string;
  /** What this turn added: the user message, the agent's tool calls and their results, the agent's answer. */
  newMessages: ChatMessage[];
  userTurns: number;
  /** True when a limit ended the episode: call end_episode to store it. */
  ended: boolean;
  endReason?: string | undefined;
}

interface LiveEpisode {
  session: EpisodeSession;
  run: TrackedRun & { finish(error?: unknown): Promise<void> };
  maxTurns: number;
  busy: boolean;
}

/**
 * Episodes in which a host speaks as the user: the server runs the agent and its tools after each user
 * message. They live in memory until ended; only then is the episode stored, whole. An episode whose turn
 * fails or is cancelled is discarded (its run says so), since it could not become a whole record.
 */
export class InteractiveEpisodes {
  readonly #context: WorkspaceContext;
  readonly #live = new Map<string, LiveEpisode>();

  constructor(context: WorkspaceContext) {
    this.#context = context;
  }

  get size(): number {
    return this.#live.size;
  }

  has(episodeId: string): boolean {
    return this.#live.has(episodeId);
  }

  async start(input: { taskId: string; seed?: number | undefined }): Promise<StartedEpisode> {
    const { store, config } = this.#context;
    const task = await store.tasks.require(input.taskId);
    const agent = await store.agents.require(task.agentId);
    const tools = (await Promise.all(agent.toolIds.map((id) => store.tools.get(id)))).filter((tool): tool is ToolRecord => tool !== undefined);
    const domainIds = new Set([agent.domainId, ...agent.domainIds, ...tools.map((tool) => tool.domainId)]);
    const domains = await store.domains.find((domain) => domainIds.has(domain.id));
    const seed = chooseSeed(this.#context, input.seed, "interactive", (await store.episodes.count()) + this.#live.size);
    const live = await prepareLiveExecution({ store, servers: this.#context.servers, execution: config.tools.execution, tools, ids: this.#context.ids, clock: this.#context.clock });
    const run = await startRun(describeRunContext(this.#context, { stage: "simulate", source: "workspace:interactive-episode", seed }, {}));
    const session = new EpisodeSession(run.env, { task, agent, tools, domains, index: 0, seed, limits: config.simulation, live, source: "simulate:interactive" });
    session.addLabel("interactive");
    const episodeId = this.#context.ids.next("ep");
    this.#live.set(episodeId, { session, run, maxTurns: config.simulation.maxTurns, busy: false });
    return { episodeId, runId: run.id, taskId: task.id, agentId: agent.id, goal: task.goal, tools: tools.map((tool) => tool.name), messages: [...session.messages] };
  }

  /** Add the host's user message and run the agent (and its tools) until it answers. */
  async send(input: { episodeId: string; message: string }, options: OperationOptions = {}): Promise<EpisodeTurn> {
    const live = await this.#require(input.episodeId);
    const { session } = live;
    if (live.busy) throw new InputError(`episode ${input.episodeId} is still answering the previous message; wait for that call to return`);
    if (session.ended) throw new InputError(`episode ${input.episodeId} has ended (${session.endReason}); call end_episode to store it`);
    if (session.userTurns >= live.maxTurns) throw new InputError(`episode ${input.episodeId} has reached its ${live.maxTurns} user turns; call end_episode to store it`);
    if (input.message.trim() === "") throw new InputError("the message is empty: write what the user says");
    live.busy = true;
    const before = session.messages.length;
    try {
      session.addUserMessage(input.message, { actor: "user_simulator", latencyMs: 0, labels: ["host_user"] });
      await session.runAgentUntilAnswer(options.signal);
      return { episodeId: input.episodeId, newMessages: session.messages.slice(before), userTurns: session.userTurns, ended: session.ended, ...(session.ended ? { endReason: session.endReason } : {}) };
    } catch (error) {
      this.#live.delete(input.episodeId);
      await live.run.finish(error).catch(() => undefined);
      if (isCancellation(error, options.signal)) throw new CancelledError(`the turn was cancelled, so episode ${input.episodeId} could not be completed and was discarded (its run ${live.run.id} is marked cancelled)`);
      throw error;
    } finally {
      live.busy = false;
    }
  }

  /** End the episode and store it. */
  async end(episodeId: string): Promise<EpisodeRecord> {
    const live = await this.#require(episodeId);
    if (live.busy) throw new InputError(`episode ${episodeId} is still answering a message; end it when that call has returned`);
    const { session, run } = live;
    if (!session.ended) {
      if (session.userTurns === 0) session.end("error", "the episode was ended before any user message");
      else session.end("user_stop");
    }
    const record = session.toRecord(episodeId);
    await this.#context.store.episodes.append(record);
    this.#live.delete(episodeId);
    run.counts.episodes = 1;
    run.counts.episodesFailed = record.status === "completed" ? 0 : 1;
    await run.finish();
    return record;
  }

  /** Discard every live episode; their runs are marked cancelled. */
  async closeAll(): Promise<void> {
    const live = [...this.#live.values()];
    this.#live.clear();
    await Promise.all(live.map((episode) => episode.run.finish(new CancelledError()).catch(() => undefined)));
  }

  async #require(episodeId: string): Promise<LiveEpisode> {
    const live = this.#live.get(episodeId);
    if (live) return live;
    if (await this.#context.store.episodes.get(episodeId)) throw new InputError(`episode ${episodeId} has already ended and is stored; read it with get_episode`);
    throw new NotFoundError("live episode", episodeId);
  }
}

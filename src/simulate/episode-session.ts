import type { AgentRecord } from "../domain/agent.js";
import { SCHEMA_VERSION, type JsonObject, type TokenUsage } from "../domain/common.js";
import type { DomainSpec } from "../domain/domain.js";
import type { EndReason, EpisodeRecord, Step } from "../domain/episode.js";
import type { AssistantMessage, ChatMessage, ToolCall } from "../domain/message.js";
import type { TaskRecord } from "../domain/task.js";
import { toFunctionTool, type FunctionTool, type ToolRecord } from "../domain/tool.js";
import { ModelOutputError } from "../errors/model-output-error.js";
import { generateText } from "../model/generate.js";
import type { ToolCallRecord } from "../model/request-context.js";
import type { StageEnv } from "../model/stage-env.js";
import { throwIfAborted } from "../support/concurrency.js";
import { seedFrom } from "../support/hash.js";
import { executeToolCall } from "./tool-executor.js";
import { generateUserTurn } from "./user-simulator.js";

export interface EpisodeLimits {
  maxTurns: number;
  maxSteps: number;
  maxToolCallsPerTurn: number;
}

export interface EpisodeSessionOptions {
  task: TaskRecord;
  agent: AgentRecord;
  tools: readonly ToolRecord[];
  domain?: DomainSpec | undefined;
  index: number;
  seed: number;
  limits: EpisodeLimits;
  /** Provenance source of the record (default "simulate"). */
  source?: string | undefined;
}

type StepInput = Omit<Step, "index" | "labels"> & { labels?: string[] };

/**
 * One episode in progress: the messages so far, per-message steps, the world state and what went wrong.
 * The pieces of the episode loop are methods, so a batch simulation (the user simulator speaks) and an
 * interactive one (a host speaks as the user) share them. Each method takes an optional signal that
 * replaces the environment's for that call (an interactive episode spans several requests).
 */
export class EpisodeSession {
  readonly #env: StageEnv;
  readonly #options: EpisodeSessionOptions;
  readonly #toolsByName: ReadonlyMap<string, ToolRecord>;
  readonly #functionTools: FunctionTool[];
  readonly #messages: ChatMessage[];
  readonly #steps: Step[] = [{ index: 0, actor: "system", latencyMs: 0, labels: [] }];
  readonly #labels = new Set<string>();
  readonly #promptHashes = new Set<string>();
  readonly #usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  readonly #history: ToolCallRecord[] = [];
  #state: JsonObject;
  #userTurns = 0;
  #endReason: EndReason = "max_turns";
  #error: string | undefined;
  #ended = false;

  constructor(env: StageEnv, options: EpisodeSessionOptions) {
    this.#env = env;
    this.#options = options;
    this.#toolsByName = new Map(options.tools.map((tool) => [tool.name, tool]));
    this.#functionTools = options.tools.map(toFunctionTool);
    this.#messages = [{ role: "system", content: options.agent.systemPrompt }];
    this.#state = structuredClone(options.task.initialState);
  }

  get messages(): readonly ChatMessage[] {
    return this.#messages;
  }

  get userTurns(): number {
    return this.#userTurns;
  }

  /** True once a limit, a stop or an error ended the conversation: nothing more may be added. */
  get ended(): boolean {
    return this.#ended;
  }

  get endReason(): EndReason {
    return this.#endReason;
  }

  get worldState(): JsonObject {
    return this.#state;
  }

  addLabel(label: string): void {
    this.#labels.add(label);
  }

  /**
   * Ask the user simulator for the next user turn and add it. Returns false when the conversation is over:
   * the user stopped, or the simulator failed (recorded as labels, not thrown).
   */
  async runUserSimulator(signal?: AbortSignal): Promise<boolean> {
    const env = this.#envFor(signal);
    throwIfAborted(env.signal);
    const turn = this.#userTurns;
    let userTurn;
    try {
      userTurn = await generateUserTurn(env, { task: this.#options.task, messages: this.#messages, turn, maxTurns: this.#options.limits.maxTurns, seed: seedFrom(this.#options.seed, "user", turn) });
    } catch (caught) {
      if (!(caught instanceof ModelOutputError)) throw caught;
      this.#labels.add("user_simulator_invalid_output");
      this.end("error", caught.message);
      return false;
    }
    this.#promptHashes.add(userTurn.promptHash);
    const { message, stop } = userTurn.object;
    if (stop) {
      if (turn === 0) this.#labels.add("user_stopped_before_start");
      this.end(turn === 0 ? "error" : "user_stop");
      return false;
    }
    if (message.trim() === "") {
      this.#labels.add("user_simulator_empty_message");
      this.end("error", "the user simulator sent an empty message without stopping");
      return false;
    }
    this.addUserMessage(message, { actor: "user_simulator", model: userTurn.response.model, latencyMs: userTurn.latencyMs, usage: userTurn.usage });
    return true;
  }

  /** Add a user message (from the user simulator, or from a host speaking as the user). */
  addUserMessage(content: string, step: StepInput = { actor: "user_simulator", latencyMs: 0 }): void {
    this.#assertOpen();
    this.#push({ role: "user", content }, step);
    this.#userTurns++;
  }

  /**
   * The agent acts, each tool call answered by the tool executor, until it answers in text (no tool calls).
   * Returns false when the episode hit `maxSteps` and is over.
   */
  async runAgentUntilAnswer(signal?: AbortSignal): Promise<boolean> {
    this.#assertOpen();
    const env = this.#envFor(signal);
    const { agent, limits, seed } = this.#options;
    const turn = this.#userTurns - 1;
    for (let round = 0; ; round++) {
      throwIfAborted(env.signal);
      if (this.#messages.length >= limits.maxSteps) {
        this.end("max_steps");
        return false;
      }
      const { response, promptHash } = await generateText(env.models.agent, {
        purpose: "agent-turn",
        messages: this.#messages,
        ...(this.#functionTools.length ? { tools: this.#functionTools, toolChoice: "auto" as const, parallelToolCalls: agent.behavior.parallelToolCalls } : {}),
        seed: seedFrom(seed, "agent", turn, round),
        signal: env.signal,
      });
      this.#promptHashes.add(promptHash);
      const assistant: AssistantMessage = { role: "assistant", content: response.content };
      if (response.toolCalls.length) assistant.tool_calls = response.toolCalls;
      if (response.reasoning) assistant.reasoning_content = response.reasoning;
      const stepLabels: string[] = [];
      if (!response.content && response.toolCalls.length === 0) stepLabels.push("agent_empty_reply");
      this.#push(assistant, { actor: "agent", model: response.model, latencyMs: response.latencyMs, usage: response.usage, labels: stepLabels });
      stepLabels.forEach((label) => this.#labels.add(label));
      if (response.toolCalls.length === 0) return true;
      for (const [callIndex, call] of response.toolCalls.entries()) await this.#answerToolCall(env, call, callIndex);
    }
  }

  /** End the conversation; later calls to add messages fail. */
  end(reason: EndReason, error?: string): void {
    this.#ended = true;
    this.#endReason = reason;
    if (error !== undefined) this.#error = error;
  }

  /** The episode record; `id` defaults to a fresh `ep_…` id. */
  toRecord(id?: string): EpisodeRecord {
    const env = this.#env;
    const { task, agent, seed } = this.#options;
    return {
      id: id ?? env.ids.next("ep"),
      kind: "episode",
      createdAt: env.clock.now().toISOString(),
      schemaVersion: SCHEMA_VERSION,
      provenance: {
        source: this.#options.source ?? "simulate",
        models: { agent: env.models.agent.ref, userSimulator: env.models.userSimulator.ref, toolSimulator: env.models.toolSimulator.ref },
        seed,
        promptHashes: [...this.#promptHashes],
        ...(env.runId ? { runId: env.runId } : {}),
      },
      ...(env.runId ? { runId: env.runId } : {}),
      taskId: task.id,
      agentId: agent.id,
      index: this.#options.index,
      seed,
      toolIds: this.#options.tools.map((tool) => tool.id),
      messages: structuredClone(this.#messages),
      steps: structuredClone(this.#steps),
      worldState: { initial: task.initialState, final: structuredClone(this.#state) },
      status: this.#endReason === "error" ? "failed" : this.#endReason === "cancelled" ? "cancelled" : "completed",
      endReason: this.#endReason,
      ...(this.#error ? { error: this.#error } : {}),
      labels: [...this.#labels].sort(),
      contextCuts: [],
      usage: { ...this.#usage },
    };
  }

  async #answerToolCall(env: StageEnv, call: ToolCall, callIndex: number): Promise<void> {
    const { limits, seed, domain } = this.#options;
    if (callIndex >= limits.maxToolCallsPerTurn) {
      const result = { error: "too_many_tool_calls", message: `At most ${limits.maxToolCallsPerTurn} tool calls are allowed in one turn; this call was not run.` };
      this.#push({ role: "tool", tool_call_id: call.id, content: JSON.stringify(result) }, {
        actor: "tool_executor",
        latencyMs: 0,
        tool: { toolCallId: call.id, toolName: call.function.name, execution: "simulated", outcome: "invalid_call", error: result.message, stateDiff: [] },
        labels: ["too_many_tool_calls"],
      });
      this.#labels.add("too_many_tool_calls");
      return;
    }
    const execution = await executeToolCall(env, { call, tools: this.#toolsByName, state: this.#state, history: this.#history, domain, seed: seedFrom(seed, "tool", this.#messages.length) });
    this.#state = execution.state;
    this.#history.push(execution.record);
    execution.labels.forEach((label) => this.#labels.add(label));
    this.#push({ role: "tool", tool_call_id: call.id, content: execution.content }, {
      actor: "tool_executor",
      ...(execution.simulated ? { model: env.models.toolSimulator.ref } : {}),
      latencyMs: execution.latencyMs,
      usage: execution.usage,
      tool: execution.step,
      labels: execution.labels,
    });
  }

  #push(message: ChatMessage, step: StepInput): void {
    this.#steps.push({ labels: [], ...step, index: this.#messages.length });
    this.#messages.push(message);
    if (step.usage) {
      this.#usage.inputTokens += step.usage.inputTokens;
      this.#usage.outputTokens += step.usage.outputTokens;
    }
  }

  #assertOpen(): void {
    if (this.#ended) throw new Error(`the episode has ended (${this.#endReason}); nothing more can be added`);
  }

  #envFor(signal: AbortSignal | undefined): StageEnv {
    return signal ? { ...this.#env, signal } : this.#env;
  }
}

import type { JsonObject, TokenUsage } from "../domain/common.js";
import type { EndReason, EpisodeRecord, FaultPlan, Step } from "../domain/episode.js";
import type { AssistantMessage, ChatMessage, ToolCall } from "../domain/message.js";
import { toFunctionTool, type FunctionTool, type ToolRecord } from "../domain/tool.js";
import { generateText } from "../model/generate.js";
import type { ToolCallRecord } from "../model/request-context.js";
import type { StageEnv } from "../model/stage-env.js";
import { throwIfAborted } from "../support/concurrency.js";
import { seedFrom } from "../support/hash.js";
import { ContextWindow } from "./context-budget.js";
import { buildEpisodeRecord } from "./episode-record.js";
import { runToolCallWithFault } from "./fault-injection.js";
import { drawFault, hasFaults, isBlockingFault } from "./faults.js";
import type { EpisodeLimits, EpisodeSessionOptions } from "./episode-options.js";
import { sampleUserTurn } from "./user-turn-sampler.js";
import { checkUserMessage } from "./user-turn-guard.js";
import { executionOf } from "./tool-executor.js";
import { trackDeletedIds } from "./world-consistency.js";

export type { EpisodeLimits, EpisodeSessionOptions };

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
  readonly #deletedIds = new Set<string>();
  readonly #faultPlan: FaultPlan | undefined;
  readonly #window: ContextWindow | undefined;
  #toolCalls = 0;
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
    const { faults, contextBudget } = options.limits;
    this.#faultPlan = hasFaults(faults) ? { rates: { ...faults }, injected: [] } : undefined;
    this.#window = contextBudget ? new ContextWindow(contextBudget) : undefined;
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
   * the user stopped, the step limit was reached, or the simulator failed (recorded as labels, not thrown).
   * Invalid replies and a stop right after a confirmation request are sampled again first (see sampleUserTurn).
   */
  async runUserSimulator(signal?: AbortSignal): Promise<boolean> {
    const env = this.#envFor(signal);
    throwIfAborted(env.signal);
    const { task, limits, seed } = this.#options;
    if (this.#messages.length >= limits.maxSteps) {
      this.end("max_steps");
      return false;
    }
    const turn = this.#userTurns;
    const sample = await sampleUserTurn(env, { task, messages: this.#messages, turn, maxTurns: limits.maxTurns, seed: seedFrom(seed, "user", turn) });
    sample.promptHashes.forEach((hash) => this.#promptHashes.add(hash));
    sample.labels.forEach((label) => this.#labels.add(label));
    if (sample.kind !== "message") this.#addUsage(sample.usage);
    if (sample.kind === "failed") {
      this.#labels.add(sample.label);
      this.end("error", sample.error);
      return false;
    }
    if (sample.kind === "stop") {
      if (sample.premature) this.#labels.add("user_stopped_before_confirmed_action");
      this.end("user_stop");
      return false;
    }
    const ruleLabels = checkUserMessage(task, this.#messages, sample.message, turn);
    ruleLabels.forEach((label) => this.#labels.add(label));
    this.addUserMessage(sample.message, { actor: "user_simulator", model: sample.model, latencyMs: sample.latencyMs, usage: sample.usage, labels: [...sample.labels, ...ruleLabels] });
    return true;
  }

  /** Add a user message (from the user simulator, or from a host speaking as the user). */
  addUserMessage(content: string, step: StepInput = { actor: "user_simulator", latencyMs: 0 }): void {
    this.#assertOpen();
    this.#push({ role: "user", content }, step);
    this.#userTurns++;
  }

  /**
   * The agent acts, each tool call answered in order by the tool executor (with its seeded fault, if any),
   * until it answers in text (no tool calls). The agent's requests stay within the context budget.
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
        messages: this.#agentView(),
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
    const { task, agent, tools, index, seed } = this.#options;
    return buildEpisodeRecord(this.#env, {
      id,
      source: this.#options.source ?? "simulate",
      task,
      agent,
      tools,
      index,
      seed,
      messages: this.#messages,
      steps: this.#steps,
      state: this.#state,
      endReason: this.#endReason,
      error: this.#error,
      labels: this.#labels,
      promptHashes: this.#promptHashes,
      usage: this.#usage,
      faultPlan: this.#faultPlan,
      contextCuts: this.#window?.cuts ?? [],
    });
  }

  /** The messages as the agent is sent them: within the context budget, when there is one. */
  #agentView(): ChatMessage[] {
    if (!this.#window || !this.#options.limits.contextBudget) return this.#messages;
    const fitted = this.#window.fit(this.#messages);
    if (fitted.tokens > this.#options.limits.contextBudget.maxTokens) this.#labels.add("context_budget_exceeded");
    return fitted.messages;
  }

  async #answerToolCall(env: StageEnv, call: ToolCall, callIndex: number): Promise<void> {
    const { limits, seed, domains, live } = this.#options;
    if (callIndex >= limits.maxToolCallsPerTurn) {
      const result = { error: "too_many_tool_calls", message: `At most ${limits.maxToolCallsPerTurn} tool calls are allowed in one turn; this call was not run.` };
      this.#push({ role: "tool", tool_call_id: call.id, content: JSON.stringify(result) }, {
        actor: "tool_executor",
        latencyMs: 0,
        tool: { toolCallId: call.id, toolName: call.function.name, execution: executionOf(this.#toolsByName.get(call.function.name)), outcome: "invalid_call", error: result.message, stateDiff: [] },
        labels: ["too_many_tool_calls"],
      });
      this.#labels.add("too_many_tool_calls");
      return;
    }
    const ordinal = this.#toolCalls++;
    const kind = this.#faultPlan ? drawFault(this.#faultPlan.rates, seed, ordinal) : undefined;
    const execution = await runToolCallWithFault(
      env,
      { call, tools: this.#toolsByName, state: this.#state, history: this.#history, domains, seed: seedFrom(seed, "tool", this.#messages.length), live, deletedIds: this.#deletedIds },
      kind ? { kind, ordinal, seed } : undefined,
    );
    this.#state = execution.state;
    trackDeletedIds(this.#deletedIds, execution.step.stateDiff);
    if (!execution.injected || !isBlockingFault(execution.injected)) this.#history.push(execution.record);
    if (execution.injected) {
      this.#faultPlan?.injected.push({ call: ordinal, toolCallId: call.id, toolName: call.function.name, kind: execution.injected });
      this.#labels.add("fault_injected");
    }
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
    if (step.usage) this.#addUsage(step.usage);
  }

  #addUsage(usage: TokenUsage): void {
    this.#usage.inputTokens += usage.inputTokens;
    this.#usage.outputTokens += usage.outputTokens;
  }

  #assertOpen(): void {
    if (this.#ended) throw new Error(`the episode has ended (${this.#endReason}); nothing more can be added`);
  }

  #envFor(signal: AbortSignal | undefined): StageEnv {
    return signal ? { ...this.#env, signal } : this.#env;
  }
}

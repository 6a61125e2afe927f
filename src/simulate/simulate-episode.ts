import type { AgentRecord } from "../domain/agent.js";
import { SCHEMA_VERSION, type JsonObject } from "../domain/common.js";
import type { DomainSpec } from "../domain/domain.js";
import type { EndReason, EpisodeRecord, Step } from "../domain/episode.js";
import type { AssistantMessage, ChatMessage } from "../domain/message.js";
import type { TaskRecord } from "../domain/task.js";
import { toFunctionTool, type ToolRecord } from "../domain/tool.js";
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

export interface SimulateEpisodeOptions {
  task: TaskRecord;
  agent: AgentRecord;
  tools: readonly ToolRecord[];
  domain?: DomainSpec | undefined;
  index: number;
  seed: number;
  limits: EpisodeLimits;
}

/**
 * One multi-turn episode: the user simulator speaks, the agent answers (calling tools as it likes, the
 * tool executor answering each call against the episode's world state), until the user stops or a limit
 * is hit. Model misbehaviour is recorded as labels; only infrastructure failures and cancellation throw.
 */
export async function simulateEpisode(env: StageEnv, options: SimulateEpisodeOptions): Promise<EpisodeRecord> {
  const { task, agent, limits } = options;
  const toolsByName = new Map(options.tools.map((tool) => [tool.name, tool]));
  const functionTools = options.tools.map(toFunctionTool);
  const messages: ChatMessage[] = [{ role: "system", content: agent.systemPrompt }];
  const steps: Step[] = [{ index: 0, actor: "system", latencyMs: 0, labels: [] }];
  const labels = new Set<string>();
  const promptHashes = new Set<string>();
  const usage = { inputTokens: 0, outputTokens: 0 };
  const history: ToolCallRecord[] = [];
  let state: JsonObject = structuredClone(task.initialState);
  let endReason: EndReason = "max_turns";
  let error: string | undefined;

  const push = (message: ChatMessage, step: Omit<Step, "index" | "labels"> & { labels?: string[] }): void => {
    steps.push({ labels: [], ...step, index: messages.length });
    messages.push(message);
    if (step.usage) {
      usage.inputTokens += step.usage.inputTokens;
      usage.outputTokens += step.usage.outputTokens;
    }
  };

  conversation: for (let turn = 0; turn < limits.maxTurns; turn++) {
    throwIfAborted(env.signal);
    let userTurn;
    try {
      userTurn = await generateUserTurn(env, { task, messages, turn, maxTurns: limits.maxTurns, seed: seedFrom(options.seed, "user", turn) });
    } catch (caught) {
      if (!(caught instanceof ModelOutputError)) throw caught;
      labels.add("user_simulator_invalid_output");
      endReason = "error";
      error = caught.message;
      break;
    }
    promptHashes.add(userTurn.promptHash);
    const { message, stop } = userTurn.object;
    if (stop) {
      endReason = turn === 0 ? "error" : "user_stop";
      if (turn === 0) labels.add("user_stopped_before_start");
      break;
    }
    if (message.trim() === "") {
      labels.add("user_simulator_empty_message");
      endReason = "error";
      error = "the user simulator sent an empty message without stopping";
      break;
    }
    push({ role: "user", content: message }, { actor: "user_simulator", model: userTurn.response.model, latencyMs: userTurn.latencyMs, usage: userTurn.usage });

    // The agent acts until it answers in text (no tool calls).
    for (let round = 0; ; round++) {
      throwIfAborted(env.signal);
      if (messages.length >= limits.maxSteps) {
        endReason = "max_steps";
        break conversation;
      }
      const { response, promptHash } = await generateText(env.models.agent, {
        purpose: "agent-turn",
        messages,
        ...(functionTools.length ? { tools: functionTools, toolChoice: "auto" as const, parallelToolCalls: agent.behavior.parallelToolCalls } : {}),
        seed: seedFrom(options.seed, "agent", turn, round),
        signal: env.signal,
      });
      promptHashes.add(promptHash);
      const assistant: AssistantMessage = { role: "assistant", content: response.content };
      if (response.toolCalls.length) assistant.tool_calls = response.toolCalls;
      if (response.reasoning) assistant.reasoning_content = response.reasoning;
      const stepLabels: string[] = [];
      if (!response.content && response.toolCalls.length === 0) stepLabels.push("agent_empty_reply");
      push(assistant, { actor: "agent", model: response.model, latencyMs: response.latencyMs, usage: response.usage, labels: stepLabels });
      stepLabels.forEach((label) => labels.add(label));
      if (response.toolCalls.length === 0) break;

      for (const [callIndex, call] of response.toolCalls.entries()) {
        if (callIndex >= limits.maxToolCallsPerTurn) {
          const result = { error: "too_many_tool_calls", message: `At most ${limits.maxToolCallsPerTurn} tool calls are allowed in one turn; this call was not run.` };
          push({ role: "tool", tool_call_id: call.id, content: JSON.stringify(result) }, {
            actor: "tool_executor",
            latencyMs: 0,
            tool: { toolCallId: call.id, toolName: call.function.name, execution: "simulated", outcome: "invalid_call", error: result.message, stateDiff: [] },
            labels: ["too_many_tool_calls"],
          });
          labels.add("too_many_tool_calls");
          continue;
        }
        const execution = await executeToolCall(env, { call, tools: toolsByName, state, history, domain: options.domain, seed: seedFrom(options.seed, "tool", messages.length) });
        state = execution.state;
        history.push(execution.record);
        execution.labels.forEach((label) => labels.add(label));
        push({ role: "tool", tool_call_id: call.id, content: execution.content }, {
          actor: "tool_executor",
          ...(execution.simulated ? { model: env.models.toolSimulator.ref } : {}),
          latencyMs: execution.latencyMs,
          usage: execution.usage,
          tool: execution.step,
          labels: execution.labels,
        });
      }
    }
  }

  return {
    id: env.ids.next("ep"),
    kind: "episode",
    createdAt: env.clock.now().toISOString(),
    schemaVersion: SCHEMA_VERSION,
    provenance: {
      source: "simulate",
      models: { agent: env.models.agent.ref, userSimulator: env.models.userSimulator.ref, toolSimulator: env.models.toolSimulator.ref },
      seed: options.seed,
      promptHashes: [...promptHashes],
      ...(env.runId ? { runId: env.runId } : {}),
    },
    ...(env.runId ? { runId: env.runId } : {}),
    taskId: task.id,
    agentId: agent.id,
    index: options.index,
    seed: options.seed,
    toolIds: options.tools.map((tool) => tool.id),
    messages,
    steps,
    worldState: { initial: task.initialState, final: state },
    status: endReason === "error" ? "failed" : "completed",
    endReason,
    ...(error ? { error } : {}),
    labels: [...labels].sort(),
    usage,
  };
}

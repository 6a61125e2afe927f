import type { JsonObject } from "../domain/common.js";
import type { Execution, ToolStep } from "../domain/episode.js";
import type { ToolRecord } from "../domain/tool.js";
import type { StageEnv } from "../model/stage-env.js";
import { validateJsonSchema } from "../support/json-schema.js";
import { throwIfAborted } from "../support/concurrency.js";
import type { ToolAnswer } from "../domain/recording.js";
import { runInEnvironment } from "./environment-call.js";
import { simulateToolCall } from "./simulate-tool-call.js";
import type { ExecuteToolCallOptions, ToolExecution } from "./tool-execution.js";
import { decideToolPolicy } from "./tool-policy.js";

/**
 * Run one tool call the agent made. Invalid calls (unknown tool, arguments that are not JSON or fail the
 * schema) go back to the agent as an error result, as real hosts do. A valid call of a tool with a declared
 * effect runs in the environment (the executor on the world state, no model); other valid calls run on their
 * live server when the policy allows, else the tool simulator answers: a world model that sees the spec, the
 * arguments, the episode's state and recent history.
 */
export async function executeToolCall(env: StageEnv, options: ExecuteToolCallOptions): Promise<ToolExecution> {
  const { call } = options;
  const tool = options.tools.get(call.function.name);
  const base = { toolCallId: call.id, toolName: call.function.name, stateDiff: [] };
  if (!tool) {
    const known = [...options.tools.keys()].join(", ");
    return invalid(options, { ...base, execution: "simulated", outcome: "invalid_call", error: `unknown tool "${call.function.name}"` }, `Unknown tool "${call.function.name}". Available tools: ${known}.`);
  }
  let args: unknown;
  try {
    args = JSON.parse(call.function.arguments || "{}");
  } catch (error) {
    return invalid(options, { ...base, toolId: tool.id, execution: executionOf(tool), outcome: "invalid_call", error: `arguments are not JSON: ${(error as Error).message}` }, `The arguments are not valid JSON (${(error as Error).message}).`);
  }
  const check = validateJsonSchema(tool.inputSchema, args);
  if (!check.valid || args === null || typeof args !== "object" || Array.isArray(args)) {
    const problems = check.valid ? ["arguments must be a JSON object"] : check.errors;
    return invalid(options, { ...base, toolId: tool.id, execution: executionOf(tool), outcome: "invalid_call", error: `arguments do not match the schema: ${problems.join("; ")}` }, `Invalid arguments for ${tool.name}: ${problems.join("; ")}.`);
  }
  if (tool.effect) return runInEnvironment(options, { ...tool, effect: tool.effect }, args as JsonObject);
  return runValidCall(env, options, tool, args as JsonObject);
}

/** How a tool's calls are answered when they are not run: in the environment for a tool with an effect, else by the simulator. */
export function executionOf(tool: ToolRecord | undefined): Extract<Execution, "environment" | "simulated"> {
  return tool?.effect ? "environment" : "simulated";
}

/**
 * A valid call: replayed from a recording when replay is on and one matches; run on the live server when the
 * policy allows it (recorded; on a server failure the tool simulator answers instead, marked `fallback`);
 * otherwise answered by the tool simulator, with recorded real calls of the tool as examples.
 */
async function runValidCall(env: StageEnv, options: ExecuteToolCallOptions, tool: ToolRecord, args: JsonObject): Promise<ToolExecution> {
  const { live } = options;
  if (!live) return simulateToolCall(env, options, tool, args);
  const simulateWithExamples = (): Promise<ToolExecution> => simulateToolCall(env, { ...options, examples: live.recordings.examples(tool.id, live.config.fewShotExamples) }, tool, args);
  if (live.config.replay) {
    const recording = live.recordings.find(tool.id, args);
    if (recording) return answered(options, tool, args, { content: JSON.stringify(recording.result), result: recording.result, isError: recording.isError }, { execution: "recorded", recordingId: recording.id, latencyMs: 0 });
  }
  const server = tool.origin.configName;
  if (server === undefined || !live.tools?.has(server) || !decideToolPolicy(tool, live.config, { trustedServer: live.tools.trusts(server) }).live) return simulateWithExamples();
  const started = performance.now();
  let answer: ToolAnswer;
  try {
    answer = await live.tools.call({ serverName: server, toolName: tool.origin.originalName, arguments: args, timeoutMs: live.config.callTimeoutMs, signal: env.signal });
  } catch (error) {
    throwIfAborted(env.signal);
    const reason = error instanceof Error ? error.message : String(error);
    const simulated = await simulateWithExamples();
    return { ...simulated, step: { ...simulated.step, execution: "fallback", fallbackReason: reason }, labels: [...simulated.labels, "real_call_fallback"] };
  }
  const latencyMs = Math.round(performance.now() - started);
  const recording = await live.recordings.add({ tool, arguments: args, result: answer.result, isError: answer.isError, latencyMs, runId: env.runId });
  return answered(options, tool, args, answer, { execution: "real", recordingId: recording.id, latencyMs });
}

function answered(
  options: ExecuteToolCallOptions,
  tool: ToolRecord,
  args: JsonObject,
  answer: ToolAnswer,
  how: { execution: Extract<Execution, "real" | "recorded">; recordingId: string; latencyMs: number },
): ToolExecution {
  return {
    content: answer.content,
    step: {
      toolCallId: options.call.id,
      toolName: tool.name,
      toolId: tool.id,
      execution: how.execution,
      outcome: answer.isError ? "tool_error" : "ok",
      ...(answer.isError ? { error: answer.content.slice(0, 200) } : {}),
      recordingId: how.recordingId,
      stateDiff: [],
    },
    state: options.state,
    record: { tool: tool.name, arguments: args, result: answer.result },
    usage: { inputTokens: 0, outputTokens: 0 },
    latencyMs: how.latencyMs,
    labels: [],
    simulated: false,
  };
}

function invalid(options: ExecuteToolCallOptions, step: ToolStep, message: string): ToolExecution {
  const result = { error: "invalid_call", message };
  return {
    content: JSON.stringify(result),
    step,
    state: options.state,
    record: { tool: options.call.function.name, arguments: options.call.function.arguments, result },
    usage: { inputTokens: 0, outputTokens: 0 },
    latencyMs: 0,
    labels: ["invalid_tool_call"],
    simulated: false,
  };
}


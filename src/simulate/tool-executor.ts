import type { JsonObject, TokenUsage } from "../domain/common.js";
import type { DomainSpec } from "../domain/domain.js";
import type { ToolStep } from "../domain/episode.js";
import type { ToolCall } from "../domain/message.js";
import type { ToolRecord } from "../domain/tool.js";
import type { ToolCallRecord } from "../model/request-context.js";
import type { StageEnv } from "../model/stage-env.js";
import { validateJsonSchema } from "../support/json-schema.js";
import { simulateToolCall } from "./simulate-tool-call.js";

export interface ToolExecution {
  content: string;
  step: ToolStep;
  state: JsonObject;
  record: ToolCallRecord;
  usage: TokenUsage;
  latencyMs: number;
  labels: string[];
  simulated: boolean;
}

export interface ExecuteToolCallOptions {
  call: ToolCall;
  tools: ReadonlyMap<string, ToolRecord>;
  state: JsonObject;
  history: readonly ToolCallRecord[];
  domain?: DomainSpec | undefined;
  seed: number;
  /** Recorded real calls of the same tool, shown to the tool simulator as examples. */
  examples?: readonly ToolCallRecord[] | undefined;
}

/**
 * Run one tool call the agent made. Invalid calls (unknown tool, arguments that are not JSON or fail the
 * schema) go back to the agent as an error result, as real hosts do. Valid calls are answered by the tool
 * simulator: a world model that sees the spec, the arguments, the episode's state and recent history.
 */
export async function executeToolCall(env: StageEnv, options: ExecuteToolCallOptions): Promise<ToolExecution> {
  const { call, state } = options;
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
    return invalid(options, { ...base, toolId: tool.id, execution: "simulated", outcome: "invalid_call", error: `arguments are not JSON: ${(error as Error).message}` }, `The arguments are not valid JSON (${(error as Error).message}).`);
  }
  const check = validateJsonSchema(tool.inputSchema, args);
  if (!check.valid || args === null || typeof args !== "object" || Array.isArray(args)) {
    const problems = check.valid ? ["arguments must be a JSON object"] : check.errors;
    return invalid(options, { ...base, toolId: tool.id, execution: "simulated", outcome: "invalid_call", error: `arguments do not match the schema: ${problems.join("; ")}` }, `Invalid arguments for ${tool.name}: ${problems.join("; ")}.`);
  }
  return simulateToolCall(env, options, tool, args as JsonObject);
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


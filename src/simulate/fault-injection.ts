import type { JsonObject, JsonValue } from "../domain/common.js";
import type { FaultKind } from "../domain/episode.js";
import type { ToolCall } from "../domain/message.js";
import type { ToolRecord } from "../domain/tool.js";
import type { StageEnv } from "../model/stage-env.js";
import { validateJsonSchema } from "../support/json-schema.js";
import { buildFailureResult, degradeContent, isBlockingFault } from "./faults.js";
import type { ExecuteToolCallOptions, ToolExecution } from "./tool-execution.js";
import { executeToolCall, executionOf } from "./tool-executor.js";

export interface PlannedFault {
  kind: FaultKind;
  /** The call's ordinal within the episode (the fault draw's index). */
  ordinal: number;
  /** The episode seed. */
  seed: number;
}

/** A tool call's execution and the fault injected into it, if one was. */
export interface FaultedExecution extends ToolExecution {
  injected?: FaultKind | undefined;
}

/**
 * Run a tool call with its planned fault. A blocking fault (error, timeout, rate limit) answers a valid call
 * with a failure result without running it; a degrading fault (empty, partial) lets it run and spoils a
 * successful answer. Invalid calls and failed answers keep their own result: the fault is not injected.
 */
export async function runToolCallWithFault(env: StageEnv, options: ExecuteToolCallOptions, fault: PlannedFault | undefined): Promise<FaultedExecution> {
  const { call } = options;
  const tool = options.tools.get(call.function.name);
  if (fault && tool && isBlockingFault(fault.kind)) {
    const args = parseValidArguments(call, tool);
    if (args) {
      const result = buildFailureResult(fault.kind, tool.name, fault.seed, fault.ordinal);
      return {
        content: JSON.stringify(result),
        step: { toolCallId: call.id, toolName: tool.name, toolId: tool.id, execution: executionOf(tool), outcome: "fault", fault: fault.kind, error: String(result.message), stateDiff: [] },
        state: options.state,
        record: { tool: tool.name, arguments: args, result },
        usage: { inputTokens: 0, outputTokens: 0 },
        latencyMs: 0,
        labels: [`fault_${fault.kind}`],
        simulated: !tool.effect,
        injected: fault.kind,
      };
    }
  }
  const execution = await executeToolCall(env, options);
  if (!fault || isBlockingFault(fault.kind) || execution.step.outcome !== "ok") return execution;
  return {
    ...execution,
    content: degradeContent(fault.kind, execution.content),
    step: { ...execution.step, outcome: "fault", fault: fault.kind },
    labels: [...execution.labels, `fault_${fault.kind}`],
    injected: fault.kind,
  };
}

/** The call's arguments when the call is valid (a JSON object that fits the tool's input schema). */
function parseValidArguments(call: ToolCall, tool: ToolRecord): JsonObject | undefined {
  let args: JsonValue;
  try {
    args = JSON.parse(call.function.arguments || "{}") as JsonValue;
  } catch {
    return undefined;
  }
  if (args === null || typeof args !== "object" || Array.isArray(args)) return undefined;
  return validateJsonSchema(tool.inputSchema, args).valid ? args : undefined;
}

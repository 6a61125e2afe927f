import type { JsonObject } from "../domain/common.js";
import type { DomainRecord } from "../domain/domain.js";
import type { ToolEffect } from "../domain/effect.js";
import type { ToolRecord } from "../domain/tool.js";
import { executeEffect, findEffectEntity } from "../world/execute-effect.js";
import type { ExecuteToolCallOptions, ToolExecution } from "./tool-execution.js";

/** The domain a tool belongs to, among the episode's domains. */
export function findToolDomain(tool: ToolRecord, domains: readonly DomainRecord[] | undefined): DomainRecord | undefined {
  return tool.domainId === undefined ? undefined : domains?.find((domain) => domain.id === tool.domainId);
}

/**
 * A valid call of a tool with a declared effect, answered by the environment executor on the episode's world state:
 * no model is asked; the state change is recorded on the step. A result that misses the output schema (a tool the
 * audit did not see) is labelled `output_schema_mismatch`.
 */
export function runInEnvironment(options: ExecuteToolCallOptions, tool: ToolRecord & { effect: ToolEffect }, args: JsonObject): ToolExecution {
  const entities = findToolDomain(tool, options.domains)?.entities ?? [];
  const answer = executeEffect({ tool, entity: findEffectEntity(tool.effect, entities), state: options.state, arguments: args });
  const error = answer.isError ? String((answer.result as { message?: unknown }).message ?? answer.error?.code ?? "error") : undefined;
  return {
    content: JSON.stringify(answer.result),
    step: {
      toolCallId: options.call.id,
      toolName: tool.name,
      toolId: tool.id,
      execution: "environment",
      outcome: answer.isError ? "tool_error" : "ok",
      ...(error !== undefined ? { error } : {}),
      stateDiff: answer.stateUpdate,
    },
    state: answer.state,
    record: { tool: tool.name, arguments: args, result: answer.result },
    usage: { inputTokens: 0, outputTokens: 0 },
    latencyMs: 0,
    labels: answer.problems.length > 0 ? ["output_schema_mismatch"] : [],
    simulated: false,
  };
}

import type { JsonObject, JsonSchema, JsonValue } from "../domain/common.js";
import type { DomainRecord, Entity } from "../domain/domain.js";
import type { ToolRecord } from "../domain/tool.js";
import { WRITE_OPERATIONS, type ToolEffect } from "../domain/effect.js";
import type { BlueprintAction } from "../domain/task.js";
import { validateJsonSchema } from "../support/json-schema.js";
import { executeEffect, findEffectEntity } from "./execute-effect.js";

/*
 * A task's blueprint run on its initial state: each action a correct agent takes, executed by the environment
 * executor in order, gives the final world state the blueprint records (never a model's word for it). An action
 * of a tool without an effect (an imported spec, a real server's tool) is checked against its schema but cannot
 * run here: the blueprint is then not fully executable, and episodes that need it cannot be verified.
 */

/** A tool a blueprint may use: its spec, its effect when it has one, and its domain's entities. */
export interface BlueprintTool {
  name: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema | undefined;
  effect?: ToolEffect | undefined;
  entities: readonly Entity[];
}

export type BlueprintFailureReason = "unknown_tool" | "invalid_arguments" | "tool_error";

export interface BlueprintStep {
  tool: string;
  arguments: JsonObject;
  /** `executed`: run by the environment executor; `not_executable`: the tool has no effect. */
  outcome: "executed" | "not_executable";
  write: boolean;
  result?: JsonValue | undefined;
}

export interface BlueprintRun {
  finalState: JsonObject;
  steps: BlueprintStep[];
  /** The first action that failed, with why; the final state is then the state before it. */
  failure?: { index: number; tool: string; reason: BlueprintFailureReason; detail: string } | undefined;
  /** Whether every action ran (none of a tool without an effect). */
  executable: boolean;
}

export function executeBlueprint(actions: readonly BlueprintAction[], tools: readonly BlueprintTool[], initialState: JsonObject): BlueprintRun {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  let state = structuredClone(initialState);
  const steps: BlueprintStep[] = [];
  for (const [index, action] of actions.entries()) {
    const tool = byName.get(action.tool);
    const failed = (reason: BlueprintFailureReason, detail: string): BlueprintRun => ({ finalState: state, steps, failure: { index, tool: action.tool, reason, detail }, executable: steps.every((step) => step.outcome === "executed") });
    if (!tool) return failed("unknown_tool", `action ${index + 1} calls ${action.tool}, which is not one of the agent's tools (${tools.map((candidate) => candidate.name).join(", ")})`);
    const check = validateJsonSchema(tool.inputSchema, action.arguments);
    if (!check.valid) return failed("invalid_arguments", `action ${index + 1} (${action.tool}) has arguments its schema refuses: ${check.errors.join("; ")}`);
    if (!tool.effect) {
      steps.push({ tool: tool.name, arguments: action.arguments, outcome: "not_executable", write: false });
      continue;
    }
    const answer = executeEffect({ tool: { ...tool, effect: tool.effect }, entity: findEffectEntity(tool.effect, tool.entities), state, arguments: action.arguments });
    if (answer.isError) return failed("tool_error", `action ${index + 1} (${action.tool}) fails: ${JSON.stringify(answer.result)}`);
    steps.push({ tool: tool.name, arguments: action.arguments, outcome: "executed", write: WRITE_OPERATIONS.has(tool.effect.operation), result: answer.result });
    state = answer.state;
  }
  return { finalState: state, steps, executable: steps.every((step) => step.outcome === "executed") };
}

/** The blueprint tools of a toolset: each tool with its domain's entities (none when its domain is unknown). */
export function toBlueprintTools(tools: readonly ToolRecord[], domains: readonly DomainRecord[]): BlueprintTool[] {
  const entities = new Map(domains.map((domain) => [domain.id, domain.entities]));
  return tools.map((tool) => ({ name: tool.name, inputSchema: tool.inputSchema, outputSchema: tool.outputSchema, effect: tool.effect, entities: (tool.domainId ? entities.get(tool.domainId) : undefined) ?? [] }));
}

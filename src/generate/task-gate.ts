import type { JsonObject } from "../domain/common.js";
import type { Entity } from "../domain/domain.js";
import type { BlueprintDraft, HiddenFact, TaskBlueprint, TaskGateReason, TaskGateVerdict, TaskShape } from "../domain/task.js";
import { stableStringify } from "../support/hash.js";
import { executeBlueprint, type BlueprintTool } from "../world/blueprint.js";
import { readCollection, readEntities } from "../world/entity-state.js";

/*
 * The gate before simulation: a task is simulated only when its blueprint holds up. Hidden facts that name
 * records name ones the initial state holds; every blueprint action is one of the agent's tools, valid against its
 * schema and runs without error; a task that writes changes the state; a look-up says which facts a correct answer
 * states; a task the agent must refuse writes nothing. The blueprint's final state is computed here, by executing
 * its actions — never taken from a model or an author.
 */

export interface GateInput {
  hiddenFacts: readonly HiddenFact[];
  initialState: JsonObject;
  shape?: TaskShape | undefined;
  blueprint?: BlueprintDraft | undefined;
}

export interface GateResult {
  verdict: TaskGateVerdict;
  /** The blueprint with its computed final state, when the task has one whose actions ran. */
  blueprint?: TaskBlueprint | undefined;
}

/** Shapes whose correct answer is no look-up: refusing, or answering without tools. */
const NO_LOOKUP_SHAPES: ReadonlySet<TaskShape> = new Set(["infeasible", "no_tool"]);

export function gateTask(task: GateInput, tools: readonly BlueprintTool[]): GateResult {
  const problems: TaskGateVerdict["problems"] = [];
  const problem = (reason: TaskGateReason, detail: string): void => {
    problems.push({ reason, detail });
  };
  for (const detail of findUnknownRecords(task.hiddenFacts, task.initialState, tools)) problem("unknown_record", detail);
  if (!task.blueprint) {
    problem("missing_blueprint", "the task has no blueprint: the actions a correct agent takes and the facts its answer states");
    return { verdict: { passed: false, problems, verifiable: false } };
  }
  const run = executeBlueprint(task.blueprint.actions, tools, task.initialState);
  if (run.failure) {
    const reason = run.failure.reason === "unknown_tool" ? "action_unknown_tool" : run.failure.reason === "invalid_arguments" ? "action_invalid_arguments" : "action_error";
    problem(reason, run.failure.detail);
  }
  const writes = run.steps.filter((step) => step.write);
  if (task.shape === "infeasible" && writes.length > 0) problem("infeasible_with_writes", `the agent must refuse this task and write nothing, but the blueprint calls ${writes.map((step) => step.tool).join(", ")}`);
  if (!run.failure && writes.length > 0 && stableStringify(run.finalState) === stableStringify(task.initialState)) {
    problem("write_without_change", `the blueprint writes (${writes.map((step) => step.tool).join(", ")}) but leaves the world state as it was`);
  }
  const lookup = run.executable && writes.length === 0 && run.steps.length > 0 && !(task.shape && NO_LOOKUP_SHAPES.has(task.shape));
  if (!run.failure && lookup && task.blueprint.answerFacts.length === 0) problem("lookup_without_facts", "a look-up must say which facts a correct final answer states (blueprint.answerFacts)");
  const verdict = { passed: problems.length === 0, problems, verifiable: run.executable && !run.failure };
  return { verdict, ...(run.failure ? {} : { blueprint: { actions: task.blueprint.actions, answerFacts: task.blueprint.answerFacts, finalState: run.finalState } }) };
}

/**
 * Hidden facts that name a record the initial state does not hold: a value with a known entity's id prefix
 * (`ORD-10442`), or the value of a fact keyed `<entity>_id`, when the state keeps records of that entity.
 */
function findUnknownRecords(facts: readonly HiddenFact[], state: JsonObject, tools: readonly BlueprintTool[]): string[] {
  const entities = new Map<string, Entity>();
  for (const tool of tools) for (const entity of tool.entities) entities.set(entity.name, entity);
  const byPrefix = new Map([...entities.values()].map((entity) => [entity.idPrefix, entity]));
  const unknown: string[] = [];
  for (const fact of facts) {
    if (typeof fact.value !== "string") continue;
    const prefix = /^([A-Z]{2,5})-\d+$/.exec(fact.value)?.[1];
    const entity = (prefix ? byPrefix.get(prefix) : undefined) ?? entities.get(fact.key.replace(/_id$/, ""));
    if (!entity || (!prefix && !/_id$/.test(fact.key))) continue;
    const records = readEntities(state)[entity.name];
    if (records !== undefined && !readCollection(state, entity.name).has(fact.value)) unknown.push(`hidden fact ${fact.key} names ${entity.name} ${fact.value}, which the initial state does not hold`);
  }
  return unknown;
}

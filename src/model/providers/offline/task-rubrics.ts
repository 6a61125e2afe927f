import type { JsonObject } from "../../../domain/common.js";
import type { Rubric, RubricCriterion } from "../../../domain/rubric.js";
import { humanize } from "./text.js";

/*
 * Rubric criteria for drafted tasks: deterministic rule criteria (a call with its key arguments, a call that
 * must not happen, call order, valid arguments, the final world state, what the answer mentions) plus LLM
 * criteria in words. A task's rubric is assembled from the criteria its shape calls for.
 */

export function calledCriterion(tool: string, args: JsonObject, required: boolean, prefix = "called"): RubricCriterion {
  const keys = Object.keys(args);
  const values = Object.values(args).filter((value) => typeof value === "string" || typeof value === "number");
  return {
    id: makeCriterionId(prefix, tool, values.map(String)[0]),
    kind: "rule",
    description: `The assistant called ${tool} with the right ${keys.map(humanize).join(" and ") || "arguments"}${values.length ? ` (${values.slice(0, 2).join(", ")})` : ""}.`,
    weight: required ? 2 : 1,
    required,
    check: { type: "tool_called", tool, ...(keys.length ? { args } : {}), min: 1 },
  };
}

export function notCalledCriterion(tool: string, why: string): RubricCriterion {
  return { id: makeCriterionId("not-called", tool), kind: "rule", description: `The assistant did not call ${tool}: ${why}`, weight: 2, required: true, check: { type: "tool_not_called", tool } };
}

export function orderCriterion(tools: readonly string[]): RubricCriterion | undefined {
  const order = tools.filter((tool, index) => tools.indexOf(tool) === index);
  return order.length >= 2 ? { id: "call-order", kind: "rule", description: `The assistant used ${order.join(" before ")}.`, weight: 1, required: false, check: { type: "call_order", tools: order } } : undefined;
}

export function finalStateCriterion(state: { path: string; equals?: unknown; exists?: boolean }, index = 1): RubricCriterion {
  const { path, equals, exists } = state;
  return {
    id: index > 1 ? `final-state-${index}` : "final-state",
    kind: "rule",
    description: equals !== undefined ? `At the end, ${path} is ${String(equals)}.` : `At the end, ${path} ${exists === false ? "no longer exists" : "exists"}.`,
    weight: 1,
    required: false,
    check: { type: "final_state", path, ...(equals !== undefined ? { equals: equals as never } : {}), ...(exists !== undefined ? { exists } : {}) },
  };
}

export function mentionsCriterion(texts: readonly string[]): RubricCriterion | undefined {
  const unique = [...new Set(texts.filter((text) => text.length > 0))];
  return unique.length ? { id: "answer-mentions", kind: "rule", description: `The final answer mentions ${unique.join(" and ")}.`, weight: 1, required: false, check: { type: "answer_mentions", text: unique } } : undefined;
}

export function llmCriterion(id: string, description: string, weight = 1): RubricCriterion {
  return { id, kind: "llm", description, weight, required: false };
}

/** The criteria every task has: valid arguments and no call after the user left. */
export function baseCriteria(): RubricCriterion[] {
  return [
    { id: "args-valid", kind: "rule", description: "Every tool call's arguments are valid against the tool's schema.", weight: 1, required: true, check: { type: "args_valid" } },
    { id: "no-call-after-stop", kind: "rule", description: "No tool is called after the user ended the conversation.", weight: 0.5, required: false, check: { type: "no_call_after_stop" } },
  ];
}

/** A rubric from criteria (the first of an id wins), with the default pass threshold. */
export function assembleRubric(criteria: ReadonlyArray<RubricCriterion | undefined>): Rubric {
  const kept: RubricCriterion[] = [];
  for (const criterion of criteria) if (criterion && !kept.some((existing) => existing.id === criterion.id)) kept.push(criterion);
  return { criteria: kept, passThreshold: 0.7 };
}

function makeCriterionId(prefix: string, tool: string, value?: string): string {
  return `${prefix}-${tool}${value ? `-${value}` : ""}`.toLowerCase().replace(/[^a-z0-9_-]/g, "_").slice(0, 64);
}

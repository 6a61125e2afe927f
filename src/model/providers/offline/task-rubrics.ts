import type { JsonObject, JsonValue } from "../../../domain/common.js";
import type { Rubric, RubricCriterion } from "../../../domain/rubric.js";
import { humanize } from "./text.js";

/*
 * Rubrics for drafted tasks: deterministic rule criteria (the key call with the key arguments, call
 * order, valid arguments, final world state, what the answer mentions) plus LLM criteria in words.
 */

export interface RubricSpec {
  noun: string;
  mainTool: string;
  mainArgs: JsonObject;
  /** Tools that must run before the main one. */
  before: string[];
  extraCalls: Array<{ tool: string; args: JsonObject }>;
  finalState?: { path: string; equals?: JsonValue; exists?: boolean } | undefined;
  mentions: string[];
  outcome: string;
  writes: boolean;
  confirmPolicy: boolean;
  asksFor: string[];
}

export function buildRubric(spec: RubricSpec): Rubric {
  const criteria: RubricCriterion[] = [];
  const add = (criterion: RubricCriterion): void => {
    if (!criteria.some((existing) => existing.id === criterion.id)) criteria.push(criterion);
  };
  add({
    id: makeCriterionId("called", spec.mainTool),
    kind: "rule",
    description: `The assistant called ${spec.mainTool} with the right ${Object.keys(spec.mainArgs).map(humanize).join(" and ") || "arguments"}.`,
    weight: 2,
    required: true,
    check: { type: "tool_called", tool: spec.mainTool, ...(Object.keys(spec.mainArgs).length ? { args: spec.mainArgs } : {}), min: 1 },
  });
  spec.extraCalls.forEach((call, index) =>
    add({
      id: makeCriterionId(`also-called-${index + 1}`, call.tool),
      kind: "rule",
      description: `The assistant also called ${call.tool} for ${Object.values(call.args).map(String).join(", ")}.`,
      weight: 1,
      required: false,
      check: { type: "tool_called", tool: call.tool, args: call.args, min: 1 },
    }),
  );
  const order = [...spec.before, spec.mainTool].filter((tool, index, all) => all.indexOf(tool) === index);
  if (order.length >= 2) {
    add({ id: "call-order", kind: "rule", description: `The assistant used ${order.join(" before ")}.`, weight: 1, required: false, check: { type: "call_order", tools: order } });
  }
  add({ id: "args-valid", kind: "rule", description: "Every tool call's arguments are valid against the tool's schema.", weight: 1, required: true, check: { type: "args_valid" } });
  if (spec.finalState) {
    const { path, equals, exists } = spec.finalState;
    add({
      id: "final-state",
      kind: "rule",
      description: equals !== undefined ? `At the end, ${path} is ${String(equals)}.` : `At the end, ${path} ${exists === false ? "no longer exists" : "exists"}.`,
      weight: 1,
      required: false,
      check: { type: "final_state", path, ...(equals !== undefined ? { equals } : {}), ...(exists !== undefined ? { exists } : {}) },
    });
  }
  if (spec.mentions.length > 0) {
    add({ id: "answer-mentions", kind: "rule", description: `The final answer mentions ${spec.mentions.join(" and ")}.`, weight: 1, required: false, check: { type: "answer_mentions", text: spec.mentions } });
  }
  add({ id: "no-call-after-stop", kind: "rule", description: "No tool is called after the user ended the conversation.", weight: 0.5, required: false, check: { type: "no_call_after_stop" } });
  add({ id: "clear-summary", kind: "llm", description: `The assistant's final message tells the user the outcome: ${spec.outcome}`, weight: 2, required: false });
  if (spec.asksFor.length > 0) {
    add({ id: "asked-for-details", kind: "llm", description: `The assistant asked the user for the ${spec.asksFor.join(" and ")} instead of guessing.`, weight: 1, required: false });
  }
  if (spec.writes && spec.confirmPolicy) {
    add({ id: "confirmed-first", kind: "llm", description: `The assistant confirmed the change with the user before calling ${spec.mainTool}, and acted only after a yes.`, weight: 1, required: false });
  }
  return { criteria, passThreshold: 0.7 };
}

function makeCriterionId(prefix: string, tool: string): string {
  return `${prefix}-${tool.toLowerCase().replace(/[^a-z0-9_-]/g, "_")}`.slice(0, 64);
}

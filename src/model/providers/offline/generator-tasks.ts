import type { JsonObject, JsonValue } from "../../../domain/common.js";
import type { BlueprintDraft } from "../../../domain/task.js";
import type { ToolSpec } from "../../../domain/tool.js";
import { listSchemaProperties } from "./schema-values.js";
import type { TaskDraft, TaskGenerationContext, TaskGenerationOutput } from "../../request-context.js";
import type { Random } from "../../../support/random.js";
import { collectLiveValues } from "./live-values.js";
import { generatePersona } from "./personas.js";
import { draftTask } from "./task-drafts.js";
import { groupToolsByEntity, listTaskPlans, type TaskPlan } from "./task-plans.js";
import { wantsConfirmation } from "./agent-prompt.js";

/*
 * Task generation: list the task shapes the toolset supports, spread `count` tasks over them (chains of
 * different kinds first, then repeats with other records and personas), and draft each one. Goals already
 * written (existingGoals, or earlier in this batch) are avoided.
 */

const KIND_PREFERENCE = ["status_change", "action", "find_then_inspect", "removal", "check_then_create", "compare", "field_change", "lookup", "single_tool"];

export function generateTasks(context: TaskGenerationContext, random: Random): TaskGenerationOutput {
  if (context.tools.length === 0) throw new Error("task-generation: the context has no tools to write tasks for");
  const plans = listTaskPlans(groupToolsByEntity(context.domain, context.tools), context.tools);
  const schedule = schedulePlans(plans, Math.max(1, context.count), random);
  const seenGoals = new Set(context.existingGoals.map(normalizeGoal));
  const usedNames = new Set<string>();
  const confirmPolicy = wantsConfirmation(context.agent.systemPrompt);
  const live = context.liveExamples?.length ? collectLiveValues(context.liveExamples) : undefined;
  const tasks: TaskDraft[] = schedule.map((plan, index) => {
    let draft: TaskDraft | undefined;
    for (let attempt = 0; attempt < 8; attempt++) {
      const taskRandom = random.fork(`task:${index}:${attempt}`);
      const persona = generatePersona(context.domain, taskRandom, usedNames);
      draft = draftTask({ plan, domain: context.domain, confirmPolicy, random: taskRandom, persona, live });
      if (!seenGoals.has(normalizeGoal(draft.goal))) break;
    }
    const chosen = draft as TaskDraft;
    seenGoals.add(normalizeGoal(chosen.goal));
    usedNames.add(chosen.persona.name);
    return { ...chosen, blueprint: sketchBlueprint(chosen, plan, context.tools) };
  });
  return { tasks };
}

/**
 * The blueprint of a draft: the calls its rubric expects with their arguments (the main call, then the others;
 * the hidden facts fill the parameters the rubric leaves out), and for a look-up the values the answer must mention.
 */
function sketchBlueprint(draft: TaskDraft, plan: TaskPlan, tools: readonly ToolSpec[]): BlueprintDraft {
  const facts = Object.fromEntries(draft.hiddenFacts.map((fact) => [fact.key, fact.value]));
  const withFacts = (tool: string, args: JsonObject): JsonObject => {
    const parameters = listSchemaProperties(tools.find((candidate) => candidate.name === tool)?.inputSchema ?? {}).map(([name]) => name);
    return { ...Object.fromEntries(parameters.filter((name) => name in facts).map((name) => [name, facts[name] as JsonValue])), ...args };
  };
  const calls = draft.rubric.criteria.flatMap((criterion) =>
    criterion.kind === "rule" && criterion.check.type === "tool_called" && criterion.check.args ? [{ tool: criterion.check.tool, arguments: withFacts(criterion.check.tool, criterion.check.args) }] : [],
  );
  const mentions = draft.rubric.criteria.flatMap((criterion) => (criterion.kind === "rule" && criterion.check.type === "answer_mentions" ? criterion.check.text : []));
  const lookup = plan.main.operation === "read" || plan.main.operation === "search";
  return { actions: calls, answerFacts: lookup ? mentions : [] };
}

/** Round-robin over task kinds (in preference order, each kind's plans shuffled), repeating as needed. */
function schedulePlans(plans: readonly TaskPlan[], count: number, random: Random): TaskPlan[] {
  const byKind = new Map<string, TaskPlan[]>();
  for (const plan of random.shuffle(plans)) byKind.set(plan.kind, [...(byKind.get(plan.kind) ?? []), plan]);
  const kinds = KIND_PREFERENCE.filter((kind) => byKind.has(kind));
  const rotation: TaskPlan[] = [];
  for (let round = 0; rotation.length < plans.length; round++) {
    for (const kind of kinds) {
      const plan = byKind.get(kind)?.[round];
      if (plan) rotation.push(plan);
    }
  }
  return Array.from({ length: count }, (_, index) => rotation[index % rotation.length] as TaskPlan);
}

function normalizeGoal(goal: string): string {
  return goal.toLowerCase().replace(/\s+/g, " ").trim();
}

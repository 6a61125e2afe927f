import type { JsonObject } from "../../../domain/common.js";
import { TaskShapeSchema, type TaskShape } from "../../../domain/task.js";
import type { TaskDraft, TaskGenerationContext, TaskGenerationOutput } from "../../request-context.js";
import type { Random } from "../../../support/random.js";
import { wantsConfirmation } from "./agent-prompt.js";
import { readBusinessRules } from "./business-rules.js";
import { collectLiveValues } from "./live-values.js";
import { generatePersona } from "./personas.js";
import { renderScenario } from "./scenario-text.js";
import { buildInitialState, buildKits, makeDistractors, type EntityKit, type TaskInput } from "./task-kit.js";
import { assembleRubric } from "./task-rubrics.js";
import { SHAPE_WRITERS, withBaseCriteria, type ShapedTask } from "./task-shapes.js";
import { writeToolLookup, writeToolMultiIntent, writeToolParallel } from "./task-tool-requests.js";
import { ID_TEXT_PATTERN } from "./tool-anatomy.js";
import { readToolRoles } from "./tool-roles.js";

/*
 * Task generation: one task per requested shape (a rotation over all nine when none are asked for), over the
 * records the agent's tools manage; a shape the toolset cannot support gives way to the next that it can.
 * Tools without records of a known entity (real servers, imported functions) get tasks that ask for their
 * calls. Goals already written (existingGoals, or earlier in this batch) are avoided.
 */

const FALLBACKS: readonly TaskShape[] = ["multi_intent", "chained", "parallel", "conditional", "change_of_mind", "ambiguous", "infeasible", "lookup", "no_tool"];

export function generateTasks(context: TaskGenerationContext, random: Random): TaskGenerationOutput {
  if (context.tools.length === 0) throw new Error("task-generation: the context has no tools to write tasks for");
  const domains = [context.domain, ...(context.relatedDomains ?? [])];
  const roles = readToolRoles(context.tools, domains);
  const kits = buildKits(roles);
  const rules = readBusinessRules(context.agent.systemPrompt);
  const confirm = wantsConfirmation(context.agent.systemPrompt);
  const live = context.liveExamples?.length ? collectLiveValues(context.liveExamples) : undefined;
  const seenGoals = new Set(context.existingGoals.map(normalizeGoal));
  const usedNames = new Set<string>();
  const count = Math.max(1, context.count);
  const tasks: TaskDraft[] = [];
  for (let index = 0; index < count; index++) {
    const wanted = context.shapes?.[index] ?? (TaskShapeSchema.options[index % TaskShapeSchema.options.length] as TaskShape);
    let draft: TaskDraft | undefined;
    for (let attempt = 0; attempt < 8; attempt++) {
      const taskRandom = random.fork(`task:${index}:${attempt}`);
      const persona = generatePersona(context.domain, taskRandom, usedNames);
      const input: TaskInput = { domain: context.domain, domains, roles, kits, rules, confirm, persona, random: taskRandom, live };
      const shaped = writeShape(wanted, input);
      if (!shaped) continue;
      draft = toDraft(shaped, input);
      if (!seenGoals.has(normalizeGoal(draft.goal))) break;
    }
    if (!draft) throw new Error(`task-generation: no task shape fits the tools ${context.tools.map((tool) => tool.name).join(", ")}`);
    seenGoals.add(normalizeGoal(draft.goal));
    usedNames.add(draft.persona.name);
    tasks.push(draft);
  }
  return { tasks };
}

/** The wanted shape, else the first fallback the toolset supports. */
function writeShape(wanted: TaskShape, input: TaskInput): ShapedTask | undefined {
  for (const shape of [wanted, ...FALLBACKS.filter((candidate) => candidate !== wanted)]) {
    const shaped = input.kits.length > 0 ? SHAPE_WRITERS[shape](input) : writeWithoutKits(shape, input);
    if (shaped) return shaped;
  }
  return undefined;
}

function writeWithoutKits(shape: TaskShape, input: TaskInput): ShapedTask | undefined {
  switch (shape) {
    case "lookup":
      return writeToolLookup(input);
    case "parallel":
      return writeToolParallel(input);
    case "multi_intent":
      return writeToolMultiIntent(input);
    case "no_tool":
      return SHAPE_WRITERS.no_tool(input);
    default:
      return undefined;
  }
}

function toDraft(shaped: ShapedTask, input: TaskInput): TaskDraft {
  const taken = new Set(shaped.records.map(({ record }) => String(record.id)));
  const distractors = shaped.distractorKits.flatMap((kit: EntityKit) => makeDistractors(kit, input, taken).map((record: JsonObject) => ({ kit, record })));
  const initialState = buildInitialState([...shaped.records, ...distractors]);
  return {
    goal: shaped.goal,
    scenario: renderScenario(shaped.scenario),
    shape: shaped.shape,
    blueprint: { actions: shaped.actions, answerFacts: [...new Set(shaped.answerFacts.filter((fact) => fact.length > 0))] },
    persona: input.persona.persona,
    hiddenFacts: shaped.facts,
    initialState,
    rubric: assembleRubric(withBaseCriteria(shaped.criteria)),
    difficulty: shaped.difficulty,
    expectedTools: [...new Set(shaped.actions.map((action) => action.tool))],
  };
}

/** A goal without its ids, names and numbers: two tasks that differ only in those are the same task. */
function normalizeGoal(goal: string): string {
  return goal
    .replace(ID_TEXT_PATTERN, "#")
    .replace(/\([^)]*\)$/, "")
    .replace(/[\w.+-]+@[\w.-]+/g, "@")
    .replace(/\d+(\.\d+)?/g, "0")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

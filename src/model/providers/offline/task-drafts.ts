import type { JsonObject } from "../../../domain/common.js";
import type { TaskDraft } from "../../request-context.js";
import { composeGoal } from "./task-goals.js";
import { buildRubric } from "./task-rubrics.js";
import { makeDistractors, type DraftInput, type DraftParts } from "./task-draft-parts.js";
import { draftCheckThenCreate, draftCompare, draftFindThenInspect, draftLookup, draftSingleTool } from "./task-drafts-reads.js";
import { draftAction, draftFieldChange, draftRemoval, draftStatusChange } from "./task-drafts-writes.js";
import { humanize } from "./text.js";

/*
 * One task draft per plan: the records the task is about (seeded into the initial world state with a
 * few unrelated ones), the hidden facts the user will reveal, the goal, the rubric and the expected chain.
 */

export type { DraftInput } from "./task-draft-parts.js";

export function draftTask(input: DraftInput): TaskDraft {
  const parts = draftParts(input);
  const { entity } = input.plan.group;
  // Only entities the tools really manage get a collection; other tools are answered from their schemas.
  const distractors = input.plan.group.known ? makeDistractors(entity, input.random, new Set(parts.records.map((record) => String(record.id))), input.persona.email) : [];
  const collection: JsonObject = {};
  for (const record of [...parts.records, ...distractors]) collection[String(record.id)] = record;
  const entities: JsonObject = Object.keys(collection).length > 0 ? { [entity.name]: collection } : {};
  const writes = input.plan.main.operation !== "read" && input.plan.main.operation !== "search";
  return {
    goal: composeGoal(input.plan.kind, parts.actionKind, parts.goalValues, input.random),
    persona: input.persona.persona,
    hiddenFacts: parts.facts,
    initialState: { entities },
    rubric: buildRubric({ ...parts.rubric, noun: humanize(entity.name), writes, confirmPolicy: input.confirmPolicy }),
    difficulty: parts.difficulty,
    expectedTools: parts.expectedTools.filter((tool, index, all) => all.indexOf(tool) === index),
  };
}

function draftParts(input: DraftInput): DraftParts {
  switch (input.plan.kind) {
    case "status_change":
      return draftStatusChange(input);
    case "action":
      return draftAction(input);
    case "removal":
      return draftRemoval(input);
    case "compare":
      return draftCompare(input);
    case "find_then_inspect":
      return draftFindThenInspect(input);
    case "check_then_create":
      return draftCheckThenCreate(input);
    case "field_change":
      return draftFieldChange(input);
    case "lookup":
      return draftLookup(input);
    case "single_tool":
      return draftSingleTool(input);
  }
}

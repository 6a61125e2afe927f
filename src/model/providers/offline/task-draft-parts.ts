import type { JsonObject } from "../../../domain/common.js";
import type { DomainSpec, Entity } from "../../../domain/domain.js";
import type { HiddenFact } from "../../../domain/task.js";
import type { TaskDraft } from "../../request-context.js";
import type { Random } from "../../../support/random.js";
import type { ActionKind } from "./action-params.js";
import { findStatusField, generateEntityId, generateEntityRecord } from "./entity-records.js";
import type { LiveValues } from "./live-values.js";
import type { GeneratedPersona } from "./personas.js";
import { makeEmail } from "./schema-values.js";
import type { GoalValues } from "./task-goals.js";
import type { TaskPlan } from "./task-plans.js";
import type { RubricSpec } from "./task-rubrics.js";
import type { ToolAnatomy, ToolParam } from "./tool-anatomy.js";
import { humanize, pickPhrase } from "./text.js";
import { PERSON_NAMES } from "./vocabulary.js";

/*
 * What every task draft is made of, and the helpers the drafts share: the persona's own records, a few
 * unrelated ones, id facts, and where a lifecycle starts.
 */

export interface DraftInput {
  plan: TaskPlan;
  domain: DomainSpec;
  confirmPolicy: boolean;
  random: Random;
  persona: GeneratedPersona;
  /** Paths and names real servers reported, for facts about things that exist. */
  live?: LiveValues | undefined;
}

export interface DraftParts {
  goalValues: GoalValues;
  actionKind?: ActionKind | undefined;
  facts: HiddenFact[];
  records: JsonObject[];
  rubric: Omit<RubricSpec, "noun" | "writes" | "confirmPolicy">;
  expectedTools: string[];
  difficulty: TaskDraft["difficulty"];
}

export function collectGoalValues(input: DraftInput): GoalValues {
  const { entity } = input.plan.group;
  return { noun: humanize(entity.name), plural: humanize(entity.plural), org: input.domain.organization };
}

/** The record the task is about, owned by the persona (its first email field is theirs). */
export function makeTargetRecord(input: DraftInput, overrides: JsonObject = {}, taken: ReadonlySet<string> = new Set()): JsonObject {
  const { entity } = input.plan.group;
  const emailField = entity.fields.find((field) => field.schema.format === "email");
  const owned: JsonObject = emailField ? { [emailField.name]: input.persona.email, ...overrides } : overrides;
  return generateEntityRecord(entity, generateEntityId(entity.idPrefix, input.random, taken), input.random, owned);
}

export function makeDistractors(entity: Entity, random: Random, taken: Set<string>, personaEmail: string): JsonObject[] {
  const emailField = entity.fields.find((field) => field.schema.format === "email");
  const others = PERSON_NAMES.map(makeEmail).filter((email) => email !== personaEmail);
  return Array.from({ length: random.int(1, 3) }, () => {
    const id = generateEntityId(entity.idPrefix, random, taken);
    taken.add(id);
    return generateEntityRecord(entity, id, random, emailField ? { [emailField.name]: random.pick(others) } : {});
  });
}

export function makeIdFact(input: DraftInput, param: ToolParam, id: string, ordinal = ""): HiddenFact {
  const noun = humanize(input.plan.group.entity.name);
  const description = ordinal
    ? `your ${ordinal} ${noun} number`
    : pickPhrase(input.random, ["your {noun} number", "the ID of your {noun}", "your {noun} reference"], { noun });
  return { key: param.name, value: id, description };
}

export function requireIdParam(anatomy: ToolAnatomy): ToolParam {
  if (!anatomy.idParam) throw new Error(`task-generation: ${anatomy.name} has no id parameter`);
  return anatomy.idParam;
}

/** A status to start from: early in the lifecycle and not one of `avoid`. */
export function pickStartStatus(statuses: readonly string[], avoid: readonly string[], random: Random): string | undefined {
  const allowed = statuses.filter((status) => !avoid.includes(status));
  const early = allowed.slice(0, Math.max(1, Math.ceil(allowed.length / 2)));
  return early.length > 0 ? random.pick(early) : undefined;
}

export function overrideStatus(entity: Entity, status: string | undefined): JsonObject {
  const field = findStatusField(entity);
  return field && status !== undefined ? { [field.name]: status } : {};
}

export function listLookupSteps(input: DraftInput): string[] {
  const get = input.plan.group.get;
  return get && get.name !== input.plan.main.name ? [get.name] : [];
}

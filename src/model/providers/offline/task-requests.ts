import type { JsonObject, JsonValue } from "../../../domain/common.js";
import type { EntityField } from "../../../domain/domain.js";
import type { BlueprintAction, HiddenFact } from "../../../domain/task.js";
import { validateJsonSchema } from "../../../support/json-schema.js";
import { planAction } from "./action-params.js";
import { findStatusField, generateFieldValue, listStatuses } from "./entity-records.js";
import { formatDate, generateSchemaValue, readSchemaEnum, readSchemaType } from "./schema-values.js";
import { listEligibleStatuses, makeOwnedRecord, nounOf, readStatus, withStatus, type EntityKit, type TaskInput } from "./task-kit.js";
import { formatValue, humanize, pastTense } from "./text.js";
import type { ToolRole } from "./tool-roles.js";

/*
 * One thing a user wants about one record: to know something about it (a read), or to change it (a write).
 * Each request knows the record it needs in the world, how the user says it (a second-person clause for the
 * scenario), the calls a correct agent makes for it (look up, change, look up again when the rules say so),
 * the values the user gives when asked, and what a correct answer states.
 */

export interface PlannedRequest {
  kit: EntityKit;
  record: JsonObject;
  /** What the user wants, after "you want to": "cancel your flight booking". */
  clause: string;
  /** The same as an imperative with the record's id, for the one-line goal. */
  summary: string;
  actions: BlueprintAction[];
  write?: { role: ToolRole; args: JsonObject } | undefined;
  /** Values the user gives when asked (a new date, an amount). */
  facts: HiddenFact[];
  answerFacts: string[];
  outcome: string;
  finalState?: { path: string; equals?: JsonValue; exists?: boolean } | undefined;
}

export const TERMINAL_HINT = /(cancel|complet|clos|refund|deliver|return|done|expir|withdraw|terminat|den|reject|void|discontinu|lost|no_show|ported)/;

function getAction(kit: EntityKit, id: string): BlueprintAction {
  return { tool: kit.get.name, arguments: { [kit.get.idParam as string]: id } };
}

/** A read: the status and one more field of a record the persona owns. */
export function planRead(kit: EntityKit, input: TaskInput, taken: Set<string>, record?: JsonObject): PlannedRequest {
  const target = record ?? makeOwnedRecord(kit, input, taken);
  const id = String(target.id);
  const status = findStatusField(kit.entity);
  const other = pickDetailField(kit, target, input);
  const asked = [status, other].filter((field): field is EntityField => field !== undefined);
  const noun = nounOf(kit);
  const words = asked.map((field) => humanize(field.name));
  return {
    kit,
    record: target,
    clause: words.length ? `know the ${words.join(" and ")} of your ${noun}` : `know the details of your ${noun}`,
    summary: `look up ${noun} ${id}${words.length ? ` (${words.join(", ")})` : ""}`,
    actions: [getAction(kit, id)],
    facts: [],
    answerFacts: asked.map((field) => formatValue(target[field.name])),
    outcome: `it states the ${words.join(" and ") || "details"} of ${noun} ${id} as the system holds them.`,
  };
}

/** A field worth asking about besides the status: a date, an amount or a short text. */
function pickDetailField(kit: EntityKit, record: JsonObject, input: TaskInput): EntityField | undefined {
  const status = findStatusField(kit.entity);
  const candidates = kit.entity.fields.filter((field) => field !== status && field.name !== kit.emailField && readSchemaType(field.schema) !== "boolean" && record[field.name] !== undefined && typeof record[field.name] !== "object");
  const preferred = candidates.filter((field) => /(date|amount|price|total|fare|cost|due|balance|nights|quantity|credits|class|type|plan|tier|level|size|city|location)/.test(field.name) && !/_on$|_at$/.test(field.name));
  const pool = preferred.length > 0 ? preferred : candidates;
  return pool.length > 0 ? input.random.pick(pool) : undefined;
}

/** Whether a write can be the subject of a task: it selects a record by id and some status lets it through. */
export function canPlanWrite(kit: EntityKit, write: ToolRole, input: TaskInput): boolean {
  if (!write.idParam) return false;
  if (write.kind === "other") return false;
  if (findStatusField(kit.entity) && listWriteStarts(kit, write, input).length === 0) return false;
  if (write.kind === "update" && write.anatomy.params.every((param) => !param.required || param.name === write.idParam) && !pickEditedField(kit, write, input)) return false;
  return write.anatomy.params.every((param) => !param.required || param.name === write.idParam || pickWriteValue(kit, write, param.name, {}, input, true) !== undefined);
}

/**
 * A change to a record the persona owns (or the one given): its status lets the change through, the user
 * gives the values it needs when asked, and the agent looks the record up first (and again after, when its
 * rules say so).
 */
export function planWrite(kit: EntityKit, write: ToolRole, input: TaskInput, taken: Set<string>, record?: JsonObject): PlannedRequest {
  const eligible = listWriteStarts(kit, write, input);
  const open = eligible.filter((status) => !TERMINAL_HINT.test(status));
  const start = open.length > 0 ? input.random.pick(open) : eligible.length > 0 ? input.random.pick(eligible) : undefined;
  const target = record ?? makeOwnedRecord(kit, input, taken, withStatus(kit, start));
  const id = String(target.id);
  const args: JsonObject = { [write.idParam as string]: id };
  const facts: HiddenFact[] = [];
  for (const param of write.anatomy.params.filter((candidate) => candidate.name !== write.idParam && (candidate.required || candidate.name === pickEditedField(kit, write, input)))) {
    const value = pickWriteValue(kit, write, param.name, target, input, false) as JsonValue;
    args[param.name] = value;
    if (!isStatusTarget(kit, write, param.name)) facts.push({ key: param.name, value, description: describeValueFact(param.name, write) });
  }
  const phrasing = phraseWrite(kit, write, args, target);
  return {
    kit,
    record: target,
    ...phrasing,
    actions: [getAction(kit, id), { tool: write.name, arguments: args }, ...(input.rules.readBack && write.kind !== "delete" ? [getAction(kit, id)] : [])],
    write: { role: write, args },
    facts,
    answerFacts: phrasing.answerFacts,
  };
}

/**
 * The field an edit changes when the tool needs none in particular (every field optional): one the user would
 * name, chosen once per task (the random stream is forked on the tool's name, so planning and probing agree).
 */
function pickEditedField(kit: EntityKit, write: ToolRole, input: TaskInput): string | undefined {
  if (write.anatomy.operation !== "update" || write.anatomy.params.some((param) => param.required && param.name !== write.idParam && !isStatusTarget(kit, write, param.name))) return undefined;
  const status = findStatusField(kit.entity)?.name;
  const editable = write.sets.filter((assignment) => assignment.field !== status && assignment.field !== kit.emailField && kit.entity.fields.some((field) => field.name === assignment.field && readSchemaType(field.schema) !== "boolean"));
  return editable.length > 0 ? input.random.fork(`edit:${write.name}`).pick(editable).parameter : undefined;
}

function isStatusTarget(kit: EntityKit, write: ToolRole, parameter: string): boolean {
  const status = findStatusField(kit.entity)?.name;
  return write.kind === "update" && write.sets.some((assignment) => assignment.parameter === parameter && assignment.field === status);
}

/** The value a write's parameter gets; `probe` only asks whether one can be found. */
function pickWriteValue(kit: EntityKit, write: ToolRole, parameter: string, record: JsonObject, input: TaskInput, probe: boolean): JsonValue | undefined {
  const param = write.anatomy.params.find((candidate) => candidate.name === parameter);
  if (!param) return undefined;
  const random = input.random;
  if (isStatusTarget(kit, write, parameter)) return probe ? "status" : pickTargetStatus(kit, write, record, input);
  const field = write.sets.find((assignment) => assignment.parameter === parameter)?.field;
  const entityField = kit.entity.fields.find((candidate) => candidate.name === (field ?? parameter.replace(/^new_/, "")));
  const limit = input.rules.limits.find((rule) => rule.tool === write.name && rule.parameter === parameter);
  if (["number", "integer"].includes(readSchemaType(param.schema) ?? "") && !entityField) {
    const money = kit.entity.fields.find((candidate) => ["number"].includes(readSchemaType(candidate.schema) ?? "") && /(amount|price|total|paid|fare|cost|due|balance)/.test(candidate.name));
    const base = money && typeof record[money.name] === "number" ? (record[money.name] as number) : random.int(40, 300);
    const ceiling = limit ? limit.max * 0.9 : base;
    const value = readSchemaType(param.schema) === "integer" ? Math.max(1, Math.min(Math.round(ceiling), random.int(2, 40) * 5)) : Math.max(1, Math.round(Math.min(base, ceiling) * (0.2 + random.next() * 0.5) * 100) / 100);
    return validateJsonSchema(param.schema, value).valid ? value : undefined;
  }
  for (let attempt = 0; attempt < 8; attempt++) {
    const value = entityField
      ? entityField.schema.format === "date"
        ? formatDate(random.int(12, 50))
        : generateFieldValue(entityField, random)
      : generateSchemaValue(param.schema, random, param.name);
    const differs = !entityField || JSON.stringify(value) !== JSON.stringify(record[entityField.name]);
    if (differs && validateJsonSchema(param.schema, value).valid && readSchemaType(param.schema) !== "boolean") return value;
  }
  return undefined;
}

/** Statuses a status update can set: not one another write of the kit leads to (the user would say that verb instead). */
function listStatusTargets(kit: EntityKit, write: ToolRole): string[] {
  const reachedOtherwise = new Set(kit.writes.filter((other) => other !== write).map((other) => other.transition?.to));
  return listStatuses(kit.entity).filter((status) => !reachedOtherwise.has(status));
}

/**
 * Statuses a write may start from: allowed by its preconditions and the agent's rules, and, for a status update,
 * with some other status to move to.
 */
export function listWriteStarts(kit: EntityKit, write: ToolRole, input: TaskInput): string[] {
  const eligible = listEligibleStatuses(write, input.rules);
  const status = findStatusField(kit.entity)?.name;
  if (!(write.kind === "update" && write.sets.some((assignment) => assignment.field === status))) return eligible;
  const targets = listStatusTargets(kit, write);
  return eligible.filter((start) => targets.some((target) => target !== start));
}

/** A status to move a record to: not where it is, and not one another write of the kit leads to. */
function pickTargetStatus(kit: EntityKit, write: ToolRole, record: JsonObject, input: TaskInput): string {
  const current = readStatus(kit, record);
  const statuses = listStatuses(kit.entity);
  const candidates = listStatusTargets(kit, write).filter((status) => status !== current);
  const later = statuses.slice(statuses.indexOf(String(current)) + 1).filter((status) => candidates.includes(status));
  return input.random.pick(later.length > 0 ? later : candidates.length > 0 ? candidates : statuses);
}

function describeValueFact(parameter: string, write: ToolRole): string {
  if (parameter.startsWith("new_")) return `the new ${humanize(parameter.slice(4))}`;
  if (/amount/.test(parameter)) return `the amount to ${humanize(write.anatomy.actionWords.join("_") || write.anatomy.verb)}`;
  if (parameter === "quantity") return "the quantity received";
  return `the ${humanize(parameter)}`;
}

interface WritePhrasing {
  clause: string;
  summary: string;
  answerFacts: string[];
  outcome: string;
  finalState?: PlannedRequest["finalState"];
}

/** How the user asks for a change, and what a correct answer then states. */
function phraseWrite(kit: EntityKit, write: ToolRole, args: JsonObject, record: JsonObject): WritePhrasing {
  const noun = nounOf(kit);
  const id = String(record.id);
  const base = `entities.${kit.entity.name}.${id}`;
  const verb = humanize(write.anatomy.actionWords.join("_") || write.anatomy.verb);
  if (write.kind === "delete") {
    return { clause: `${verb} your ${noun}`, summary: `${verb} ${noun} ${id}`, answerFacts: [id], outcome: `${noun} ${id} was ${pastTense(write.anatomy.verb)}.`, finalState: { path: base, exists: false } };
  }
  const statusField = findStatusField(kit.entity)?.name;
  const statusSet = write.sets.find((assignment) => assignment.field === statusField);
  if (write.kind === "update" && statusSet) {
    const status = String(args[statusSet.parameter]);
    return { clause: `have your ${noun} marked as ${humanize(status)}`, summary: `mark ${noun} ${id} as ${status}`, answerFacts: [status], outcome: `${noun} ${id} now has status ${status}.`, finalState: { path: `${base}.${statusSet.field}`, equals: status } };
  }
  const changed = write.sets.find((assignment) => args[assignment.parameter] !== undefined);
  const changedWords = changed ? humanize(changed.field) : "details";
  if (write.kind === "update" && write.anatomy.operation === "update") {
    const value = changed ? args[changed.parameter] : undefined;
    return {
      clause: `change the ${changedWords} on your ${noun}`,
      summary: `change the ${changedWords} of ${noun} ${id}`,
      answerFacts: value !== undefined ? [formatValue(value)] : [],
      outcome: `the ${changedWords} of ${noun} ${id} is now the new value.`,
      finalState: changed && value !== undefined ? { path: `${base}.${changed.field}`, equals: value } : undefined,
    };
  }
  const to = write.transition?.to;
  const plan = planAction(write.anatomy.actionWords.join("_") || write.anatomy.verb, kit.entity);
  const clause =
    plan.kind === "money"
      ? `get a ${verb} on your ${noun}`
      : plan.kind === "date_change" || plan.kind === "tier_change" || plan.kind === "relocate"
        ? `${verb} your ${noun} to a different ${changedWords}`
        : plan.kind === "reassign"
          ? `${verb} your ${noun} to someone else`
          : plan.kind === "restock"
            ? `${verb} your ${noun} after a delivery`
            : `${verb} your ${noun}`;
  const changedValue = changed ? args[changed.parameter] : undefined;
  return {
    clause,
    summary: `${verb} ${noun} ${id}`,
    answerFacts: [...(to !== undefined ? [formatValue(to)] : []), ...(changed && changedValue !== undefined ? [formatValue(changedValue)] : [])],
    outcome: `the ${verb} of ${noun} ${id} went through${to !== undefined ? ` and it is now ${formatValue(to)}` : ""}.`,
    finalState: to !== undefined ? { path: `${base}.${write.transition?.field ?? "status"}`, equals: to } : changed && changedValue !== undefined ? { path: `${base}.${changed.field}`, equals: changedValue } : undefined,
  };
}

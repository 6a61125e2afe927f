import type { JsonObject, JsonValue } from "../../../domain/common.js";
import type { Entity } from "../../../domain/domain.js";
import type { HiddenFact } from "../../../domain/task.js";
import type { Random } from "../../../support/random.js";
import { validateJsonSchema } from "../../../support/json-schema.js";
import { planAction } from "./action-params.js";
import { findStatusField, generateFieldValue, statusForVerb, listStatuses } from "./entity-records.js";
import { formatDate, generateSchemaValue, readSchemaEnum, readSchemaType } from "./schema-values.js";
import { collectGoalValues, makeIdFact, requireIdParam, listLookupSteps, makeTargetRecord, pickStartStatus, overrideStatus, type DraftInput, type DraftParts } from "./task-draft-parts.js";
import { findStatusParam, isIdParam, type ToolParam } from "./tool-anatomy.js";
import { humanize } from "./text.js";

/** Drafts of tasks that change a record: a status change, a domain action, a removal, a field edit. */

export function draftStatusChange(input: DraftInput): DraftParts {
  const { entity } = input.plan.group;
  const main = input.plan.main;
  const statusParam = findStatusParam(main);
  const statuses = (statusParam ? (readSchemaEnum(statusParam.schema) ?? []) : listStatuses(entity)).filter((value): value is string => typeof value === "string");
  const reachedOtherwise = collectOtherToolStatuses(input);
  const current = pickStartStatus(statuses, [], input.random);
  const candidates = statuses.filter((status) => status !== current && !reachedOtherwise.has(status));
  const later = statuses.slice(statuses.indexOf(current ?? "") + 1).filter((status) => candidates.includes(status));
  const target = input.random.pick(later.length > 0 ? later : candidates.length > 0 ? candidates : statuses.filter((status) => status !== current));
  const record = makeTargetRecord(input, overrideStatus(entity, current));
  const id = String(record.id);
  const idParam = requireIdParam(main);
  const statusField = findStatusField(entity)?.name ?? statusParam?.name ?? "status";
  return {
    goalValues: { ...collectGoalValues(input), status: humanize(target) },
    facts: [makeIdFact(input, idParam, id)],
    records: [record],
    rubric: {
      mainTool: main.name,
      mainArgs: { [idParam.name]: id, ...(statusParam ? { [statusParam.name]: target } : {}) },
      before: listLookupSteps(input),
      extraCalls: [],
      finalState: { path: `entities.${entity.name}.${id}.${statusField}`, equals: target },
      mentions: [id],
      outcome: `the ${humanize(entity.name)} ${id} now has status ${target}.`,
      asksFor: [humanize(idParam.name)],
    },
    expectedTools: [...listLookupSteps(input), main.name],
    difficulty: "medium",
  };
}

/** Statuses an action or removal tool of the toolset leads to: a goal naming them would point there instead. */
function collectOtherToolStatuses(input: DraftInput): Set<string> {
  const { group } = input.plan;
  const statuses = listStatuses(group.entity);
  const tools = [...group.actions, ...group.removals];
  return new Set(tools.map((tool) => statusForVerb(tool.actionWords.join("_") || tool.verb, statuses) ?? statusForVerb(tool.verb, statuses)).filter((status): status is string => status !== undefined));
}

export function draftAction(input: DraftInput): DraftParts {
  const { entity } = input.plan.group;
  const main = input.plan.main;
  const action = main.actionWords.join("_") || main.verb;
  const plan = planAction(action, entity);
  const resulting = plan.status ?? statusForVerb(main.verb, listStatuses(entity));
  const current = pickStartStatus(listStatuses(entity), resulting ? [resulting] : [], input.random);
  const record = makeTargetRecord(input, overrideStatus(entity, current));
  const id = String(record.id);
  const idParam = requireIdParam(main);
  const facts: HiddenFact[] = [makeIdFact(input, idParam, id)];
  const mainArgs: JsonObject = { [idParam.name]: id };
  let changedField: { field: string; value: JsonValue } | undefined;
  for (const param of main.params.filter((candidate) => candidate.required && candidate !== idParam)) {
    const value = pickActionValue(param, record, entity, input.random);
    facts.push({ key: param.name, value, description: describeParamFact(param, action) });
    mainArgs[param.name] = value;
    const field = param.name.replace(/^new_/, "");
    if (param.name.startsWith("new_") && field in record) changedField = { field, value };
  }
  const dateField = entity.fields.find((field) => field.schema.format === "date" || field.schema.format === "date-time");
  const tierField = plan.params.find((param) => param.field)?.field;
  const finalState = resulting
    ? { path: `entities.${entity.name}.${id}.${findStatusField(entity)?.name ?? "status"}`, equals: resulting }
    : changedField
      ? { path: `entities.${entity.name}.${id}.${changedField.field}`, equals: changedField.value }
      : undefined;
  return {
    goalValues: { ...collectGoalValues(input), verb: humanize(action), field: humanize(tierField ?? dateField?.name ?? "details") },
    actionKind: plan.kind,
    facts,
    records: [record],
    rubric: {
      mainTool: main.name,
      mainArgs,
      before: listLookupSteps(input),
      extraCalls: [],
      finalState,
      mentions: [id],
      outcome: `the ${humanize(action)} of ${humanize(entity.name)} ${id} went through${resulting ? ` and it is now ${resulting}` : ""}.`,
      asksFor: facts.map((fact) => humanize(fact.key)),
    },
    expectedTools: [...listLookupSteps(input), main.name],
    difficulty: facts.length > 1 ? "hard" : "medium",
  };
}

function pickActionValue(param: ToolParam, record: JsonObject, entity: Entity, random: Random): JsonValue {
  const field = entity.fields.find((candidate) => candidate.name === param.name.replace(/^new_/, ""));
  if (param.name.startsWith("new_") && field) {
    for (let attempt = 0; attempt < 6; attempt++) {
      const value = field.schema.format === "date" ? formatDate(random.int(12, 50)) : generateFieldValue(field, random);
      if (JSON.stringify(value) !== JSON.stringify(record[field.name]) && validateJsonSchema(param.schema, value).valid) return value;
    }
  }
  if (param.name === "amount") {
    const money = entity.fields.find((candidate) => readSchemaType(candidate.schema) === "number" && /(amount|price|total|paid|fare|cost|due|balance)/.test(candidate.name));
    const base = money && typeof record[money.name] === "number" ? (record[money.name] as number) : random.int(40, 300);
    return Math.max(1, Math.round(base * (0.2 + random.next() * 0.5) * 100) / 100);
  }
  if (param.name === "quantity") return random.int(2, 40) * 10;
  return generateSchemaValue(param.schema, random, param.name);
}

function describeParamFact(param: ToolParam, action: string): string {
  if (param.name.startsWith("new_")) return `the new ${humanize(param.name.slice(4))}`;
  if (param.name === "amount") return `the amount to ${humanize(action)}`;
  if (param.name === "quantity") return "the quantity received";
  if (param.schema.format === "email" || /email/.test(param.name)) return "your email address";
  return `the ${humanize(param.name)}`;
}

export function draftRemoval(input: DraftInput): DraftParts {
  const { entity } = input.plan.group;
  const main = input.plan.main;
  const resulting = statusForVerb(main.verb, listStatuses(entity));
  const current = pickStartStatus(listStatuses(entity), resulting ? [resulting] : [], input.random);
  const record = makeTargetRecord(input, overrideStatus(entity, current));
  const id = String(record.id);
  const idParam = requireIdParam(main);
  const hardDelete = /^(delete|remove|purge|destroy|discard)$/.test(main.verb) || !resulting;
  return {
    goalValues: { ...collectGoalValues(input), verb: humanize(main.verb) },
    facts: [makeIdFact(input, idParam, id)],
    records: [record],
    rubric: {
      mainTool: main.name,
      mainArgs: { [idParam.name]: id },
      before: listLookupSteps(input),
      extraCalls: [],
      finalState: hardDelete ? { path: `entities.${entity.name}.${id}`, exists: false } : { path: `entities.${entity.name}.${id}.${findStatusField(entity)?.name ?? "status"}`, equals: resulting },
      mentions: [id],
      outcome: `the ${humanize(entity.name)} ${id} was ${hardDelete ? "deleted" : resulting}.`,
      asksFor: [humanize(idParam.name)],
    },
    expectedTools: [...listLookupSteps(input), main.name],
    difficulty: "medium",
  };
}

export function draftFieldChange(input: DraftInput): DraftParts {
  const { entity } = input.plan.group;
  const main = input.plan.main;
  const idParam = requireIdParam(main);
  const candidates = main.params.filter((param) => param !== idParam && !isIdParam(param) && readSchemaType(param.schema) !== "boolean" && entity.fields.some((field) => field.name === param.name));
  const param = input.random.pick(candidates.length > 0 ? candidates : main.params.filter((candidate) => candidate !== idParam));
  const record = makeTargetRecord(input);
  const id = String(record.id);
  let value = pickActionValue({ ...param, name: `new_${param.name}` }, record, entity, input.random);
  if (!validateJsonSchema(param.schema, value).valid) value = generateSchemaValue(param.schema, input.random, param.name);
  return {
    goalValues: { ...collectGoalValues(input), field: humanize(param.name) },
    facts: [makeIdFact(input, idParam, id), { key: param.name, value, description: `the new ${humanize(param.name)}` }],
    records: [record],
    rubric: {
      mainTool: main.name,
      mainArgs: { [idParam.name]: id, [param.name]: value },
      before: listLookupSteps(input),
      extraCalls: [],
      finalState: { path: `entities.${entity.name}.${id}.${param.name}`, equals: value },
      mentions: [id],
      outcome: `the ${humanize(param.name)} of ${humanize(entity.name)} ${id} was changed to the new value.`,
      asksFor: [humanize(idParam.name), `new ${humanize(param.name)}`],
    },
    expectedTools: [...listLookupSteps(input), main.name],
    difficulty: "hard",
  };
}

import type { JsonSchema } from "../../../domain/common.js";
import type { DomainSpec, Entity, EntityField } from "../../../domain/domain.js";
import type { ToolSynthesisOutput } from "../../request-context.js";
import type { Random } from "../../../support/random.js";
import { isDestructiveVerb, isIdempotentKind, planAction } from "./action-params.js";
import { buildRecordSchema, toFieldSchema, findStatusField, buildIdSchema, statusForVerb, listStatuses } from "./entity-records.js";
import { readSchemaEnum, readSchemaType } from "./schema-values.js";
import { capitalize, humanize, joinList, pickPhrase, titleCase, addArticle } from "./text.js";

/*
 * One builder per kind of tool an entity gets: get, search, create, update status, update fields,
 * cancel/delete, domain actions and count. Each returns a complete tool: name, a real description,
 * input and output JSON Schemas and MCP annotations.
 */

export type SynthesizedTool = ToolSynthesisOutput["tools"][number];
export type BlueprintKind = "get" | "search" | "create" | "update_status" | "update" | "cancel" | "delete" | "action" | "count";

export interface Blueprint {
  kind: BlueprintKind;
  entity: Entity;
  action?: string;
}

interface BuildInput {
  domain: DomainSpec;
  entity: Entity;
  random: Random;
}

const PAST_FIELD = /(_at$|placed|created|opened|issued|requested|borrowed|launched|joined|counted|enrolled|submitted)/;

function describeEntityNoun(entity: Entity): string {
  return humanize(entity.name);
}

function describeEntityPlural(entity: Entity): string {
  return humanize(entity.plural);
}

function buildObjectSchema(properties: Record<string, JsonSchema>, required: string[]): JsonSchema {
  return { type: "object", properties, required, additionalProperties: false };
}

function buildAnnotations(title: string, hints: { readOnly: boolean; destructive: boolean; idempotent: boolean }): SynthesizedTool["annotations"] {
  return { title, readOnlyHint: hints.readOnly, destructiveHint: hints.destructive, idempotentHint: hints.idempotent, openWorldHint: false };
}

function buildIdProperty(entity: Entity): Record<string, JsonSchema> {
  return { [`${entity.name}_id`]: buildIdSchema(entity) };
}

function describeFields(entity: Entity, count: number): string {
  return joinList(entity.fields.slice(0, count).map((field) => humanize(field.name)));
}

export function buildTool(blueprint: Blueprint, domain: DomainSpec, random: Random): SynthesizedTool {
  const input: BuildInput = { domain, entity: blueprint.entity, random };
  switch (blueprint.kind) {
    case "get":
      return buildGetTool(input);
    case "search":
      return buildSearchTool(input);
    case "create":
      return buildCreateTool(input);
    case "update_status":
      return buildUpdateStatusTool(input);
    case "update":
      return buildUpdateTool(input);
    case "cancel":
      return buildCancelTool(input);
    case "delete":
      return buildDeleteTool(input);
    case "count":
      return buildCountTool(input);
    case "action":
      return buildActionTool(input, blueprint.action ?? "process");
  }
}

function buildGetTool({ domain, entity, random }: BuildInput): SynthesizedTool {
  const values = { noun: describeEntityNoun(entity), org: domain.organization, fields: describeFields(entity, 3) };
  return {
    name: `get_${entity.name}`,
    description: pickPhrase(random, [
      "Look up a single {noun} at {org} by its ID and return its current record, including {fields}.",
      "Fetch the current details of one {org} {noun} ({fields}) given its ID.",
      "Return one {noun} from {org}'s system by ID, with its {fields}.",
    ], values),
    inputSchema: buildObjectSchema(buildIdProperty(entity), [`${entity.name}_id`]),
    outputSchema: buildRecordSchema(entity),
    annotations: buildAnnotations(`Get ${titleCase(entity.name)}`, { readOnly: true, destructive: false, idempotent: true }),
  };
}

export function pickSearchFilters(entity: Entity): EntityField[] {
  const status = findStatusField(entity);
  const email = entity.fields.find((field) => field.schema.format === "email");
  const otherEnum = entity.fields.find((field) => field !== status && readSchemaEnum(field.schema));
  return [status, email, otherEnum].filter((field): field is EntityField => field !== undefined);
}

function buildSearchTool({ domain, entity, random }: BuildInput): SynthesizedTool {
  const filters = pickSearchFilters(entity);
  const properties: Record<string, JsonSchema> = {};
  for (const field of filters) properties[field.name] = { ...toFieldSchema(field), description: `Only ${describeEntityPlural(entity)} with this ${humanize(field.name)}.` };
  properties.limit = { type: "integer", minimum: 1, maximum: 50, description: "Maximum number of results (default 10)." };
  const values = { plural: describeEntityPlural(entity), org: domain.organization, filters: joinList(filters.map((field) => humanize(field.name)), "or") || "any field" };
  return {
    name: `search_${entity.plural}`,
    description: pickPhrase(random, [
      "Search {org}'s {plural} by {filters}. Returns the matching {plural} and the total count.",
      "Find {plural} at {org} that match {filters}; every filter is optional. Returns matches and a total.",
      "List {plural} in {org}'s records, filtered by {filters}.",
    ], values),
    inputSchema: buildObjectSchema(properties, []),
    outputSchema: {
      type: "object",
      properties: {
        results: { type: "array", items: buildRecordSchema(entity), description: `The matching ${describeEntityPlural(entity)}.` },
        total: { type: "integer", minimum: 0, description: "How many matched." },
      },
      required: ["results", "total"],
    },
    annotations: buildAnnotations(`Search ${titleCase(entity.plural)}`, { readOnly: true, destructive: false, idempotent: true }),
  };
}

/** Fields a caller supplies when creating a record (not the status, not system timestamps). */
export function listCreatableFields(entity: Entity): EntityField[] {
  const status = findStatusField(entity);
  return entity.fields.filter((field) => field !== status && !PAST_FIELD.test(field.name));
}

/** The required inputs of a create tool: at most three, most identifying first. */
function requiredCreateFields(entity: Entity): EntityField[] {
  const rank = (field: EntityField): number => {
    const schema = field.schema;
    if (schema.format === "email") return 0;
    if (typeof schema.pattern === "string") return 1;
    if (/(amount|price|quantity|size|count)/.test(field.name) && readSchemaType(schema) !== "string") return 2;
    if (schema.format === "date" || schema.format === "date-time") return 3;
    if (readSchemaType(schema) === "string" && !readSchemaEnum(schema)) return 4;
    if (readSchemaEnum(schema)) return 5;
    return 6;
  };
  return listCreatableFields(entity)
    .filter((field) => readSchemaType(field.schema) !== "boolean")
    .map((field, index) => ({ field, index }))
    .sort((a, b) => rank(a.field) - rank(b.field) || a.index - b.index)
    .slice(0, 3)
    .map(({ field }) => field);
}

function buildCreateTool({ domain, entity, random }: BuildInput): SynthesizedTool {
  const fields = listCreatableFields(entity);
  const required = requiredCreateFields(entity).map((field) => field.name);
  const properties: Record<string, JsonSchema> = {};
  for (const field of fields) properties[field.name] = toFieldSchema(field);
  const initial = listStatuses(entity)[0];
  const values = { noun: describeEntityNoun(entity), article: addArticle(describeEntityNoun(entity)), org: domain.organization, required: joinList(required.map(humanize)), initial: initial ? ` with status ${initial}` : "" };
  return {
    name: `create_${entity.name}`,
    description: pickPhrase(random, [
      "Create {article} at {org}. Needs the {required}; returns the new {noun} with its ID{initial}.",
      "Open a new {noun} in {org}'s system from the {required}. The new record starts{initial} and gets a fresh ID.",
      "Register {article} at {org} given the {required}, and return it with its new ID.",
    ], values),
    inputSchema: buildObjectSchema(properties, required),
    outputSchema: buildRecordSchema(entity),
    annotations: buildAnnotations(`Create ${titleCase(entity.name)}`, { readOnly: false, destructive: false, idempotent: false }),
  };
}

function buildUpdateStatusTool({ domain, entity, random }: BuildInput): SynthesizedTool {
  const status = findStatusField(entity) as EntityField;
  const statuses = listStatuses(entity);
  const values = { noun: describeEntityNoun(entity), article: addArticle(describeEntityNoun(entity)), org: domain.organization, examples: joinList(statuses.slice(1, 3), "or"), field: humanize(status.name) };
  return {
    name: `update_${entity.name}_${status.name}`,
    description: pickPhrase(random, [
      "Change the {field} of an existing {noun} at {org} (for example to {examples}). Returns the updated {noun}.",
      "Set a new {field} on one {org} {noun}, such as {examples}, and return the updated record.",
      "Move {article} at {org} to another {field} (e.g. {examples}).",
    ], values),
    inputSchema: buildObjectSchema(
      {
        ...buildIdProperty(entity),
        [status.name]: { ...toFieldSchema(status), description: `The new ${humanize(status.name)}.` },
        note: { type: "string", maxLength: 200, description: "Optional note saved with the change." },
      },
      [`${entity.name}_id`, status.name],
    ),
    outputSchema: buildRecordSchema(entity),
    annotations: buildAnnotations(`Update ${titleCase(entity.name)} ${titleCase(status.name)}`, { readOnly: false, destructive: false, idempotent: true }),
  };
}

function buildUpdateTool({ domain, entity, random }: BuildInput): SynthesizedTool {
  const fields = listCreatableFields(entity);
  const properties: Record<string, JsonSchema> = { ...buildIdProperty(entity) };
  for (const field of fields) properties[field.name] = { ...toFieldSchema(field), description: `New ${humanize(field.name)} (leave out to keep it).` };
  const values = { noun: describeEntityNoun(entity), org: domain.organization, fields: joinList(fields.slice(0, 3).map((field) => humanize(field.name))) };
  return {
    name: `update_${entity.name}`,
    description: pickPhrase(random, [
      "Edit the details of an existing {noun} at {org}, such as its {fields}. Only the fields given are changed.",
      "Update one {org} {noun}: change its {fields}. Returns the updated record.",
    ], values),
    inputSchema: buildObjectSchema(properties, [`${entity.name}_id`]),
    outputSchema: buildRecordSchema(entity),
    annotations: buildAnnotations(`Update ${titleCase(entity.name)}`, { readOnly: false, destructive: false, idempotent: true }),
  };
}

export function findCancelStatus(entity: Entity): string | undefined {
  return statusForVerb("cancel", listStatuses(entity));
}

function buildCancelTool({ domain, entity, random }: BuildInput): SynthesizedTool {
  const values = { noun: describeEntityNoun(entity), article: addArticle(describeEntityNoun(entity)), org: domain.organization, status: findCancelStatus(entity) ?? "cancelled" };
  return {
    name: `cancel_${entity.name}`,
    description: pickPhrase(random, [
      "Cancel {article} at {org}. The {noun} stays on record with status {status}; this cannot be undone.",
      "Cancel one {org} {noun} by ID and return it with its new status ({status}).",
    ], values),
    inputSchema: buildObjectSchema({ ...buildIdProperty(entity), reason: { type: "string", maxLength: 200, description: "Optional reason for the cancellation." } }, [`${entity.name}_id`]),
    outputSchema: buildRecordSchema(entity),
    annotations: buildAnnotations(`Cancel ${titleCase(entity.name)}`, { readOnly: false, destructive: true, idempotent: true }),
  };
}

function buildDeleteTool({ domain, entity, random }: BuildInput): SynthesizedTool {
  const values = { noun: describeEntityNoun(entity), article: addArticle(describeEntityNoun(entity)), org: domain.organization };
  return {
    name: `delete_${entity.name}`,
    description: pickPhrase(random, [
      "Permanently delete {article} from {org}'s records. This cannot be undone.",
      "Remove one {noun} from {org}'s system by ID; it can no longer be looked up afterwards.",
    ], values),
    inputSchema: buildObjectSchema(buildIdProperty(entity), [`${entity.name}_id`]),
    outputSchema: {
      type: "object",
      properties: { id: buildIdSchema(entity), deleted: { type: "boolean", description: "True when the record was removed." } },
      required: ["id", "deleted"],
    },
    annotations: buildAnnotations(`Delete ${titleCase(entity.name)}`, { readOnly: false, destructive: true, idempotent: true }),
  };
}

function buildCountTool({ domain, entity, random }: BuildInput): SynthesizedTool {
  const status = findStatusField(entity);
  const properties: Record<string, JsonSchema> = status ? { [status.name]: { ...toFieldSchema(status), description: `Only count ${describeEntityPlural(entity)} with this ${humanize(status.name)}.` } } : {};
  return {
    name: `count_${entity.plural}`,
    description: pickPhrase(random, ["Count the {plural} at {org}, optionally only those with a given status.", "Return how many {plural} {org} has on record, optionally by status."], { plural: describeEntityPlural(entity), org: domain.organization }),
    inputSchema: buildObjectSchema(properties, []),
    outputSchema: { type: "object", properties: { total: { type: "integer", minimum: 0, description: "Number of matching records." } }, required: ["total"] },
    annotations: buildAnnotations(`Count ${titleCase(entity.plural)}`, { readOnly: true, destructive: false, idempotent: true }),
  };
}

function buildActionTool({ domain, entity, random }: BuildInput, action: string): SynthesizedTool {
  const plan = planAction(action, entity);
  const properties: Record<string, JsonSchema> = { ...buildIdProperty(entity) };
  for (const param of plan.params) properties[param.name] = param.schema;
  const required = [`${entity.name}_id`, ...plan.params.filter((param) => param.required).map((param) => param.name)];
  const verb = humanize(action);
  const change = plan.params.find((param) => param.field);
  const effect = plan.status ? ` Its status becomes ${plan.status}.` : change ? ` Sets the ${humanize(change.field ?? "")} to the value given.` : "";
  const values = { verb: capitalize(verb), verbLower: verb, noun: describeEntityNoun(entity), article: addArticle(describeEntityNoun(entity)), org: domain.organization, effect };
  const templates =
    plan.kind === "money"
      ? ["{verb} {article} at {org}: the amount given goes back to the customer.{effect} Returns the updated {noun}.", "Issue a {verbLower} on one {org} {noun} for a given amount.{effect}"]
      : plan.kind === "date_change"
        ? ["{verb} {article} at {org} to a new date.{effect} Returns the updated {noun}.", "Move one {org} {noun} to another date ({verbLower}).{effect}"]
        : ["{verb} {article} at {org}.{effect} Returns the updated {noun}.", "{verb} one {org} {noun} by ID.{effect} Returns the {noun} after the change."];
  const destructive = isDestructiveVerb(action.split("_")[0] ?? action);
  return {
    name: `${action}_${entity.name}`,
    description: pickPhrase(random, templates, values),
    inputSchema: buildObjectSchema(properties, required),
    outputSchema: buildRecordSchema(entity),
    annotations: buildAnnotations(`${titleCase(action)} ${titleCase(entity.name)}`, { readOnly: false, destructive, idempotent: isIdempotentKind(plan.kind) }),
  };
}

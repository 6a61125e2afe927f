import type { JsonObject, JsonSchema, JsonValue } from "../../../domain/common.js";
import type { DomainSpec, Entity, EntityField } from "../../../domain/domain.js";
import type { Random } from "../../../support/random.js";
import { validateJsonSchema } from "../../../support/json-schema.js";
import { generateSchemaValue, readSchemaEnum } from "./schema-values.js";
import type { ToolAnatomy } from "./tool-anatomy.js";
import { pastTense, splitWords, stemWord } from "./text.js";

/*
 * Domain entities as data: JSON Schemas of their records and ids, generated records, and how domain
 * verbs map onto status values ("refund" → "refunded", "renew" → "active").
 */

function buildIdPattern(prefix: string): string {
  return `^${prefix}-\\d{4,6}$`;
}

export function buildIdSchema(entity: Pick<Entity, "idPrefix" | "name">, description?: string): JsonSchema {
  return {
    type: "string",
    pattern: buildIdPattern(entity.idPrefix),
    description: description ?? `The ${splitWords(entity.name).join(" ")} ID, like ${entity.idPrefix}-10442.`,
  };
}

/** A fresh id with the entity's prefix that is not in `taken`. */
export function generateEntityId(prefix: string, random: Random, taken: ReadonlySet<string> = new Set()): string {
  for (;;) {
    const id = `${prefix}-${random.int(10000, 99999)}`;
    if (!taken.has(id)) return id;
  }
}

export function toFieldSchema(field: EntityField): JsonSchema {
  return { ...field.schema, description: typeof field.schema.description === "string" ? field.schema.description : `${field.description}.` };
}

export function findStatusField(entity: Entity): EntityField | undefined {
  return entity.fields.find((field) => /(^|_)(status|state)$/.test(field.name) && readSchemaEnum(field.schema));
}

export function listStatuses(entity: Entity): string[] {
  const field = findStatusField(entity);
  return (field ? (readSchemaEnum(field.schema) ?? []) : []).filter((value): value is string => typeof value === "string");
}

/** The JSON Schema of one stored record of the entity (id + fields). */
export function buildRecordSchema(entity: Entity): JsonSchema {
  const properties: Record<string, JsonSchema> = { id: buildIdSchema(entity) };
  for (const field of entity.fields) properties[field.name] = toFieldSchema(field);
  const status = findStatusField(entity);
  return { type: "object", properties, required: status ? ["id", status.name] : ["id"] };
}

/** A readable record: field examples where they fit, generated values otherwise. */
export function generateEntityRecord(entity: Entity, id: string, random: Random, overrides: JsonObject = {}): JsonObject {
  const record: JsonObject = { id };
  for (const field of entity.fields) {
    record[field.name] = field.name in overrides ? (overrides[field.name] as JsonValue) : generateFieldValue(field, random);
  }
  return record;
}

export function generateFieldValue(field: EntityField, random: Random): JsonValue {
  const examples = field.examples.filter((example): example is JsonValue => example !== undefined && validateJsonSchema(field.schema, example).valid);
  if (examples.length > 0 && random.chance(0.55)) return random.pick(examples);
  return generateSchemaValue(field.schema, random, field.name);
}

const VERB_STATUSES: Record<string, string[]> = {
  renew: ["renewed", "active"],
  resume: ["resumed", "active"],
  reactivate: ["reactivated", "active"],
  unfreeze: ["unfrozen", "open", "active"],
  refill: ["refilled", "ready_for_pickup"],
  restock: ["restocked", "in_stock"],
  confirm: ["confirmed"],
  return: ["returned"],
  check_in: ["checked_in"],
  start: ["started", "running"],
  stop: ["stopped"],
  reboot: ["rebooting", "running"],
  escalate: ["escalated"],
  resolve: ["resolved"],
  complete: ["completed", "done"],
  block: ["blocked"],
  send: ["sent"],
  void: ["void", "voided"],
  withdraw: ["withdrawn", "cancelled"],
  cancel: ["cancelled", "canceled"],
  close: ["closed"],
  delete: ["deleted"],
  remove: ["removed"],
  drop: ["dropped"],
  deny: ["denied", "rejected"],
  reject: ["rejected", "denied"],
  revoke: ["revoked"],
  terminate: ["terminated"],
  suspend: ["suspended"],
  discontinue: ["discontinued"],
  dispute: ["disputed"],
  schedule: ["scheduled"],
  reschedule: ["rescheduled", "scheduled", "changed"],
  assign: ["assigned", "in_progress"],
  pay: ["paid"],
};

/** The status a domain verb leads to, when the entity's statuses have one. */
export function statusForVerb(verb: string, statuses: readonly string[]): string | undefined {
  const candidates = [...(VERB_STATUSES[verb] ?? []), pastTense(verb)];
  const exact = candidates.find((candidate) => statuses.includes(candidate));
  if (exact) return exact;
  const stem = stemWord(verb);
  return statuses.find((status) => stemWord(status) === stem);
}

/** The domain entity a tool is about: by id prefix, then by name, then by words of the tool name. */
export function matchDomainEntity(domain: DomainSpec | undefined, anatomy: ToolAnatomy): Entity | undefined {
  if (!domain) return undefined;
  if (anatomy.idPrefix) {
    const byPrefix = domain.entities.find((entity) => entity.idPrefix === anatomy.idPrefix);
    if (byPrefix) return byPrefix;
  }
  const byName = domain.entities.find((entity) => entity.name === anatomy.entityName || entity.plural === anatomy.entityName);
  if (byName) return byName;
  const name = anatomy.name.toLowerCase();
  const matches = domain.entities.filter((entity) => name.includes(entity.plural) || name.includes(entity.name));
  return matches.sort((a, b) => b.name.length - a.name.length)[0];
}

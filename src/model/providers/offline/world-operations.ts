import type { JsonObject, JsonSchema, JsonValue } from "../../../domain/common.js";
import type { StateOperation } from "../../../domain/episode.js";
import type { Random } from "../../../support/random.js";
import { findStatusField, generateEntityId, generateFieldValue, statusForVerb, listStatuses } from "./entity-records.js";
import { asSchema, formatDate, formatDateTime, generateSchemaValue, readSchemaEnum, listSchemaProperties, readSchemaType } from "./schema-values.js";
import { humanize } from "./text.js";
import type { ToolAnatomy } from "./tool-anatomy.js";
import { deleteRecord, pickPrefix, setRecord, type Collection } from "./world-records.js";

/*
 * The world model's operations on one collection: read, search, create, update, delete/cancel and
 * domain actions. Each returns the payload (a record, a list, or an error) and the state operations.
 */

export type Payload =
  | { kind: "record"; record: JsonObject }
  | { kind: "list"; records: JsonObject[] }
  | { kind: "deleted"; id: string }
  | { kind: "error"; error: string; message: string };

export interface Outcome {
  payload: Payload;
  stateUpdate: StateOperation[];
}

const PAGING = new Set(["limit", "offset", "page", "page_size", "per_page", "sort", "sort_by", "order_by", "cursor"]);
const NOTES = new Set(["note", "notes", "reason", "comment", "justification", "message"]);
const HARD_DELETE = /^(delete|remove|purge|destroy|discard|erase)$/;
const CREATION_DATE = /(created|placed|opened|issued|requested|submitted|joined|launched|enrolled|borrowed|_at$)/;

function failWith(error: string, message: string): Outcome {
  return { payload: { kind: "error", error, message }, stateUpdate: [] };
}

function describeCollection(collection: Collection): string {
  return humanize(collection.entity?.name ?? collection.name);
}

/** The record a call names, or the error outcome when the id is missing or unknown. */
function findTarget(anatomy: ToolAnatomy, args: JsonObject, collection: Collection): { record: JsonObject } | { outcome: Outcome } {
  const param = anatomy.idParam;
  const id = param ? args[param.name] : undefined;
  if (typeof id !== "string" || id === "") return { outcome: failWith("invalid_arguments", `${param?.name ?? "An id"} is required.`) };
  const record = collection.records.get(id);
  if (!record) return { outcome: failWith("not_found", `No ${describeCollection(collection)} with ID ${id} exists.`) };
  return { record };
}

export function readRecord(anatomy: ToolAnatomy, args: JsonObject, collection: Collection): Outcome {
  const target = findTarget(anatomy, args, collection);
  if ("outcome" in target) return target.outcome;
  return { payload: { kind: "record", record: target.record }, stateUpdate: [] };
}

export function searchRecords(args: JsonObject, collection: Collection): Outcome {
  const limit = typeof args.limit === "number" && args.limit > 0 ? Math.floor(args.limit) : 10;
  const matches = [...collection.records.values()].filter((record) => Object.entries(args).every(([key, value]) => matchesFilter(record, key, value)));
  return { payload: { kind: "list", records: matches.slice(0, limit) }, stateUpdate: [] };
}

function matchesFilter(record: JsonObject, key: string, value: JsonValue): boolean {
  if (PAGING.has(key) || value === null) return true;
  if (/^(query|q|keyword|keywords|text|search|term)$/.test(key)) {
    const needle = String(value).toLowerCase();
    return Object.values(record).some((field) => typeof field === "string" && field.toLowerCase().includes(needle));
  }
  const lower = /^(?:min_|from_)(.+)$/.exec(key)?.[1] ?? /^(.+)_(?:from|after|min|since|start)$/.exec(key)?.[1];
  if (lower && lower in record) return compare(record[lower], value) >= 0;
  const upper = /^(?:max_|to_)(.+)$/.exec(key)?.[1] ?? /^(.+)_(?:to|before|max|until|end)$/.exec(key)?.[1];
  if (upper && upper in record) return compare(record[upper], value) <= 0;
  if (!(key in record)) return true;
  const field = record[key];
  if (typeof field === "string" && typeof value === "string") return field.toLowerCase() === value.toLowerCase();
  return JSON.stringify(field) === JSON.stringify(value);
}

function compare(a: JsonValue | undefined, b: JsonValue): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}

export function createRecord(args: JsonObject, collection: Collection, random: Random, recordSchema?: JsonSchema): Outcome {
  const id = generateEntityId(pickPrefix(collection), random, new Set(collection.records.keys()));
  const record: JsonObject = { id };
  const entity = collection.entity;
  if (entity) {
    const statuses = listStatuses(entity);
    const status = findStatusField(entity);
    for (const field of entity.fields) {
      if (field.name in args) record[field.name] = args[field.name] as JsonValue;
      else if (field === status && statuses[0] !== undefined) record[field.name] = statuses[0];
      else if (CREATION_DATE.test(field.name) && field.schema.format === "date") record[field.name] = formatDate(0);
      else if (CREATION_DATE.test(field.name) && field.schema.format === "date-time") record[field.name] = formatDateTime(0, 9);
      else record[field.name] = generateFieldValue(field, random);
    }
  } else {
    for (const [key, value] of Object.entries(args)) if (!PAGING.has(key)) record[key] = value;
  }
  const complete = entity ? record : fillRecordDefaults(record, recordSchema, random);
  return { payload: { kind: "record", record: complete }, stateUpdate: [setRecord(collection, complete)] };
}

export function updateRecord(anatomy: ToolAnatomy, args: JsonObject, collection: Collection): Outcome {
  const target = findTarget(anatomy, args, collection);
  if ("outcome" in target) return target.outcome;
  const record = applyArguments(anatomy, args, { ...target.record });
  return { payload: { kind: "record", record }, stateUpdate: [setRecord(collection, record)] };
}

export function removeRecord(anatomy: ToolAnatomy, args: JsonObject, collection: Collection): Outcome {
  const target = findTarget(anatomy, args, collection);
  if ("outcome" in target) return target.outcome;
  const id = String(target.record.id);
  const status = collection.entity ? findStatusField(collection.entity) : undefined;
  const next = collection.entity && status ? statusForVerb(anatomy.verb, listStatuses(collection.entity)) : findStatusFromRecordSchema(anatomy, target.record);
  if (!HARD_DELETE.test(anatomy.verb) && next) {
    const record = { ...target.record, [status?.name ?? "status"]: next };
    return { payload: { kind: "record", record }, stateUpdate: [setRecord(collection, record)] };
  }
  return { payload: { kind: "deleted", id }, stateUpdate: [deleteRecord(collection, id)] };
}

/** Without a domain entity: the status enum of the tool's record schema, or a status field already present. */
function findStatusFromRecordSchema(anatomy: ToolAnatomy, record: JsonObject): string | undefined {
  const statusSchema = anatomy.recordSchema ? listSchemaProperties(anatomy.recordSchema).find(([name]) => name === "status")?.[1] : undefined;
  const values = statusSchema ? (readSchemaEnum(statusSchema) ?? []).filter((value): value is string => typeof value === "string") : [];
  if (values.length > 0) return statusForVerb(anatomy.verb, values);
  return typeof record.status === "string" ? statusForVerb(anatomy.verb, [`${anatomy.verb}led`, `${anatomy.verb}ed`, `${anatomy.verb}d`]) : undefined;
}

export function actOnRecord(anatomy: ToolAnatomy, args: JsonObject, collection: Collection): Outcome {
  const target = findTarget(anatomy, args, collection);
  if ("outcome" in target) return target.outcome;
  const record = applyArguments(anatomy, args, { ...target.record });
  const action = anatomy.actionWords.join("_") || anatomy.verb;
  const statuses = collection.entity ? listStatuses(collection.entity) : [];
  const status = collection.entity ? findStatusField(collection.entity) : undefined;
  const next = statusForVerb(action, statuses) ?? statusForVerb(anatomy.verb, statuses);
  if (status && next) record[status.name] = next;
  if (anatomy.verb === "restock" && typeof args.quantity === "number") {
    const stock = Object.keys(record).find((key) => /quantity/.test(key) && typeof record[key] === "number");
    if (stock) record[stock] = (record[stock] as number) + args.quantity;
  }
  return { payload: { kind: "record", record }, stateUpdate: [setRecord(collection, record)] };
}

/** Write the call's arguments into the record: `new_<field>` and same-named fields; notes are kept aside. */
function applyArguments(anatomy: ToolAnatomy, args: JsonObject, record: JsonObject): JsonObject {
  const fields = collectionFieldNames(anatomy, record);
  for (const [key, value] of Object.entries(args)) {
    if (key === anatomy.idParam?.name || NOTES.has(key) || PAGING.has(key)) continue;
    const field = key.startsWith("new_") && fields.has(key.slice(4)) ? key.slice(4) : key;
    if (fields.has(field)) record[field] = value;
  }
  return record;
}

function collectionFieldNames(anatomy: ToolAnatomy, record: JsonObject): Set<string> {
  const names = new Set(Object.keys(record).filter((key) => key !== "id"));
  if (anatomy.recordSchema) for (const [name] of listSchemaProperties(anatomy.recordSchema)) if (name !== "id") names.add(name);
  return names;
}

/** A record-shaped default for fields the output schema wants but the record lacks. */
function fillRecordDefaults(record: JsonObject, recordSchema: JsonSchema | undefined, random: Random): JsonObject {
  const schema = asSchema(recordSchema);
  if (!schema) return record;
  const out = { ...record };
  for (const [name, property] of listSchemaProperties(schema)) {
    if (!(name in out) && readSchemaType(property) !== "object") out[name] = name === "status" && readSchemaEnum(property) ? ((readSchemaEnum(property) ?? [])[0] ?? null) : generateSchemaValue(property, random, name);
  }
  return out;
}

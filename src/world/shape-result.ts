import type { JsonObject, JsonSchema, JsonValue } from "../domain/common.js";
import { isObject } from "../support/is-object.js";
import { asSchema, listSchemaProperties, listSchemaRequired, readSchemaType, resolveSchemaBranches } from "./schema-reading.js";
import { sampleSchemaValue } from "./sample-values.js";

/*
 * An effect's answer in the shape the tool's output schema asks for: a record as itself or wrapped
 * (`{ "order": {...} }`), a list under the schema's array field with its count, a deletion as `{ id, deleted }`, a
 * computed value under its field. Fields the schema forbids are dropped, required fields the effect does not
 * produce are filled in (free text says what happened).
 */

export type EffectPayload =
  | { kind: "record"; record: JsonObject }
  | { kind: "records"; records: JsonObject[] }
  | { kind: "deleted"; record: JsonObject }
  | { kind: "value"; name: string; value: number };

const COUNT_NAME = /^(total|count|total_count|matches|num_results|result_count)$/;

export function shapeResult(payload: EffectPayload, outputSchema: JsonSchema | undefined, text: string): JsonValue {
  if (!outputSchema) return buildPlainResult(payload);
  const schema = resolveSchemaBranches(outputSchema);
  const type = readSchemaType(schema);
  if (type === "array") return fitToSchema(payload.kind === "records" ? payload.records : [buildPlainResult(payload)], schema, text);
  if ((type === "number" || type === "integer") && payload.kind === "value") return fitToSchema(payload.value, schema, text);
  if (type !== "object") return fitToSchema(buildPlainResult(payload), schema, text);
  return fitToSchema(arrangeObject(payload, schema), schema, text);
}

function buildPlainResult(payload: EffectPayload): JsonValue {
  switch (payload.kind) {
    case "record":
      return payload.record;
    case "records":
      return { results: payload.records, total: payload.records.length };
    case "deleted":
      return { id: payload.record.id ?? null, deleted: true };
    case "value":
      return { [payload.name]: payload.value };
  }
}

/** Where the payload goes among the properties of an object schema. */
function arrangeObject(payload: EffectPayload, schema: JsonSchema): JsonValue {
  const properties = listSchemaProperties(schema);
  const names = new Set(properties.map(([name]) => name));
  const numeric = properties.filter(([, property]) => ["integer", "number"].includes(readSchemaType(property) ?? ""));
  const recordWrapper = properties.find(([, property]) => readSchemaType(property) === "object" && listSchemaProperties(property).some(([name]) => name === "id"))?.[0];
  switch (payload.kind) {
    case "record":
      return names.has("id") || names.size === 0 || !recordWrapper ? payload.record : { [recordWrapper]: payload.record };
    case "deleted":
      if (names.has("deleted")) return { id: payload.record.id ?? null, deleted: true };
      return names.has("id") || !recordWrapper ? payload.record : { [recordWrapper]: payload.record };
    case "records": {
      const list = properties.find(([, property]) => readSchemaType(property) === "array")?.[0] ?? "results";
      const count = (numeric.find(([name]) => COUNT_NAME.test(name)) ?? numeric.find(([name]) => listSchemaRequired(schema).includes(name)))?.[0];
      return { ...(names.has(list) || names.size === 0 ? { [list]: payload.records } : {}), ...(count ? { [count]: payload.records.length } : {}) };
    }
    case "value": {
      const field = names.has(payload.name) ? payload.name : (numeric[0]?.[0] ?? payload.name);
      return { [field]: payload.value };
    }
  }
}

/** Keep what fits, drop fields a closed object forbids, fill the required fields that are missing. */
function fitToSchema(value: JsonValue, input: JsonSchema, text: string): JsonValue {
  const schema = resolveSchemaBranches(input);
  const type = readSchemaType(schema);
  if (type === "object" && isObject(value)) {
    const known = new Map(listSchemaProperties(schema));
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      const property = known.get(key);
      if (property) out[key] = fitToSchema(item, property, text);
      else if (schema.additionalProperties !== false) out[key] = item;
    }
    for (const key of listSchemaRequired(schema)) if (!(key in out)) out[key] = sampleSchemaValue(known.get(key) ?? {}, text);
    return out;
  }
  if (type === "array" && Array.isArray(value)) {
    const items = asSchema(schema.items);
    const list = items ? value.map((item) => fitToSchema(item, items, text)) : value;
    return typeof schema.maxItems === "number" ? list.slice(0, schema.maxItems) : list;
  }
  return value;
}

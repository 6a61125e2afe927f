import type { JsonObject, JsonSchema, JsonValue } from "../domain/common.js";
import { isObject } from "../support/is-object.js";

/*
 * Reading JSON Schema documents kept as data: their type, properties, required names, enums, and one concrete
 * branch of an anyOf/oneOf/allOf.
 */

export function asObject(value: unknown): JsonObject | undefined {
  return isObject(value) ? (value as JsonObject) : undefined;
}

export function asSchema(value: unknown): JsonSchema | undefined {
  return isObject(value) ? value : undefined;
}

/** The main type of a schema (the first non-null one when it lists several). */
export function readSchemaType(schema: JsonSchema): string | undefined {
  const type = schema.type;
  if (typeof type === "string") return type;
  if (Array.isArray(type)) return type.find((entry): entry is string => typeof entry === "string" && entry !== "null") ?? "null";
  if (schema.properties) return "object";
  if (schema.items) return "array";
  if (Array.isArray(schema.enum)) return typeof schema.enum[0] === "number" ? "number" : "string";
  return undefined;
}

export function listSchemaProperties(schema: JsonSchema): Array<[string, JsonSchema]> {
  const properties = asSchema(schema.properties);
  if (!properties) return [];
  return Object.entries(properties).flatMap(([name, value]) => {
    const property = asSchema(value);
    return property ? [[name, property] as [string, JsonSchema]] : [];
  });
}

export function listSchemaRequired(schema: JsonSchema): string[] {
  return Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === "string") : [];
}

export function readSchemaEnum(schema: JsonSchema): JsonValue[] | undefined {
  return Array.isArray(schema.enum) ? (schema.enum as JsonValue[]) : undefined;
}

/** Resolve `anyOf`/`oneOf`/`allOf` to one concrete branch (the first non-null one). */
export function resolveSchemaBranches(schema: JsonSchema): JsonSchema {
  for (const key of ["anyOf", "oneOf"] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) {
      const branch = branches.map(asSchema).find((entry) => entry && entry.type !== "null");
      if (branch) return resolveSchemaBranches({ ...omitKey(schema, key), ...branch });
    }
  }
  if (Array.isArray(schema.allOf)) {
    const merged = schema.allOf.map(asSchema).reduce<JsonSchema>((all, part) => ({ ...all, ...(part ?? {}) }), omitKey(schema, "allOf"));
    return resolveSchemaBranches(merged);
  }
  return schema;
}

function omitKey(schema: JsonSchema, key: string): JsonSchema {
  const { [key]: _removed, ...rest } = schema;
  return rest;
}


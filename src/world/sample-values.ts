import type { JsonObject, JsonSchema, JsonValue } from "../domain/common.js";
import { seedFrom } from "../support/hash.js";
import { asSchema, listSchemaProperties, listSchemaRequired, readSchemaEnum, readSchemaType, resolveSchemaBranches } from "./schema-reading.js";
import { validateJsonSchema } from "../support/json-schema.js";
import { generatePatternString } from "../support/pattern-strings.js";
import { createRandom } from "../support/random.js";

/*
 * Deterministic values that fit a JSON Schema, for what the world must fill in itself: a required output field the
 * effect does not produce, a sample state and sample calls of the tool audit. The schema's own const, enum,
 * default and examples come first; `text` stands in for free text (a message saying what happened).
 */

/** The date the world calls "today": fixed, so the same call gives the same answer whenever it runs. */
export const WORLD_DATE = "2026-03-02";

export function sampleSchemaValue(input: JsonSchema, text = "ok", variant = 0): JsonValue {
  const schema = resolveSchemaBranches(input);
  if ("const" in schema) return schema.const as JsonValue;
  const choices = readSchemaEnum(schema);
  if (choices && choices.length > 0) return choices[variant % choices.length] as JsonValue;
  if ("default" in schema && schema.default !== undefined) return schema.default as JsonValue;
  const examples = (Array.isArray(schema.examples) ? (schema.examples as JsonValue[]) : []).filter((example) => validateJsonSchema(schema, example).valid);
  if (examples.length > 0) return examples[variant % examples.length] as JsonValue;
  switch (readSchemaType(schema)) {
    case "object":
      return sampleObject(schema, text, variant);
    case "array": {
      const items = asSchema(schema.items) ?? {};
      const count = typeof schema.minItems === "number" ? schema.minItems : 0;
      return Array.from({ length: count }, (_, index) => sampleSchemaValue(items, text, variant + index));
    }
    case "integer":
    case "number":
      return sampleNumber(schema, variant);
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return sampleString(schema, text, variant);
  }
}

function sampleObject(schema: JsonSchema, text: string, variant: number): JsonObject {
  const required = new Set(listSchemaRequired(schema));
  const out: JsonObject = {};
  for (const [name, property] of listSchemaProperties(schema)) if (required.has(name)) out[name] = sampleSchemaValue(property, text, variant);
  return out;
}

function sampleNumber(schema: JsonSchema, variant: number): number {
  const integer = readSchemaType(schema) === "integer";
  const low = typeof schema.minimum === "number" ? schema.minimum : typeof schema.exclusiveMinimum === "number" ? schema.exclusiveMinimum + (integer ? 1 : 0.5) : 1;
  const high = typeof schema.maximum === "number" ? schema.maximum : typeof schema.exclusiveMaximum === "number" ? schema.exclusiveMaximum - (integer ? 1 : 0.5) : low + 100;
  const value = Math.min(high, low + variant * 7 + (low <= 0 ? 1 : 0));
  return integer ? Math.ceil(value) : Math.round(value * 100) / 100;
}

/** The world's date moved by `days`. */
function shiftDate(days: number): string {
  return new Date(Date.parse(`${WORLD_DATE}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function sampleString(schema: JsonSchema, text: string, variant: number): string {
  if (typeof schema.pattern === "string") {
    const fitting = generatePatternString(schema.pattern, createRandom(seedFrom("sample", schema.pattern, variant)));
    if (fitting !== undefined) return fitting;
  }
  if (schema.format === "date") return shiftDate(variant);
  if (schema.format === "date-time") return `${shiftDate(variant)}T09:00:00Z`;
  if (schema.format === "email") return `customer${variant || ""}@example.com`;
  if (schema.format === "uri" || schema.format === "url") return "https://example.com/";
  const min = typeof schema.minLength === "number" ? schema.minLength : 0;
  const max = typeof schema.maxLength === "number" ? schema.maxLength : Number.POSITIVE_INFINITY;
  return text.padEnd(min, ".").slice(0, max);
}

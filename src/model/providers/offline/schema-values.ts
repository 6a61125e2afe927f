import type { JsonObject, JsonSchema, JsonValue } from "../../../domain/common.js";
import type { Random } from "../../../support/random.js";
import { validateJsonSchema } from "../../../support/json-schema.js";
import { generatePatternString } from "../../../support/pattern-strings.js";
import { humanize } from "./text.js";
import { CITIES, NOTE_PHRASES, PERSON_NAMES, PRODUCT_NAMES, SLUG_WORDS, STREETS, TITLE_WORDS } from "./vocabulary.js";
import { asObject, asSchema, listSchemaProperties, listSchemaRequired, readSchemaEnum, readSchemaType, resolveSchemaBranches } from "../../../world/schema-reading.js";

export { asObject, asSchema, listSchemaProperties, listSchemaRequired, readSchemaEnum, readSchemaType };

/*
 * JSON-Schema-driven values: generate a readable value for a schema (using the property name as a hint),
 * and repair a value so it fits a schema while keeping whatever already fits.
 */

/** The engine's "today": fixed so seeded runs never depend on the clock. */
export const REFERENCE_DATE = Date.UTC(2026, 2, 2);

export function formatDate(offsetDays: number): string {
  return new Date(REFERENCE_DATE + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

export function formatDateTime(offsetDays: number, hour: number, minute = 0): string {
  return `${formatDate(offsetDays)}T${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}:00Z`;
}

/** A readable value for `schema`; `name` (the property name) steers strings and numbers. */
export function generateSchemaValue(input: JsonSchema, random: Random, name = "", depth = 0): JsonValue {
  const schema = resolveSchemaBranches(input);
  if ("const" in schema) return schema.const as JsonValue;
  const choices = readSchemaEnum(schema);
  if (choices && choices.length > 0) return random.pick(choices);
  if ("default" in schema && schema.default !== undefined && random.chance(0.5)) return schema.default as JsonValue;
  const examples = Array.isArray(schema.examples) ? (schema.examples as JsonValue[]) : [];
  if (examples.length > 0 && random.chance(0.7)) {
    const example = random.pick(examples);
    if (validateJsonSchema(schema, example).valid) return example;
  }
  switch (readSchemaType(schema)) {
    case "object":
      return generateObjectValue(schema, random, depth);
    case "array":
      return generateArrayValue(schema, random, name, depth);
    case "integer":
      return generateNumberValue(schema, random, name, true);
    case "number":
      return generateNumberValue(schema, random, name, false);
    case "boolean":
      return random.chance(0.5);
    case "null":
      return null;
    default:
      return generateStringValue(schema, random, name);
  }
}

function generateObjectValue(schema: JsonSchema, random: Random, depth: number): JsonObject {
  const required = new Set(listSchemaRequired(schema));
  const out: JsonObject = {};
  for (const [name, property] of listSchemaProperties(schema)) {
    if (required.has(name) || (depth < 2 && random.chance(0.6))) out[name] = generateSchemaValue(property, random, name, depth + 1);
  }
  return out;
}

function generateArrayValue(schema: JsonSchema, random: Random, name: string, depth: number): JsonValue[] {
  const items = asSchema(schema.items) ?? { type: "string" };
  const min = typeof schema.minItems === "number" ? schema.minItems : 1;
  const max = typeof schema.maxItems === "number" ? schema.maxItems : Math.max(min, 3);
  const count = depth > 2 ? min : random.int(min, Math.max(min, Math.min(max, min + 2)));
  const singular = name.replace(/s$/, "");
  const values: JsonValue[] = [];
  for (let i = 0; i < count; i++) values.push(generateSchemaValue(items, random, singular, depth + 1));
  return schema.uniqueItems === true ? [...new Map(values.map((value) => [JSON.stringify(value), value])).values()] : values;
}

function generateNumberValue(schema: JsonSchema, random: Random, name: string, integer: boolean): number {
  const lower = readNumberBound(schema, "minimum", "exclusiveMinimum", integer, 1);
  const upper = readNumberBound(schema, "maximum", "exclusiveMaximum", integer, -1);
  const [hintMin, hintMax] = guessNumberRange(name);
  const min = lower ?? (upper !== undefined ? Math.min(hintMin, upper) : hintMin);
  const max = upper ?? Math.max(min, lower !== undefined ? Math.max(hintMax, lower + 10) : hintMax);
  if (integer) return random.int(Math.ceil(min), Math.max(Math.ceil(min), Math.floor(max)));
  const value = min + random.next() * (max - min);
  const multiple = typeof schema.multipleOf === "number" ? schema.multipleOf : 0.01;
  const rounded = Math.round(value / multiple) * multiple;
  return Number(Math.min(max, Math.max(min, rounded)).toFixed(countDecimals(multiple)));
}

function countDecimals(step: number): number {
  const text = String(step);
  return text.includes(".") ? (text.split(".")[1]?.length ?? 0) : 0;
}

function readNumberBound(schema: JsonSchema, inclusive: string, exclusive: string, integer: boolean, direction: 1 | -1): number | undefined {
  if (typeof schema[inclusive] === "number") return schema[inclusive] as number;
  if (typeof schema[exclusive] === "number") return (schema[exclusive] as number) + direction * (integer ? 1 : 0.01);
  return undefined;
}

function guessNumberRange(name: string): [number, number] {
  if (/(amount|price|cost|total|balance|fare|fee|paid|due|estimate|value|salary)/.test(name)) return [15, 480];
  if (/(count|quantity|size|number_of|nights|days|points|refills|renewals|credits)/.test(name)) return [1, 12];
  if (/(minutes|duration)/.test(name)) return [15, 120];
  if (/(hours)/.test(name)) return [1, 48];
  if (/(percent|rate)/.test(name)) return [1, 30];
  if (/(limit|page_size)/.test(name)) return [5, 20];
  if (/(year)/.test(name)) return [2020, 2026];
  if (/(kg|weight|gb)/.test(name)) return [1, 40];
  return [1, 100];
}

function generateStringValue(schema: JsonSchema, random: Random, name: string): string {
  const format = typeof schema.format === "string" ? schema.format : undefined;
  const pattern = typeof schema.pattern === "string" ? schema.pattern : undefined;
  let value: string;
  if (pattern) value = generatePatternString(pattern, random) ?? generateHintedString(name, random);
  else if (format) value = generateFormattedString(format, random, name);
  else value = generateHintedString(name, random);
  return fitLength(value, schema, random);
}

function generateFormattedString(format: string, random: Random, name: string): string {
  switch (format) {
    case "email":
      return makeEmail(random.pick(PERSON_NAMES));
    case "date":
      return formatDate(pickDateOffset(name, random));
    case "date-time":
      return formatDateTime(pickDateOffset(name, random), random.int(8, 18), random.pick([0, 15, 30, 45]));
    case "time":
      return `${String(random.int(8, 18)).padStart(2, "0")}:${random.pick(["00", "15", "30", "45"])}:00`;
    case "uri":
    case "url":
      return `https://example.com/${random.pick(SLUG_WORDS)}/${random.int(100, 999)}`;
    case "uuid":
      return [8, 4, 4, 4, 12].map((length) => Array.from({ length }, () => random.int(0, 15).toString(16)).join("")).join("-");
    case "ipv4":
      return `10.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`;
    default:
      return generateHintedString(name, random);
  }
}

/** Past-looking names (created, placed, opened…) get past dates, the rest future ones. */
function pickDateOffset(name: string, random: Random): number {
  if (/(created|placed|opened|issued|submitted|borrowed|launched|joined|counted|requested|enrolled|incident|last|started|_on$|_at$)/.test(name) && !/(due|next|expire|renewal|return|visit|delivery)/.test(name)) {
    return -random.int(2, 60);
  }
  return random.int(3, 60);
}

export function makeEmail(personName: string): string {
  const local = personName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z ]/g, "")
    .trim()
    .replace(/\s+/g, ".");
  return `${local}@example.com`;
}

function generateHintedString(name: string, random: Random): string {
  const words = name.toLowerCase();
  if (/email/.test(words)) return makeEmail(random.pick(PERSON_NAMES));
  if (/(product|item|service|system|event|book|course|company|file|plan|project)_?(name|title)$/.test(words)) return random.pick(PRODUCT_NAMES);
  if (/(^|_)(full_)?name$|customer_name|patient_name|guest_name|driver_name|doctor_name|owner|assignee|holder|passenger|author|person/.test(words)) return random.pick(PERSON_NAMES);
  if (/city|destination|origin|location/.test(words)) return random.pick(CITIES);
  if (/address|street/.test(words)) return `${random.int(2, 240)} ${random.pick(STREETS)}, ${random.pick(CITIES)}`;
  if (/phone|mobile/.test(words)) return `+1555${random.int(1000000, 9999999)}`;
  if (/country/.test(words)) return random.pick(["PT", "US", "GB", "JP", "DE", "CA"]);
  if (/currency/.test(words)) return random.pick(["USD", "EUR", "GBP"]);
  if (/(^|_)time$|time_slot|slot/.test(words)) return `${String(random.int(8, 20)).padStart(2, "0")}:${random.pick(["00", "30"])}`;
  if (/(^|_)date$|_on$/.test(words)) return formatDate(pickDateOffset(words, random));
  if (/title|subject|headline/.test(words)) return random.pick(TITLE_WORDS);
  if (/reason|note|comment|description|message|summary|justification|details|request/.test(words)) return random.pick(NOTE_PHRASES);
  if (/status|state/.test(words)) return random.pick(["ok", "active", "pending"]);
  if (/url|link|website|href/.test(words)) return `https://example.com/${random.pick(SLUG_WORDS)}`;
  if (/query|search|keyword|term/.test(words)) return random.pick(SLUG_WORDS);
  if (/(^|_)id$|code|number|reference|key|token/.test(words)) return `${random.pick(SLUG_WORDS)}-${random.int(100, 9999)}`;
  if (/path|file/.test(words)) return `/data/${random.pick(SLUG_WORDS)}/${random.pick(SLUG_WORDS)}.txt`;
  if (/type|kind|category|tier|level|plan|class/.test(words)) return random.pick(["standard", "basic", "premium"]);
  if (words.length > 0) return `${humanize(name)} ${random.pick(SLUG_WORDS)}`;
  return `${random.pick(SLUG_WORDS)}-${random.int(10, 99)}`;
}

function fitLength(value: string, schema: JsonSchema, random: Random): string {
  const min = typeof schema.minLength === "number" ? schema.minLength : 0;
  const max = typeof schema.maxLength === "number" ? schema.maxLength : Number.POSITIVE_INFINITY;
  let out = value.length > max ? value.slice(0, max) : value;
  while (out.length < min) out += random.pick(SLUG_WORDS).slice(0, min - out.length);
  return out;
}

/**
 * Make `value` fit `schema`: keep what already fits, coerce simple type mismatches (numeric strings,
 * "true"/"false"), fill missing required properties, drop properties an `additionalProperties: false`
 * schema forbids, and generate whatever cannot be saved.
 */
export function conformToSchema(value: JsonValue | undefined, input: JsonSchema, random: Random, name = ""): JsonValue {
  const schema = resolveSchemaBranches(input);
  if (value !== undefined && validateJsonSchema(schema, value).valid) return value;
  const type = readSchemaType(schema);
  if (type === "object") {
    const source = asObject(value) ?? {};
    const known = new Map(listSchemaProperties(schema));
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(source)) {
      const property = known.get(key);
      if (property) out[key] = conformToSchema(item, property, random, key);
      else if (schema.additionalProperties !== false) out[key] = item;
    }
    for (const key of listSchemaRequired(schema)) {
      if (!(key in out)) out[key] = generateSchemaValue(known.get(key) ?? {}, random, key);
    }
    return out;
  }
  if (type === "array") {
    const items = asSchema(schema.items) ?? {};
    const list = Array.isArray(value) ? value.map((item) => conformToSchema(item, items, random, name)) : [];
    const min = typeof schema.minItems === "number" ? schema.minItems : 0;
    while (list.length < min) list.push(generateSchemaValue(items, random, name));
    return typeof schema.maxItems === "number" ? list.slice(0, schema.maxItems) : list;
  }
  const coerced = coerceScalar(value, type);
  if (coerced !== undefined && validateJsonSchema(schema, coerced).valid) return coerced;
  return generateSchemaValue(schema, random, name);
}

function coerceScalar(value: JsonValue | undefined, type: string | undefined): JsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  if ((type === "number" || type === "integer") && typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
    return type === "integer" ? Math.round(Number(value)) : Number(value);
  }
  if (type === "integer" && typeof value === "number") return Math.round(value);
  if (type === "string" && (typeof value === "number" || typeof value === "boolean")) return String(value);
  if (type === "boolean" && typeof value === "string") return /^(true|yes|1)$/i.test(value) ? true : /^(false|no|0)$/i.test(value) ? false : undefined;
  return undefined;
}

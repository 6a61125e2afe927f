import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { isObject } from "./is-object.js";

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });

const compiledByObject = new WeakMap<object, ValidateFunction>();
/** Compiled validators by schema text: the same schema in another object (another tool, a re-read record) is compiled once. */
const compiledByText = new Map<string, ValidateFunction>();
/** What checkJsonSchema found, by schema text: a catalog repeats many schemas. */
const checkedByText = new Map<string, string | undefined>();
/** Most schema texts kept; the oldest goes first. */
const MAX_CACHED_SCHEMAS = 20_000;

export interface SchemaCheck {
  valid: boolean;
  errors: string[];
}

/** Compile a JSON Schema (once per distinct schema); throws with the reason when the schema itself is broken. */
export function compileJsonSchema(schema: Record<string, unknown>): ValidateFunction {
  const hit = compiledByObject.get(schema);
  if (hit) return hit;
  const { $schema: _ignored, ...rest } = schema;
  const text = JSON.stringify(rest);
  let validate = compiledByText.get(text);
  if (!validate) {
    validate = ajv.compile(rest);
    remember(compiledByText, text, validate);
  }
  compiledByObject.set(schema, validate);
  return validate;
}

/** Adds to a bounded cache, dropping its oldest entry when full. */
function remember<V>(cache: Map<string, V>, text: string, value: V): void {
  if (cache.size >= MAX_CACHED_SCHEMAS) cache.delete(cache.keys().next().value as string);
  cache.set(text, value);
}

/**
 * Whether a JSON Schema is one `compileJsonSchema` accepts, without compiling it when that can be told
 * otherwise (checking against the meta-schema costs a hundredth of compiling): returns the reason it is
 * broken, or undefined. What the meta-schema cannot judge (references, ids, regular expressions, an empty
 * enum, `nullable` without a type, `discriminator`, `$async`) is left to the compiler: a schema using any of
 * those is compiled.
 */
export function checkJsonSchema(schema: Record<string, unknown>): string | undefined {
  const { $schema: _ignored, ...rest } = schema;
  const text = JSON.stringify(rest);
  if (checkedByText.has(text)) return checkedByText.get(text);
  let problem: string | undefined;
  if (!ajv.validateSchema(rest)) problem = `schema is invalid: ${ajv.errorsText(ajv.errors)}`;
  else if (MAY_NEED_COMPILER.test(text) && needsCompiler(rest)) {
    try {
      compileJsonSchema(schema);
    } catch (error) {
      problem = (error as Error).message;
    }
  }
  remember(checkedByText, text, problem);
  return problem;
}

/** Check a value against a JSON Schema; a broken schema is reported as an error, not thrown. */
export function validateJsonSchema(schema: Record<string, unknown>, value: unknown): SchemaCheck {
  let validate: ValidateFunction;
  try {
    validate = compileJsonSchema(schema);
  } catch (error) {
    return { valid: false, errors: [`the schema itself is invalid: ${(error as Error).message}`] };
  }
  const valid = validate(value);
  return { valid: Boolean(valid), errors: valid ? [] : formatAjvErrors(validate.errors ?? []) };
}

function formatAjvErrors(errors: ErrorObject[]): string[] {
  return errors.map((e) => `${e.instancePath || "(root)"}: ${e.message ?? "invalid"}${e.params && "allowedValues" in e.params ? ` (${(e.params.allowedValues as unknown[]).join(", ")})` : ""}`);
}

function isRegularExpression(pattern: string): boolean {
  try {
    new RegExp(pattern, "u");
    return true;
  } catch {
    return false;
  }
}

/** In a schema's text, what needsCompiler looks for (or a word naming it): a schema without any is not walked. */
const MAY_NEED_COMPILER = /"(?:\$ref|\$id|id|\$anchor|discriminator|\$async|enum|nullable|pattern|patternProperties)"/;

/** Keywords whose value is a schema, a list of schemas, or a map of them (draft-07 and later). */
const SCHEMA_KEYWORDS = new Set(["additionalItems", "additionalProperties", "contains", "not", "if", "then", "else", "propertyNames", "items", "prefixItems", "unevaluatedItems", "unevaluatedProperties", "contentSchema"]);
const SCHEMA_LIST_KEYWORDS = new Set(["allOf", "anyOf", "oneOf", "items", "prefixItems"]);
const SCHEMA_MAP_KEYWORDS = new Set(["properties", "patternProperties", "definitions", "$defs", "dependencies", "dependentSchemas"]);

/**
 * Whether a schema (or one of its subschemas) uses what only the compiler can judge: a `$ref` that is not a
 * JSON pointer into the schema itself that resolves (or any `$ref` beside an id, which moves the base), an id
 * or anchor, `discriminator`, `$async`, an empty `enum`, `nullable` without `type`, a pattern that is not a
 * regular expression (the compiler says why).
 */
function needsCompiler(root: Record<string, unknown>): boolean {
  const visit = (schema: unknown): boolean => {
    if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return false;
    const keywords = schema as Record<string, unknown>;
    if ("$id" in keywords || "id" in keywords || "$anchor" in keywords || "discriminator" in keywords || "$async" in keywords) return true;
    if ("$ref" in keywords && !resolvesLocally(root, keywords.$ref)) return true;
    if (Array.isArray(keywords.enum) && keywords.enum.length === 0) return true;
    if (keywords.nullable === true && !("type" in keywords)) return true;
    if (typeof keywords.pattern === "string" && !isRegularExpression(keywords.pattern)) return true;
    if (isObject(keywords.patternProperties) && !Object.keys(keywords.patternProperties).every(isRegularExpression)) return true;
    for (const [keyword, value] of Object.entries(keywords)) {
      if (SCHEMA_KEYWORDS.has(keyword) && visit(value)) return true;
      if (SCHEMA_LIST_KEYWORDS.has(keyword) && Array.isArray(value) && value.some(visit)) return true;
      if (SCHEMA_MAP_KEYWORDS.has(keyword) && typeof value === "object" && value !== null && Object.values(value).some(visit)) return true;
    }
    return false;
  };
  return visit(root);
}

/** Whether `reference` is `#` or `#/a/b` (a JSON pointer, RFC 6901) naming a schema (object or boolean) in `root`. */
function resolvesLocally(root: unknown, reference: unknown): boolean {
  if (typeof reference !== "string" || (reference !== "#" && !reference.startsWith("#/"))) return false;
  let target: unknown = root;
  for (const token of reference === "#" ? [] : reference.slice(2).split("/")) {
    let key: string;
    try {
      key = decodeURIComponent(token).replaceAll("~1", "/").replaceAll("~0", "~");
    } catch {
      return false;
    }
    if (typeof target !== "object" || target === null || !Object.hasOwn(target, key)) return false;
    target = (target as Record<string, unknown>)[key];
  }
  return typeof target === "boolean" || (typeof target === "object" && target !== null && !Array.isArray(target));
}

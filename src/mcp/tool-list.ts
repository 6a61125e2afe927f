import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ListToolsRequestSchema, type Tool, type ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { JsonObject, JsonValue } from "../domain/common.js";
import { isObject } from "../support/is-object.js";

/** What tools/list says about one tool. */
export interface ListedTool {
  name: string;
  title: string;
  description: string;
  /** The schema the SDK checks arguments against (strict). */
  input: z.ZodObject;
  output: z.ZodObject;
  annotations: ToolAnnotations;
}

/**
 * An output schema names the fields of nested objects as deep as it can within this many characters (but
 * always its own fields): a page of summaries is shown whole, a stored record down to its top-level fields.
 */
const OUTPUT_BUDGET = 650;
const MAX_OUTPUT_DEPTH = 4;
/** An input field whose schema an earlier tool already lists in full, and longer than this, is referred to. */
const REPEAT_THRESHOLD = 200;

/**
 * Keywords that help a reader of a result. Bounds, patterns, defaults and which fields are required only
 * matter to whoever writes one, and every result is checked against its full schema before it is sent.
 */
const OUTPUT_KEYWORDS = new Set(["type", "properties", "items", "enum", "const", "description", "anyOf", "oneOf", "additionalProperties", "$ref", "definitions"]);

/**
 * Answer tools/list from the tools' zod schemas, compactly: every host pays for this list in context before
 * its user says a word. Inputs keep every constraint a caller must meet, minus noise (JSON Schema dialect,
 * the safe-integer bounds zod adds to every integer, the regex beside `format: date-time`, `additionalProperties: false` and `minLength: 1` below the top level — arguments are checked in full all the same). Outputs say the
 * shape of a result to a reader: field names, types, enums and descriptions as deep as OUTPUT_BUDGET allows;
 * the full record shapes are in `schemas/`. The SDK still validates arguments and results against the full
 * zod schemas.
 */
export function serveToolList(server: McpServer, tools: readonly ListedTool[]): void {
  let listed: Tool[] | undefined;
  server.server.setRequestHandler(ListToolsRequestSchema, () => {
    listed ??= describeTools(tools);
    return { tools: listed };
  });
}

function describeTools(tools: readonly ListedTool[]): Tool[] {
  const listedFields = new Map<string, string>();
  const listedOutputs = new Map<string, string>();
  return tools.map((tool) => {
    const input = referRepeatedFields(compactInput(z.toJSONSchema(tool.input, { target: "draft-07", io: "input" }) as JsonObject), tool.name, listedFields);
    const output = compactOutput(z.toJSONSchema(tool.output, { target: "draft-07", io: "output" }) as JsonObject);
    const outputKey = JSON.stringify(output);
    const sameOutput = listedOutputs.get(outputKey);
    if (sameOutput === undefined) listedOutputs.set(outputKey, tool.name);
    return {
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: input as Tool["inputSchema"],
      outputSchema: (sameOutput === undefined ? output : { type: "object", description: `as ${sameOutput} returns` }) as Tool["outputSchema"],
      annotations: withoutDefaultHints(tool.annotations),
    };
  });
}

/** The hints the MCP spec defaults to (not read-only, destructive, not idempotent, open world) go unsaid. */
const DEFAULT_HINTS: Partial<Record<keyof ToolAnnotations, boolean>> = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true };

function withoutDefaultHints(annotations: ToolAnnotations): ToolAnnotations {
  return Object.fromEntries(Object.entries(annotations).filter(([key, value]) => DEFAULT_HINTS[key as keyof ToolAnnotations] !== value)) as ToolAnnotations;
}

/**
 * A large input field listed in full by an earlier tool (update_task's rubric is create_task's) is named by
 * reference: its type, its description and where the full schema is. Arguments are still checked in full.
 */
function referRepeatedFields(schema: JsonObject, toolName: string, listedFields: Map<string, string>): JsonObject {
  const properties = schema.properties;
  if (!isObject(properties)) return schema;
  const referred = Object.fromEntries(
    Object.entries(properties).map(([name, field]): [string, JsonValue] => {
      const text = JSON.stringify(field);
      if (text.length <= REPEAT_THRESHOLD || !isObject(field)) return [name, field];
      const { description, default: _default, ...shape } = field;
      const key = JSON.stringify(shape);
      const first = listedFields.get(key);
      if (first === undefined) {
        listedFields.set(key, `${toolName}.${name}`);
        return [name, field];
      }
      const reference = `same schema as ${first}`;
      return [name, { ...(shape.type !== undefined ? { type: shape.type } : {}), description: typeof description === "string" ? `${description} (${reference})` : reference }];
    }),
  );
  return { ...schema, properties: referred };
}

/** The input schema without what tells a caller nothing. */
function compactInput(schema: JsonObject): JsonObject {
  const { $schema: _dialect, ...rest } = schema;
  return dropNoise(rest, true) as JsonObject;
}

function dropNoise(node: JsonValue, top = false): JsonValue {
  if (Array.isArray(node)) return node.map((item) => dropNoise(item));
  if (!isObject(node)) return node;
  // `allOf` of a single schema is that schema.
  if (Array.isArray(node.allOf) && node.allOf.length === 1 && Object.keys(node).length === 1) return dropNoise(node.allOf[0] as JsonValue, top);
  const kept: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === "maximum" && value === Number.MAX_SAFE_INTEGER) || (key === "minimum" && value === Number.MIN_SAFE_INTEGER)) continue;
    if (key === "pattern" && node.format === "date-time") continue;
    // Below the top level, every argument object is strict all the same (an unknown field is refused, named), and a
    // string field must not be empty unless it says otherwise: the list need not repeat either on each of them.
    if (!top && ((key === "additionalProperties" && value === false) || (key === "minLength" && value === 1))) continue;
    // Every key of a JSON object is a string.
    if (key === "propertyNames" && JSON.stringify(value) === '{"type":"string"}') continue;
    kept[key] = dropNoise(value);
  }
  return kept;
}

/**
 * The output schema as a reader needs it: names, types, enums and descriptions, as many object levels deep
 * as fit in OUTPUT_BUDGET characters (one level at least).
 */
function compactOutput(schema: JsonObject): JsonObject {
  let depth = MAX_OUTPUT_DEPTH;
  let shape = shapeWithin(schema, depth);
  while (depth > 1 && JSON.stringify(shape).length > OUTPUT_BUDGET) shape = shapeWithin(schema, --depth);
  return shape;
}

function shapeWithin(schema: JsonObject, depth: number): JsonObject {
  const { definitions, ...shape } = shapeOf(schema, depth, 0) as JsonObject;
  // Definitions (the recursive JSON value) stay only while a kept field still refers to them.
  return definitions !== undefined && JSON.stringify(shape).includes('"$ref"') ? { ...shape, definitions } : shape;
}

/**
 * One node of an output schema, `depth` object levels still to show; `level` 0 is the result itself, whose
 * own fields (level 1) keep their descriptions.
 */
function shapeOf(node: JsonValue, depth: number, level: number): JsonValue {
  if (!isObject(node)) return node;
  const isObjectSchema = node.type === "object" || node.properties !== undefined;
  const kept: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (!OUTPUT_KEYWORDS.has(key)) continue;
    if ((key === "additionalProperties" && value === false) || (key === "description" && level > 1)) continue;
    if (isObjectSchema && depth <= 0 && (key === "properties" || key === "additionalProperties")) continue;
    if (key === "properties" && isObject(value)) {
      kept.properties = Object.fromEntries(Object.entries(value).map(([name, field]) => [name, shapeOf(field, depth - 1, level + 1)]));
    } else if (key === "definitions" && isObject(value)) {
      kept.definitions = Object.fromEntries(Object.entries(value).map(([name, field]) => [name, shapeOf(field, Number.POSITIVE_INFINITY, level + 1)]));
    } else if (Array.isArray(value) && (key === "anyOf" || key === "oneOf")) {
      // Options that look alike once compacted (four kinds of message, each "an object") are said once.
      const options = value.map((option) => shapeOf(option, depth, level));
      const distinct = [...new Map(options.map((option) => [JSON.stringify(option), option])).values()];
      if (distinct.length === 1 && isObject(distinct[0])) Object.assign(kept, distinct[0]);
      else kept[key] = distinct;
    } else if (Array.isArray(value)) {
      kept[key] = value;
    } else {
      kept[key] = shapeOf(value, isObjectSchema ? depth - 1 : depth, level + 1);
    }
  }
  return kept;
}

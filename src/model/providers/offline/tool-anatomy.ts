import type { JsonSchema } from "../../../domain/common.js";
import type { FunctionTool, ToolSpec } from "../../../domain/tool.js";
import { asSchema, readSchemaEnum, listSchemaProperties, listSchemaRequired, readSchemaType } from "./schema-values.js";
import { singularize, splitWords, stemWord } from "./text.js";

/*
 * What a tool does, read from its spec alone (name, description, schemas, annotations): the operation,
 * the entity it is about, which parameter identifies that entity, and the id shape. The agent, the tool
 * world, the task writer and the judge all read tools through this one lens.
 */

export type ToolOperation = "read" | "search" | "create" | "update" | "delete" | "action";

export interface ToolParam {
  name: string;
  schema: JsonSchema;
  required: boolean;
  description: string;
  /** Stems of the parameter's name words. */
  stems: string[];
}

export interface ToolAnatomy {
  spec: ToolSpec;
  name: string;
  operation: ToolOperation;
  /** The first word of the name: "get", "refund", "switch". */
  verb: string;
  /** Words of the name that are not the entity: ["switch", "tariff"]. */
  actionWords: string[];
  /** Singular snake_case guess of the entity: "order", "energy_account". */
  entityName: string;
  idPrefix?: string | undefined;
  idParam?: ToolParam | undefined;
  params: ToolParam[];
  readOnly: boolean;
  destructive: boolean;
  /** The schema of one record of the entity, when the output schema reveals it. */
  recordSchema?: JsonSchema | undefined;
}

const READ_VERBS = new Set(["get", "fetch", "read", "show", "view", "lookup", "look", "retrieve", "describe", "check", "inspect", "track", "see", "info", "status", "preview", "download"]);
const SEARCH_VERBS = new Set(["search", "list", "find", "query", "browse", "filter", "count", "lookup_all"]);
const CREATE_VERBS = new Set(["create", "add", "new", "open", "book", "register", "submit", "file", "place", "make", "insert", "issue", "schedule", "enroll", "log", "raise", "generate", "post", "request", "reserve", "write", "upload"]);
const UPDATE_VERBS = new Set(["update", "set", "change", "edit", "modify", "patch", "mark", "rename", "save", "move"]);
const DELETE_VERBS = new Set(["delete", "remove", "cancel", "terminate", "revoke", "drop", "withdraw", "void", "discard", "purge", "destroy", "close", "unsubscribe", "archive"]);
const QUALIFIER_WORDS = new Set(["status", "details", "detail", "info", "information", "record", "records", "history", "by", "all", "one", "for", "data", "v2"]);

/** Verbs recognised when a name puts them last ("browser_close", "page_navigate", "user_get"). */
const TRAILING_VERBS = new Set(["close", "press", "wait", "resize", "click", "navigate", "hover", "drag", "select", "scroll", "screenshot", "get", "list", "search", "create", "update", "delete", "remove", "fetch", "run", "execute", "send", "start", "stop", "restart"]);

/** Names like `browser_close` put the verb last: move it to the front when the first word is no known verb. */
function orderVerbFirst(words: string[]): string[] {
  const last = words[words.length - 1];
  if (words.length < 2 || last === undefined || classifyVerb(words[0] as string) !== "action" || !TRAILING_VERBS.has(last)) return words;
  return [last, ...words.slice(0, -1)];
}

export const ID_TEXT_PATTERN = /\b[A-Z]{2,5}-\d{3,8}\b/g;

function toToolSpec(tool: FunctionTool | ToolSpec): ToolSpec {
  if ("function" in tool) return { name: tool.function.name, description: tool.function.description, inputSchema: tool.function.parameters };
  return tool;
}

/** Classify a bare verb (used when only a tool name is known, e.g. in a transcript). */
function classifyVerb(verb: string): ToolOperation {
  if (SEARCH_VERBS.has(verb)) return "search";
  if (READ_VERBS.has(verb)) return "read";
  if (CREATE_VERBS.has(verb)) return "create";
  if (UPDATE_VERBS.has(verb)) return "update";
  if (DELETE_VERBS.has(verb)) return "delete";
  return "action";
}

export function isWriteOperation(operation: ToolOperation): boolean {
  return operation !== "read" && operation !== "search";
}

/** The operation of a tool known only by name. */
export function classifyToolName(name: string): ToolOperation {
  return classifyVerb(splitWords(name)[0] ?? "");
}

export function analyzeTool(input: FunctionTool | ToolSpec): ToolAnatomy {
  const spec = toToolSpec(input);
  const words = orderVerbFirst(splitWords(spec.name).filter((word) => !/^\d+$/.test(word)));
  const verb = words[0] ?? "";
  const required = new Set(listSchemaRequired(spec.inputSchema));
  const params: ToolParam[] = listSchemaProperties(spec.inputSchema).map(([name, schema]) => ({
    name,
    schema,
    required: required.has(name),
    description: typeof schema.description === "string" ? schema.description : "",
    stems: splitWords(name).map(stemWord),
  }));
  const readOnly = spec.annotations?.readOnlyHint === true;
  const destructive = spec.annotations?.destructiveHint === true;
  const nameEntity = inferEntityFromName(words);
  const provisional = classifyOperation(verb, spec, readOnly, destructive);
  const idParam = provisional === "create" ? undefined : findOwnIdParam(params, nameEntity);
  const operation = provisional === "search" && idParam?.required && !SEARCH_VERBS.has(verb) ? "read" : provisional;
  const entityName = idParam ? inferEntityFromIdParam(idParam.name, nameEntity) : nameEntity;
  const entityWords = new Set(entityName.split("_"));
  const recordSchema = findRecordSchema(spec.outputSchema);
  return {
    spec,
    name: spec.name,
    operation,
    verb,
    actionWords: words.filter((word) => !entityWords.has(word) && !entityWords.has(singularize(word))),
    entityName,
    idPrefix: extractIdPrefix(idParam?.schema.pattern) ?? extractIdPrefix(recordSchema ? asSchema(asSchema(recordSchema.properties)?.id)?.pattern : undefined),
    idParam,
    params,
    readOnly: readOnly || operation === "read" || operation === "search",
    destructive: destructive || operation === "delete",
    recordSchema,
  };
}

/** Verbs that create in one API ("open a ticket") and read in another ("open the nodes named …"): the description tells. */
const AMBIGUOUS_CREATE_VERBS = new Set(["open"]);

function classifyOperation(verb: string, spec: ToolSpec, readOnly: boolean, destructive: boolean): ToolOperation {
  const byVerb = AMBIGUOUS_CREATE_VERBS.has(verb) && !/\b(new|create|creates|start|starts|register)\b/i.test(spec.description) ? "read" : classifyVerb(verb);
  if (readOnly) return byVerb === "read" ? "read" : byVerb === "search" ? "search" : hasRequiredId(spec) ? "read" : "search";
  if ((byVerb === "read" || byVerb === "search") && spec.annotations?.readOnlyHint !== false) return byVerb;
  if (byVerb === "read" || byVerb === "search") return destructive ? "delete" : "action";
  if (byVerb === "action" && destructive) return "delete";
  // A name without a known verb ("directory_tree") whose description says it reads ("Get a recursive tree view …").
  if (byVerb === "action" && spec.annotations?.readOnlyHint !== false && READ_DESCRIPTION.test(spec.description)) return hasRequiredId(spec) ? "read" : "search";
  return byVerb;
}

const READ_DESCRIPTION = /^\s*(get|gets|retrieve|retrieves|read|reads|list|lists|search|searches|show|shows|fetch|fetches|find|finds|look up|looks up|view)\b/i;

function hasRequiredId(spec: ToolSpec): boolean {
  const required = new Set(listSchemaRequired(spec.inputSchema));
  return listSchemaProperties(spec.inputSchema).some(([name]) => required.has(name) && isIdLikeName(name));
}

function isIdLikeName(name: string): boolean {
  return /(^id$|_id$|Id$|_ids?$)/.test(name);
}

/** An id parameter: named like an id, or a string whose pattern looks like `^ABC-\d+$`. */
export function isIdParam(param: ToolParam): boolean {
  return isIdLikeName(param.name) || extractIdPrefix(param.schema.pattern) !== undefined;
}

function findOwnIdParam(params: readonly ToolParam[], nameEntity: string): ToolParam | undefined {
  const ids = params.filter((param) => isIdParam(param) && readSchemaType(param.schema) !== "array");
  const entityStems = nameEntity.split("_").map(stemWord);
  const own = ids.find((param) => param.name === "id" || entityStems.some((stem) => param.stems.includes(stem)));
  return own ?? ids.find((param) => param.required);
}

function inferEntityFromIdParam(name: string, fallback: string): string {
  const base = splitWords(name.replace(/_?ids?$/i, "").replace(/Id$/, ""));
  return base.length ? base.join("_") : fallback;
}

function inferEntityFromName(words: readonly string[]): string {
  const rest = words.slice(1);
  while (rest.length > 1 && QUALIFIER_WORDS.has(rest[rest.length - 1] as string)) rest.pop();
  while (rest.length > 1 && QUALIFIER_WORDS.has(rest[0] as string)) rest.shift();
  if (rest.length === 0) return words[0] ?? "item";
  return [...rest.slice(0, -1), singularize(rest[rest.length - 1] as string)].join("_");
}

export function extractIdPrefix(pattern: unknown): string | undefined {
  if (typeof pattern !== "string") return undefined;
  return /^\^?([A-Z]{2,5})-/.exec(pattern)?.[1];
}

/** The schema of one entity record inside an output schema: itself, `results: [record]` or `{order: record}`. */
function findRecordSchema(outputSchema: JsonSchema | undefined): JsonSchema | undefined {
  if (!outputSchema) return undefined;
  const properties = new Map(listSchemaProperties(outputSchema));
  if (properties.has("id")) return outputSchema;
  for (const property of properties.values()) {
    const items = readSchemaType(property) === "array" ? asSchema(property.items) : undefined;
    if (items && listSchemaProperties(items).some(([name]) => name === "id")) return items;
  }
  for (const property of properties.values()) {
    if (readSchemaType(property) === "object" && listSchemaProperties(property).some(([name]) => name === "id")) return property;
  }
  return undefined;
}

/** Whether two tools are about the same entity. */
export function sameEntity(a: ToolAnatomy, b: ToolAnatomy): boolean {
  if (a.idPrefix && b.idPrefix) return a.idPrefix === b.idPrefix;
  return a.entityName === b.entityName;
}

/** The enum parameter that sets a status (`update_order_status(status)`), if any. */
export function findStatusParam(anatomy: ToolAnatomy): ToolParam | undefined {
  return anatomy.params.find((param) => readSchemaEnum(param.schema) && /(status|state|stage)$/.test(param.name));
}

/** The parameter of a tool that takes an email address. */
export function findEmailParam(anatomy: ToolAnatomy): ToolParam | undefined {
  return anatomy.params.find((param) => param.schema.format === "email" || /email/.test(param.name));
}

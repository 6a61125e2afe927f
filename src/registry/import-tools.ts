import { basename, extname } from "node:path";
import { SCHEMA_VERSION, type JsonSchema } from "../domain/common.js";
import type { DomainSpec } from "../domain/domain.js";
import { ToolAnnotationsSchema, type ToolAnnotations, type ToolRecord } from "../domain/tool.js";
import { InputError } from "../errors/input-error.js";
import type { Clock } from "../support/clock.js";
import { hashValue } from "../support/hash.js";
import type { IdGenerator } from "../support/ids.js";
import { checkJsonSchema } from "../support/json-schema.js";
import { domainForServer } from "./server-domain.js";
import { assignUniqueNames } from "./tool-names.js";
import { isObject } from "../support/is-object.js";

/** Where an imported spec came from: OpenAI `tools` (`{type:"function", function}`), legacy OpenAI `functions`, or MCP `tools/list`. */
export type ImportFormat = "openai-tools" | "openai-functions" | "mcp-tools";

export interface ImportedSpec {
  originalName: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema | undefined;
  annotations?: ToolAnnotations | undefined;
  format: ImportFormat;
  serverName?: string | undefined;
  /** The catalog category of the spec's server (server catalogs only). */
  category?: string | undefined;
}

export interface SkippedTool {
  name: string;
  reason: string;
}

export interface ParsedImport {
  specs: ImportedSpec[];
  skipped: SkippedTool[];
}

const SHAPES_HELP =
  'expected OpenAI function specs ([{"type":"function","function":{name,description,parameters}}] or [{name,description,parameters}]), an MCP tools/list result ({"tools":[{name,description,inputSchema}]}), or a list of servers ([{"server":…,"tools":[…]}])';

/**
 * Read tool specs in any of the supported shapes. Specs that cannot be used (no name, a schema that does not
 * compile, an input schema that is not an object) are skipped with the reason; a document of an unknown
 * shape is an InputError.
 */
export function parseToolSpecs(document: unknown): ParsedImport {
  const entries = listEntries(document);
  const parsed: ParsedImport = { specs: [], skipped: [] };
  const seen = new Set<string>();
  for (const [position, entry] of entries.entries()) {
    const result = parseEntry(entry);
    const name = result.ok ? result.spec.originalName : result.name || `(entry ${position + 1})`;
    if (!result.ok) {
      parsed.skipped.push({ name, reason: result.reason });
      continue;
    }
    // Two specs of one name are both kept (the second gets a suffixed name) unless they are the same tool.
    const key = importKey(name, entry.serverName, result.spec);
    if (seen.has(key)) {
      parsed.skipped.push({ name, reason: "the same tool (name, description and input schema) appears earlier in this import" });
      continue;
    }
    seen.add(key);
    parsed.specs.push(result.spec);
  }
  return parsed;
}

/** The category of the domains made for imported tools that come without a catalog category. */
export const IMPORTED_TOOLS_CATEGORY = "Imported tools";

/**
 * The domain a file's tools go into when no domain is named and they come without a catalog category: the
 * file's name (`weather-tools.json` → `weather_tools`), or `imported_tools` for specs given inline.
 */
export function defaultImportDomainName(file: string | undefined): string {
  return file === undefined ? "imported_tools" : basename(file, extname(file));
}

/**
 * A domain for imported tools, named by the user or after their file, so agents and tasks can be built from
 * them like from synthetic ones; its entities are read from the tool names.
 */
export function domainForImport(name: string, specs: readonly ImportedSpec[], file: string | undefined): DomainSpec {
  const origin = file === undefined ? "the imported tool specs" : `the tool specs imported from ${basename(file)}`;
  return domainForServer({ name, category: IMPORTED_TOOLS_CATEGORY, origin, tools: specs.map((spec) => ({ name: spec.originalName, description: spec.description })) });
}

export interface BuildImportedToolsOptions {
  existing: readonly ToolRecord[];
  ids: IdGenerator;
  clock: Clock;
  file?: string | undefined;
  /** The domain of a spec of a catalog category, when that category has one. */
  domainFor?: ((category: string) => string | undefined) | undefined;
  /** The domain of every other spec. */
  domainId?: string | undefined;
}

/**
 * Turn parsed specs into tool records: names made portable and unique against the registry (the original is
 * kept in `origin.originalName`); a spec already imported with the same name, server and input schema is
 * skipped, so importing a file twice adds nothing.
 */
export function buildImportedTools(specs: readonly ImportedSpec[], options: BuildImportedToolsOptions): { tools: ToolRecord[]; skipped: SkippedTool[] } {
  const known = new Map(options.existing.filter((tool) => tool.source === "imported").map((tool) => [importKey(tool.origin.originalName, tool.origin.serverName, tool), tool]));
  const skipped: SkippedTool[] = [];
  const fresh = specs.filter((spec) => {
    const earlier = known.get(importKey(spec.originalName, spec.serverName, spec));
    if (earlier) skipped.push({ name: spec.originalName, reason: `already imported as ${earlier.name} (${earlier.id})` });
    return earlier === undefined;
  });
  const names = assignUniqueNames(fresh.map((spec) => spec.originalName), options.existing.map((tool) => tool.name));
  const importedAt = options.clock.now().toISOString();
  const tools = fresh.map((spec, index): ToolRecord => ({
    id: options.ids.next("tool"),
    kind: "tool",
    createdAt: importedAt,
    schemaVersion: SCHEMA_VERSION,
    provenance: { source: `import:${spec.format}`, models: {}, promptHashes: [] },
    name: names[index] as string,
    description: spec.description,
    inputSchema: spec.inputSchema,
    ...(spec.outputSchema ? { outputSchema: spec.outputSchema } : {}),
    ...(spec.annotations ? { annotations: spec.annotations } : {}),
    source: "imported",
    ...domainOf(spec, options),
    origin: {
      originalName: spec.originalName,
      format: spec.format,
      importedAt,
      ...(options.file ? { file: options.file } : {}),
      ...(spec.serverName ? { serverName: spec.serverName } : {}),
      ...(spec.category ? { category: spec.category } : {}),
    },
    stale: false,
  }));
  return { tools, skipped };
}

function domainOf(spec: ImportedSpec, options: BuildImportedToolsOptions): { domainId?: string } {
  const domainId = (spec.category ? options.domainFor?.(spec.category) : undefined) ?? options.domainId;
  return domainId ? { domainId } : {};
}

/** The hash of each spec's description and input schema, so parsing and building an import hash a spec once. */
const contentHashes = new WeakMap<object, string>();

/** What makes two specs the same tool: server, name, description and input schema. */
function importKey(name: string, serverName: string | undefined, spec: { description: string; inputSchema: JsonSchema }): string {
  let hash = contentHashes.get(spec);
  if (hash === undefined) {
    hash = hashValue({ description: spec.description, inputSchema: spec.inputSchema });
    contentHashes.set(spec, hash);
  }
  return `${serverName ?? ""}\u0000${name}\u0000${hash}`;
}

interface Entry {
  value: unknown;
  /** Entries of an MCP tools/list result (or a server list) are MCP tools; a bare list may mix shapes. */
  shape: "mcp" | "any";
  serverName?: string | undefined;
  category?: string | undefined;
}

function listEntries(document: unknown): Entry[] {
  if (Array.isArray(document)) return document.flatMap((item): Entry[] => (isServerEntry(item) ? serverEntries(item) : [{ value: item, shape: "any" }]));
  if (isObject(document) && Array.isArray(document.tools)) return document.tools.map((value): Entry => ({ value, shape: "mcp" }));
  throw new InputError(`the tool specs are not in a supported shape: ${SHAPES_HELP}`);
}

function isServerEntry(item: unknown): item is { server: string; category?: unknown; tools: unknown[] } {
  return isObject(item) && typeof item.server === "string" && Array.isArray(item.tools);
}

function serverEntries(item: { server: string; category?: unknown; tools: unknown[] }): Entry[] {
  const category = typeof item.category === "string" && item.category.trim() !== "" ? item.category.trim() : undefined;
  return item.tools.map((value): Entry => ({ value, shape: "mcp", serverName: item.server, ...(category ? { category } : {}) }));
}

type EntryResult = { ok: true; spec: ImportedSpec } | { ok: false; name: string; reason: string };

function parseEntry(entry: Entry): EntryResult {
  const { value } = entry;
  if (!isObject(value)) return { ok: false, name: "", reason: "not an object" };
  if (value.type === "function" && isObject(value.function)) return parseFunction(value.function, "openai-tools");
  if (entry.shape === "mcp" || "inputSchema" in value) return parseMcpTool(value, entry.serverName, entry.category);
  return parseFunction(value, "openai-functions");
}

function parseFunction(fn: Record<string, unknown>, format: ImportFormat): EntryResult {
  const name = typeof fn.name === "string" ? fn.name.trim() : "";
  if (name === "") return { ok: false, name: "", reason: "it has no name" };
  const parameters = fn.parameters ?? { type: "object", properties: {} };
  const inputProblem = checkInputSchema(parameters, "parameters");
  if (inputProblem) return { ok: false, name, reason: inputProblem };
  return { ok: true, spec: { originalName: name, description: describe(fn.description), inputSchema: parameters as JsonSchema, format } };
}

function parseMcpTool(tool: Record<string, unknown>, serverName: string | undefined, category: string | undefined): EntryResult {
  const name = typeof tool.name === "string" ? tool.name.trim() : "";
  if (name === "") return { ok: false, name: "", reason: "it has no name" };
  if (tool.inputSchema === undefined) return { ok: false, name, reason: "it has no inputSchema (an MCP tool needs one)" };
  const inputProblem = checkInputSchema(tool.inputSchema, "inputSchema");
  if (inputProblem) return { ok: false, name, reason: inputProblem };
  if (tool.outputSchema !== undefined) {
    const outputProblem = checkSchema(tool.outputSchema, "outputSchema");
    if (outputProblem) return { ok: false, name, reason: outputProblem };
  }
  const annotations = ToolAnnotationsSchema.safeParse(tool.annotations);
  return {
    ok: true,
    spec: {
      originalName: name,
      description: describe(tool.description),
      inputSchema: tool.inputSchema as JsonSchema,
      ...(tool.outputSchema !== undefined ? { outputSchema: tool.outputSchema as JsonSchema } : {}),
      ...(tool.annotations !== undefined && annotations.success ? { annotations: annotations.data } : {}),
      format: "mcp-tools",
      serverName,
      ...(category ? { category } : {}),
    },
  };
}

function checkInputSchema(schema: unknown, field: string): string | undefined {
  const problem = checkSchema(schema, field);
  if (problem) return problem;
  return (schema as JsonSchema).type === "object" ? undefined : `its ${field} is not a JSON Schema of type "object"`;
}

function checkSchema(schema: unknown, field: string): string | undefined {
  if (!isObject(schema)) return `its ${field} is not a JSON Schema object`;
  const problem = checkJsonSchema(schema);
  return problem === undefined ? undefined : `its ${field} does not compile as JSON Schema (${problem})`;
}

function describe(description: unknown): string {
  return typeof description === "string" ? description : "";
}

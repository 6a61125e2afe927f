import { resolve } from "node:path";
import { InputError } from "../errors/input-error.js";
import { NotFoundError } from "../errors/not-found-error.js";
import { SCHEMA_VERSION } from "../domain/common.js";
import type { DomainRecord } from "../domain/domain.js";
import { buildImportedTools, defaultImportDomainName, domainForImport, parseToolSpecs, type ImportedSpec, type SkippedTool } from "../registry/import-tools.js";
import { domainForServer } from "../registry/server-domain.js";
import { checkPathText, readJsonInput } from "./input-files.js";
import type { WorkspaceContext } from "./workspace-context.js";
import { summarizeDomain, summarizeTool } from "./summaries.js";
import type { DomainSummary, ToolSummary } from "../domain/summaries.js";

export interface ImportToolsInput {
  /** A JSON file of tool specs (relative paths resolve from the working directory). */
  file?: string | undefined;
  /** The specs themselves, instead of a file. */
  specs?: unknown;
  /**
   * The domain of the imported tools, by id or name; a name no domain has creates a domain of that name.
   * Default: each catalog category its own domain, and every other tool a domain named after the file
   * (`weather-tools.json` → `weather_tools`; `imported_tools` for inline specs).
   */
  domain?: string | undefined;
}

export interface NamedDomainSummary extends DomainSummary {
  /** True when this import made the domain. */
  created: boolean;
}

export interface ImportToolsResult {
  imported: ToolSummary[];
  skipped: SkippedTool[];
  /** Domains this import made: one per catalog category, and the named (or file's) domain when it was new. */
  domains: DomainSummary[];
  /** The domain named by `domain` (or after the file) that imported tools went into, if any did. */
  domain?: NamedDomainSummary | undefined;
}

/**
 * Import OpenAI function specs or MCP `tools/list` results into the registry, from a file or inline. Every
 * imported tool lands in a domain, so agents, tasks and `run --tool-source imported` can use it.
 */
export async function importTools(context: WorkspaceContext, input: ImportToolsInput): Promise<ImportToolsResult> {
  if ((input.file === undefined) === (input.specs === undefined)) throw new InputError("give either file (a path to a JSON file of tool specs) or specs (the specs themselves), not both and not neither");
  if (input.domain !== undefined && input.domain.trim() === "") throw new InputError("domain: give a domain id or name, or leave it out");
  if (input.file !== undefined) checkPathText(input.file, "file");
  const file = input.file === undefined ? undefined : resolve(input.file);
  const document = file === undefined ? input.specs : await readJsonInput(file, "the tool specs file", context.fileAccess);
  const parsed = parseToolSpecs(document);
  const categoryDomains = input.domain === undefined ? await domainsForCategories(context, parsed.specs) : new Map<string, DomainRecord>();
  const others = parsed.specs.filter((spec) => spec.category === undefined || !categoryDomains.has(spec.category));
  const named = others.length > 0 ? await namedDomain(context, input.domain ?? defaultImportDomainName(file), others, file) : undefined;
  const built = buildImportedTools(parsed.specs, {
    existing: await context.store.tools.all(),
    ids: context.ids,
    clock: context.clock,
    file,
    domainFor: (category) => categoryDomains.get(category)?.id,
    domainId: named?.record.id,
  });
  const usedDomains = new Set(built.tools.map((tool) => tool.domainId));
  const made = [...categoryDomains.values(), ...(named?.created ? [named.record] : [])].filter((domain) => usedDomains.has(domain.id));
  await context.store.domains.putMany(made);
  await context.store.tools.putMany(built.tools);
  const domain = named && usedDomains.has(named.record.id) ? { ...summarizeDomain(named.record), created: named.created } : undefined;
  return { imported: built.tools.map(summarizeTool), skipped: [...parsed.skipped, ...built.skipped], domains: made.map(summarizeDomain), ...(domain ? { domain } : {}) };
}

/**
 * The stored domain with this id or name (a name also matches in its snake_case form: `weather-tools` finds
 * `weather_tools`), or a new user domain of that name, its entities read from the tools going into it. A
 * domain id that is not in the store is an error rather than the name of a new domain.
 */
async function namedDomain(context: WorkspaceContext, reference: string, specs: readonly ImportedSpec[], file: string | undefined): Promise<{ record: DomainRecord; created: boolean }> {
  const spec = domainForImport(reference, specs, file);
  const [existing] = await context.store.domains.find((domain) => domain.id === reference || domain.name === reference || domain.name === spec.name);
  if (existing) return { record: existing, created: false };
  if (/^dom_[A-Za-z0-9]+$/.test(reference)) throw new NotFoundError("domain", reference);
  const record: DomainRecord = { id: context.ids.next("dom"), kind: "domain", createdAt: context.clock.now().toISOString(), schemaVersion: SCHEMA_VERSION, provenance: { source: IMPORT_NAMED_DOMAIN_SOURCE, models: {}, promptHashes: [] }, ...spec };
  return { record, created: true };
}

const IMPORT_NAMED_DOMAIN_SOURCE = "import:named-domain";

/**
 * One domain per catalog category, so imported real tools feed agents and tasks like synthetic ones; a
 * category imported before keeps its domain.
 */
async function domainsForCategories(context: WorkspaceContext, specs: readonly ImportedSpec[]): Promise<Map<string, DomainRecord>> {
  const byCategory = new Map<string, ImportedSpec[]>();
  for (const spec of specs) if (spec.category) byCategory.set(spec.category, [...(byCategory.get(spec.category) ?? []), spec]);
  const existing = await context.store.domains.find((domain) => domain.provenance.source === IMPORT_DOMAIN_SOURCE);
  const domains = new Map<string, DomainRecord>();
  for (const [category, categorySpecs] of byCategory) {
    const spec = domainForServer({ name: category, category: "Imported MCP servers", title: category, origin: `the imported catalog category "${category}"`, tools: categorySpecs.map((entry) => ({ name: entry.originalName, description: entry.description })) });
    const earlier = existing.find((domain) => domain.name === spec.name);
    domains.set(category, earlier ?? { id: context.ids.next("dom"), kind: "domain", createdAt: context.clock.now().toISOString(), schemaVersion: SCHEMA_VERSION, provenance: { source: IMPORT_DOMAIN_SOURCE, models: {}, promptHashes: [] }, ...spec });
  }
  return domains;
}

const IMPORT_DOMAIN_SOURCE = "import:catalog-category";

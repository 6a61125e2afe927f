import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { InputError } from "../errors/input-error.js";
import { NotFoundError } from "../errors/not-found-error.js";
import { SCHEMA_VERSION } from "../domain/common.js";
import type { DomainRecord } from "../domain/domain.js";
import { buildImportedTools, parseToolSpecs, type ImportedSpec, type SkippedTool } from "../registry/import-tools.js";
import { domainForServer } from "../registry/server-domain.js";
import type { WorkspaceContext } from "./workspace-context.js";
import { summarizeDomain, summarizeTool } from "./summaries.js";
import type { DomainSummary, ToolSummary } from "../domain/summaries.js";

export interface ImportToolsInput {
  /** A JSON file of tool specs (relative paths resolve from the working directory). */
  file?: string | undefined;
  /** The specs themselves, instead of a file. */
  specs?: unknown;
  /** Put the imported tools in this domain (so agents can be generated from them). */
  domainId?: string | undefined;
}

export interface ImportToolsResult {
  imported: ToolSummary[];
  skipped: SkippedTool[];
  /** Domains made for the catalog categories of the imported tools. */
  domains: DomainSummary[];
}

/** Import OpenAI function specs or MCP `tools/list` results into the registry, from a file or inline. */
export async function importTools(context: WorkspaceContext, input: ImportToolsInput): Promise<ImportToolsResult> {
  if ((input.file === undefined) === (input.specs === undefined)) throw new InputError("give either file (a path to a JSON file of tool specs) or specs (the specs themselves), not both and not neither");
  if (input.domainId !== undefined && !(await context.store.domains.get(input.domainId))) throw new NotFoundError("domain", input.domainId);
  const file = input.file === undefined ? undefined : resolve(input.file);
  const document = file === undefined ? input.specs : await readJsonFile(file);
  const parsed = parseToolSpecs(document);
  const categoryDomains = input.domainId === undefined ? await domainsForCategories(context, parsed.specs) : new Map<string, DomainRecord>();
  const built = buildImportedTools(parsed.specs, {
    existing: await context.store.tools.all(),
    ids: context.ids,
    clock: context.clock,
    file,
    domainId: input.domainId,
    domainFor: (category) => categoryDomains.get(category)?.id,
  });
  const usedDomains = new Set(built.tools.map((tool) => tool.domainId));
  await context.store.domains.putMany([...categoryDomains.values()].filter((domain) => usedDomains.has(domain.id)));
  await context.store.tools.putMany(built.tools);
  return { imported: built.tools.map(summarizeTool), skipped: [...parsed.skipped, ...built.skipped], domains: [...categoryDomains.values()].filter((domain) => usedDomains.has(domain.id)).map(summarizeDomain) };
}

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

async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new InputError(`cannot read the tool specs file ${file} (${(error as NodeJS.ErrnoException).code ?? "unreadable"}); give the path of an existing JSON file`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InputError(`the tool specs file ${file} is not valid JSON`);
  }
}

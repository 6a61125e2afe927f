import type { ToolRecord, ToolSource } from "../domain/tool.js";
import { NotFoundError } from "../errors/not-found-error.js";
import type { Store } from "../store/types.js";
import { paginateList, type Page, type PageRequest } from "./paginate.js";
import { summarizeTool } from "./summaries.js";
import type { ToolSummary } from "../domain/summaries.js";

export interface ToolFilter {
  source?: ToolSource | undefined;
  /** A domain id or name. */
  domain?: string | undefined;
  /** A tool server id or name (real and imported tools). */
  server?: string | undefined;
  /** Case-insensitive text in the name or description. */
  text?: string | undefined;
}

/**
 * Tools of the registry in registration order, filtered, one page at a time: the registry is read in place
 * and only the page is summarized, so a page costs about the same with 100 tools or 6,000.
 */
export async function listTools(store: Store, filter: ToolFilter, page: PageRequest): Promise<Page<ToolSummary>> {
  const result = paginateList(await store.tools.view(), await matchTool(store, filter), (tool) => tool.id, page);
  return { ...result, items: result.items.map(summarizeTool) };
}

/** Every tool record that matches, with its provenance, in registration order. */
export async function findTools(store: Store, filter: ToolFilter): Promise<ToolRecord[]> {
  return store.tools.find(await matchTool(store, filter));
}

async function matchTool(store: Store, filter: ToolFilter): Promise<(tool: ToolRecord) => boolean> {
  const domainIds = filter.domain === undefined ? undefined : await matchDomainIds(store, filter.domain);
  const text = filter.text?.toLowerCase();
  return (tool) =>
    (filter.source === undefined || tool.source === filter.source) &&
    (domainIds === undefined || (tool.domainId !== undefined && domainIds.has(tool.domainId))) &&
    (filter.server === undefined || [tool.origin.serverId, tool.origin.serverName, tool.origin.configName].includes(filter.server)) &&
    (text === undefined || tool.name.toLowerCase().includes(text) || tool.description.toLowerCase().includes(text));
}

/** A tool by id or by (portable) name. */
export async function getTool(store: Store, idOrName: string): Promise<ToolRecord> {
  const byId = await store.tools.get(idOrName);
  if (byId) return byId;
  const [byName] = await store.tools.find((tool) => tool.name === idOrName);
  if (!byName) throw new NotFoundError("tool", idOrName);
  return byName;
}

async function matchDomainIds(store: Store, domain: string): Promise<Set<string>> {
  const matches = await store.domains.find((record) => record.id === domain || record.name === domain);
  return new Set(matches.map((record) => record.id));
}

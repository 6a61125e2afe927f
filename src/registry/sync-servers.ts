import { SCHEMA_VERSION } from "../domain/common.js";
import type { DomainRecord } from "../domain/domain.js";
import type { ConfigIssue, SyncReport, SyncServerResult } from "../domain/summaries.js";
import type { ToolServerRecord } from "../domain/tool.js";
import { CancelledError } from "../errors/cancelled-error.js";
import type { Store } from "../store/types.js";
import type { Clock } from "../support/clock.js";
import { mapConcurrent } from "../support/concurrency.js";
import type { IdGenerator } from "../support/ids.js";
import type { McpConfig, McpServerEntry } from "./mcp-config.js";
import type { McpServerPool, ServerListing } from "./mcp-server-pool.js";
import { domainForServer } from "./server-domain.js";
import { planToolSync } from "./sync-tools.js";
import { redactText } from "../support/redact.js";

export interface SyncServersOptions {
  store: Store;
  pool: McpServerPool;
  config: McpConfig;
  ids: IdGenerator;
  clock: Clock;
  /** Only these servers (default: every server of the config). */
  names?: string[];
  signal?: AbortSignal;
  onProgress?: (event: { done: number; total: number; message: string }) => void;
}

const provenance = (): ToolServerRecord["provenance"] => ({ source: "sync:mcp", models: {}, promptHashes: [] });
const LISTING_CONCURRENCY = 4;

type Outcome = { ok: true; listing: ServerListing } | { ok: false; error: string };

/**
 * Bring the tools of the configured MCP servers into the registry: a server record (keyed by its config name),
 * a domain per server and a tool record per tool. Servers are listed concurrently and recorded in config
 * order, so tool names come out the same on every run. A server that fails is reported and the others still
 * sync; secrets never reach the store (only argument templates and variable names).
 */
export async function syncServers(options: SyncServersOptions): Promise<SyncReport> {
  const { config, pool, signal } = options;
  const wanted = options.names ? new Set(options.names) : undefined;
  const entries = config.servers.filter((entry) => !wanted || wanted.has(entry.name));
  const report: SyncReport = {
    servers: [],
    configErrors: config.errors.filter((issue) => !wanted || wanted.has(issue.name)),
    warnings: [...config.warnings],
  };
  let done = 0;
  const outcomes = await mapConcurrent(
    entries,
    LISTING_CONCURRENCY,
    async (entry): Promise<Outcome> => {
      const outcome = await listServer(pool, entry.name, signal);
      const message = outcome.ok ? `${entry.name}: ${outcome.listing.tools.length} tools` : `${entry.name}: failed`;
      options.onProgress?.({ done: ++done, total: entries.length, message });
      return outcome;
    },
    signal,
  );
  for (const [index, entry] of entries.entries()) {
    const outcome = outcomes[index] as Outcome;
    report.servers.push(outcome.ok ? await recordListing(options, entry, outcome.listing, report.warnings) : await recordFailure(options, entry, outcome.error));
  }
  for (const name of wanted ?? []) {
    if (!entries.some((entry) => entry.name === name) && !report.configErrors.some((issue) => issue.name === name)) {
      report.servers.push({ ...emptyCounts(name), status: "error", error: `no server named "${name}" in the MCP config` });
    }
  }
  await recordConfigErrors(options, report.configErrors);
  return report;
}

/** Mark a server removed and its tools stale; episodes that used them stay valid. */
export async function removeServer(store: Store, name: string): Promise<{ name: string; serverId?: string; staleTools: number }> {
  const record = await findServer(store, name);
  if (!record) return { name, staleTools: 0 };
  const tools = await store.tools.find((tool) => tool.source === "real" && tool.origin.serverId === record.id && !tool.stale);
  await store.tools.putMany(tools.map((tool) => ({ ...tool, stale: true })));
  await store.servers.put({ ...record, status: "removed" });
  return { name, serverId: record.id, staleTools: tools.length };
}

async function listServer(pool: McpServerPool, name: string, signal: AbortSignal | undefined): Promise<Outcome> {
  try {
    return { ok: true, listing: await pool.listTools(name, signal) };
  } catch (error) {
    if (error instanceof CancelledError || signal?.aborted) throw error;
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

async function recordListing(options: SyncServersOptions, entry: McpServerEntry, listing: ServerListing, warnings: string[]): Promise<SyncServerResult> {
  const { store } = options;
  const now = options.clock.now().toISOString();
  const existing = await findServer(store, entry.name);
  const serverId = existing?.id ?? options.ids.next("srv");
  const domain = await ensureDomain(options, entry, listing, now);
  const plan = planToolSync({ listing, serverId, domainId: domain.id, stored: await store.tools.all(), ids: options.ids, now });
  warnings.push(...plan.warnings);
  await store.tools.putMany(plan.writes);
  const { lastError: _previous, ...kept } = serverRecord(options, entry, existing, serverId, now);
  await store.servers.put({
    ...kept,
    ...(listing.serverName !== undefined ? { serverName: listing.serverName } : {}),
    ...(listing.serverVersion !== undefined ? { serverVersion: listing.serverVersion } : {}),
    ...(listing.protocolVersion !== undefined ? { protocolVersion: listing.protocolVersion } : {}),
    status: "connected",
    toolCount: plan.toolCount,
    lastSyncedAt: now,
  });
  const { added, updated, unchanged, stale, toolCount, skipped } = plan;
  return { name: entry.name, status: "synced", serverId, domainId: domain.id, added, updated, unchanged, stale, toolCount, ...(skipped.length > 0 ? { skipped } : {}) };
}

async function recordFailure(options: SyncServersOptions, entry: McpServerEntry, error: string): Promise<SyncServerResult> {
  const now = options.clock.now().toISOString();
  const existing = await findServer(options.store, entry.name);
  const serverId = existing?.id ?? options.ids.next("srv");
  await options.store.servers.put({ ...serverRecord(options, entry, existing, serverId, now), status: "error", lastError: error });
  return { ...emptyCounts(entry.name), toolCount: existing?.toolCount ?? 0, status: "error", serverId, error };
}

/** A stored server whose config entry no longer loads gets the reason as its last error. */
async function recordConfigErrors(options: SyncServersOptions, issues: readonly ConfigIssue[]): Promise<void> {
  for (const issue of issues) {
    const existing = await findServer(options.store, issue.name);
    if (existing && existing.status !== "removed") await options.store.servers.put({ ...existing, status: "error", lastError: issue.message });
  }
}

/** The server record as the config describes it: argument and url templates, variable names, never values. */
function serverRecord(options: SyncServersOptions, entry: McpServerEntry, existing: ToolServerRecord | undefined, id: string, now: string): ToolServerRecord {
  const { serverName, serverVersion, protocolVersion, lastSyncedAt, lastError } = existing ?? {};
  return {
    id,
    kind: "tool-server",
    createdAt: existing?.createdAt ?? now,
    schemaVersion: SCHEMA_VERSION,
    provenance: provenance(),
    name: entry.name,
    transport: entry.transport,
    ...(entry.commandTemplate !== undefined ? { command: entry.commandTemplate } : {}),
    args: entry.argsTemplate,
    ...(entry.urlTemplate !== undefined ? { url: entry.urlTemplate } : {}),
    ...(entry.cwd !== undefined ? { cwd: redactText(entry.cwd, entry.secrets) } : {}),
    envKeys: entry.envKeys,
    headerKeys: entry.headerKeys,
    ...(options.config.file !== undefined ? { configFile: options.config.file } : {}),
    ...(serverName !== undefined ? { serverName } : {}),
    ...(serverVersion !== undefined ? { serverVersion } : {}),
    ...(protocolVersion !== undefined ? { protocolVersion } : {}),
    status: existing?.status ?? "unknown",
    toolCount: existing?.toolCount ?? 0,
    ...(lastError !== undefined ? { lastError } : {}),
    ...(lastSyncedAt !== undefined ? { lastSyncedAt } : {}),
  };
}

/** The server's domain: made on the first sync (its id derives from the config name), reused afterwards. */
async function ensureDomain(options: SyncServersOptions, entry: McpServerEntry, listing: ServerListing, now: string): Promise<DomainRecord> {
  const id = options.ids.derive("dom", "sync:mcp", entry.name);
  const existing = await options.store.domains.get(id);
  if (existing) return existing;
  const label = listing.serverName ? ` (${listing.serverName}${listing.serverVersion ? ` ${listing.serverVersion}` : ""})` : "";
  const spec = domainForServer({ name: entry.name, origin: `the MCP server "${entry.name}"${label}`, tools: listing.tools });
  const domain: DomainRecord = { id, kind: "domain", createdAt: now, schemaVersion: SCHEMA_VERSION, provenance: provenance(), ...spec };
  await options.store.domains.put(domain);
  return domain;
}

async function findServer(store: Store, name: string): Promise<ToolServerRecord | undefined> {
  return (await store.servers.find((record) => record.name === name))[0];
}

function emptyCounts(name: string): Omit<SyncServerResult, "status"> {
  return { name, added: 0, updated: 0, unchanged: 0, stale: 0, toolCount: 0 };
}

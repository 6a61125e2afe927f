import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { ToolExecutionConfig } from "../domain/config.js";
import type { ServerStatus, SyncReport } from "../domain/summaries.js";
import type { ToolServerRecord } from "../domain/tool.js";
import { InputError } from "../errors/input-error.js";
import { NotFoundError } from "../errors/not-found-error.js";
import { answerOfCallResult, redactAnswer, secretValuesOf } from "../registry/call-result.js";
import { checkClientEntry } from "../registry/client-entry.js";
import { copyMcpConfig, readMcpServerEntry, writeMcpServerEntry } from "../registry/edit-mcp-config.js";
import { loadMcpConfig, parseMcpConfig, type McpConfig } from "../registry/mcp-config.js";
import { McpServerPool } from "../registry/mcp-server-pool.js";
import { ensureSandbox, ensureSeedFile } from "../registry/sandbox.js";
import { removeServer, syncServers } from "../registry/sync-servers.js";
import type { LiveTools } from "../simulate/live-tools.js";
import type { Store } from "../store/types.js";
import type { Clock } from "../support/clock.js";
import type { IdGenerator } from "../support/ids.js";
import { freezeLaterTimesIn, VirtualPaths } from "../support/virtual-paths.js";
import { packageRoot } from "./package-paths.js";
import type { OperationOptions } from "./operation-options.js";

export interface McpServersOptions {
  /** The `mcpServers` file the user named (read and edited); default: see defaultMcpConfigPath. */
  file?: string | undefined;
  /** MCP clients may add or replace stdio servers, i.e. commands this process runs (`serve --allow-server-edits`). */
  allowStdioEdits?: boolean | undefined;
  store: Store;
  env: NodeJS.ProcessEnv;
  ids: IdGenerator;
  clock: Clock;
  execution: ToolExecutionConfig;
  onWarning?: ((message: string) => void) | undefined;
}

/** A server entry to add, in the `mcpServers` shape. */
export interface AddServerInput {
  name: string;
  command?: string | undefined;
  args?: string[] | undefined;
  env?: Record<string, string> | undefined;
  cwd?: string | undefined;
  url?: string | undefined;
  headers?: Record<string, string> | undefined;
  type?: "http" | "streamable-http" | "sse" | undefined;
}

/**
 * Where the MCP config is read from when none is named: the data directory's own `mcp.json` (made by the first
 * edit), else `./mcp.json`, else the one agentsynth ships. Edits always go to a file the user owns: the one
 * named, or the data directory's (see McpServers).
 */
export function defaultMcpConfigPath(dataDir?: string): string {
  const own = dataDir === undefined ? undefined : join(resolve(dataDir), MCP_CONFIG_NAME);
  if (own !== undefined && existsSync(own)) return own;
  const local = resolve(MCP_CONFIG_NAME);
  return existsSync(local) ? local : join(packageRoot(), MCP_CONFIG_NAME);
}

const MCP_CONFIG_NAME = "mcp.json";

/**
 * The third-party MCP servers of one data directory: the `mcpServers` file, a pool of live connections
 * (opened on first use), sync into the registry, and the live-call access the simulator uses. A
 * `tools/list_changed` notification re-syncs that server in the background. Servers are added and removed in
 * the file the user named, or else in the data directory's `mcp.json` (a copy of the file read until then,
 * made on the first edit): never in the installed package.
 */
export class McpServers {
  readonly #options: McpServersOptions;
  #file: string;
  /** Where edits go. */
  readonly #editable: string;
  #config: McpConfig;
  #pool: McpServerPool | undefined;
  readonly #resyncs = new Set<Promise<unknown>>();
  /** Syncs run one after another: a `tools/list_changed` that arrives during a sync waits for it. */
  #syncing: Promise<unknown> = Promise.resolve();

  private constructor(options: McpServersOptions, file: string, config: McpConfig) {
    this.#options = options;
    this.#file = file;
    this.#editable = options.file !== undefined ? file : join(options.store.dataDir, MCP_CONFIG_NAME);
    this.#config = config;
  }

  /** Read the config (a named file must exist; the default may be missing). Entry problems become warnings. */
  static async open(options: McpServersOptions): Promise<McpServers> {
    const file = resolve(options.file ?? defaultMcpConfigPath(options.store.dataDir));
    const config = await loadMcpConfig(file, { env: options.env, variables: variablesFor(options.store), missingOk: options.file === undefined });
    const servers = new McpServers(options, file, config);
    servers.#reportConfigProblems();
    return servers;
  }

  get file(): string {
    return this.#file;
  }

  get config(): McpConfig {
    return this.#config;
  }

  /** Connect to the servers (all, or the named ones) and bring their tools into the registry. */
  sync(input: { names?: string[] | undefined } = {}, options: OperationOptions = {}): Promise<SyncReport> {
    const known = new Set([...this.#config.servers, ...this.#config.errors].map((server) => server.name));
    const unknown = (input.names ?? []).filter((name) => !known.has(name));
    if (unknown.length > 0) return Promise.reject(new InputError(`no server named ${unknown.map((name) => `"${name}"`).join(", ")} in ${this.#file}; configured: ${[...known].join(", ") || "none"}`));
    const run = this.#syncing.then(() => this.#syncNow(input, options));
    this.#syncing = run.catch(() => undefined);
    return run;
  }

  async #syncNow(input: { names?: string[] | undefined }, options: OperationOptions): Promise<SyncReport> {
    return syncServers({
      store: this.#options.store,
      pool: await this.#openPool(),
      config: this.#config,
      ids: this.#options.ids,
      clock: this.#options.clock,
      ...(input.names ? { names: input.names } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  }

  /** Every server configured or stored, with its status and tool count. */
  async list(): Promise<ServerStatus[]> {
    const records = new Map((await this.#options.store.servers.all()).map((record) => [record.name, record]));
    const names = [...new Set([...this.#config.servers.map((server) => server.name), ...this.#config.errors.map((issue) => issue.name), ...records.keys()])];
    return names.map((name) => this.#statusOf(name, records.get(name)));
  }

  /**
   * Add (or replace) a server for an MCP client, then sync it. The entry is checked as a client's: no `${VAR}`
   * of the server's environment, no stdio server unless `allowStdioEdits`, no link-local or metadata URL.
   */
  async add(input: AddServerInput, options: OperationOptions = {}): Promise<SyncReport> {
    const { name, type, ...fields } = input;
    const entry = Object.fromEntries(Object.entries({ ...fields, ...(type ? { type } : {}) }).filter(([, value]) => value !== undefined));
    const variables = variablesFor(this.#options.store);
    await checkClientEntry(name, entry, await readMcpServerEntry(this.#file, name), { allowStdio: this.#options.allowStdioEdits ?? false, variables: Object.keys(variables) });
    const checked = parseMcpConfig({ mcpServers: { [name]: entry } }, { file: this.#editable, env: {}, variables });
    const problem = checked.errors[0];
    if (problem) throw new InputError(`server "${name}": ${problem.message}`);
    await this.#edit(name, entry);
    return this.sync({ names: [name] }, options);
  }

  /** Remove a server from the config file; its stored tools are marked stale (episodes that used them stay valid). */
  async remove(name: string): Promise<{ name: string; staleTools: number }> {
    const configured = this.#config.servers.some((server) => server.name === name);
    const stored = (await this.#options.store.servers.all()).some((record) => record.name === name);
    if (!configured && !stored) throw new NotFoundError("server", name);
    if (configured) await this.#edit(name, undefined);
    else await this.#reload();
    const staleTools = stored ? (await removeServer(this.#options.store, name)).staleTools : 0;
    return { name, staleTools };
  }

  /**
   * Live calls for the tool executor, over the pool (opened on the first call). Paths of the data directory are
   * virtual on this side (`/sandbox/…`, see VirtualPaths): mapped to the real ones in arguments, back in answers;
   * the answers' times later than VIRTUAL_NOW are shown as VIRTUAL_NOW.
   */
  liveTools(): LiveTools {
    const paths = VirtualPaths.forDataDir(this.#options.store.dataDir);
    return {
      has: (serverName) => this.#config.servers.some((server) => server.name === serverName),
      trusts: (serverName) => this.#config.servers.some((server) => server.name === serverName && server.trusted),
      call: async (call) => {
        const pool = await this.#openPool();
        const result = await pool.callTool(call.serverName, call.toolName, paths.jsonToReal(call.arguments), { timeoutMs: call.timeoutMs, ...(call.signal ? { signal: call.signal } : {}) });
        const entry = this.#config.servers.find((server) => server.name === call.serverName);
        // Models, episodes and exports see the data directory's paths as virtual ones (/sandbox/…), the server gets the
        // real ones; times later than the virtual machine's clock (file creation and access times) are shown as it.
        return freezeLaterTimesIn(paths.jsonToVirtual(redactAnswer(answerOfCallResult(result), entry ? secretValuesOf(entry) : [])));
      },
    };
  }

  /** Wait for background re-syncs and close every connection. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#resyncs]);
    await this.#pool?.close();
    this.#pool = undefined;
  }

  async #openPool(): Promise<McpServerPool> {
    if (this.#pool) return this.#pool;
    // The shipped mcp.json works on a sandbox folder and a memory file in the data dir: seed them when a server uses them.
    const { dataDir } = this.#options.store;
    if (this.#mentions(join(dataDir, "sandbox"))) await ensureSandbox(dataDir, join(packageRoot(), "fixtures", "sandbox"));
    if (this.#mentions(join(dataDir, "memory.jsonl"))) await ensureSeedFile(dataDir, "memory.jsonl", join(packageRoot(), "fixtures", "memory.jsonl"));
    const { callTimeoutMs, connectTimeoutMs, reconnect } = this.#options.execution;
    this.#pool = new McpServerPool(this.#config.servers, {
      clientInfo: { name: "agentsynth", version: "0.1.0" },
      callTimeoutMs,
      connectTimeoutMs,
      reconnect: { attempts: reconnect.attempts, initialDelayMs: reconnect.initialDelayMs, maxDelayMs: reconnect.maxDelayMs },
      onToolsChanged: (name) => this.#resyncInBackground(name),
    });
    return this.#pool;
  }

  /** Whether a configured server is given this path (in its arguments, environment or working directory). */
  #mentions(path: string): boolean {
    return this.#config.servers.some((server) => [...server.args, ...Object.values(server.env), server.cwd ?? ""].some((value) => value.includes(path)));
  }

  #resyncInBackground(name: string): void {
    const resync = this.sync({ names: [name] }).then(
      (report) => report.servers.filter((server) => server.error).forEach((server) => this.#options.onWarning?.(`re-sync of server "${server.name}" failed: ${server.error}`)),
      (error: unknown) => this.#options.onWarning?.(`re-sync of server "${name}" failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    this.#resyncs.add(resync);
    void resync.finally(() => this.#resyncs.delete(resync));
  }

  /** Write one entry (undefined: delete it) into the editable file, copying the file read until now on the first edit. */
  async #edit(name: string, entry: Record<string, unknown> | undefined): Promise<void> {
    if (this.#file !== this.#editable) {
      if (!existsSync(this.#editable) && existsSync(this.#file)) await copyMcpConfig(this.#file, this.#editable);
      this.#file = this.#editable;
    }
    await writeMcpServerEntry(this.#file, name, entry);
    await this.#reload();
  }

  async #reload(): Promise<void> {
    await this.#pool?.close();
    this.#pool = undefined;
    this.#config = await loadMcpConfig(this.#file, { env: this.#options.env, variables: variablesFor(this.#options.store), missingOk: true });
    this.#reportConfigProblems();
  }

  #reportConfigProblems(): void {
    for (const warning of this.#config.warnings) this.#options.onWarning?.(warning);
    for (const error of this.#config.errors) this.#options.onWarning?.(`MCP server "${error.name}" in ${this.#file} is not loaded: ${error.message}`);
  }

  #statusOf(name: string, record: ToolServerRecord | undefined): ServerStatus {
    const entry = this.#config.servers.find((server) => server.name === name);
    const broken = this.#config.errors.find((issue) => issue.name === name);
    const live = entry && this.#pool ? this.#pool.status(name) : undefined;
    const lastError = broken ? `not loaded: ${broken.message}` : (live?.lastError ?? record?.lastError);
    return {
      name,
      transport: entry?.transport ?? record?.transport ?? "stdio",
      configured: entry !== undefined || broken !== undefined,
      status: broken ? "error" : live && live.state !== "idle" ? live.state : (record?.status ?? "unknown"),
      toolCount: record?.toolCount ?? 0,
      ...(record?.serverName ? { serverName: record.serverName } : {}),
      ...(record?.serverVersion ? { serverVersion: record.serverVersion } : {}),
      ...(lastError ? { lastError } : {}),
      ...(record?.lastSyncedAt ? { lastSyncedAt: record.lastSyncedAt } : {}),
    };
  }
}

function variablesFor(store: Store): Record<string, string> {
  return { AGENTSYNTH_DATA_DIR: store.dataDir };
}

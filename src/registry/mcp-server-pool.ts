import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { CancelledError } from "../errors/cancelled-error.js";
import { InputError } from "../errors/input-error.js";
import { ToolServerError } from "../errors/tool-server-error.js";
import { sleep as defaultSleep } from "../support/concurrency.js";
import { followSignal } from "../support/forward-abort.js";
import type { McpServerEntry } from "./mcp-config-entry.js";
import { McpConnection, type ServerListing } from "./mcp-connection.js";

export type { ServerListing } from "./mcp-connection.js";

export interface ReconnectOptions {
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface McpServerPoolOptions {
  clientInfo?: { name: string; version: string };
  /** Time for starting a server and the MCP handshake (default 10000); a server that runs past it is not retried. */
  connectTimeoutMs?: number;
  /**
   * After a server could not be connected (every attempt failed), tool calls fail at once with that reason for
   * this long (default 5 minutes), so one dead or hanging server costs its timeout once, not on every call.
   * Listing its tools (a sync) always tries again.
   */
  unreachableForMs?: number;
  /** Time for one tools/list page or tool call unless the call says otherwise (default 30000). */
  callTimeoutMs?: number;
  /** Connection attempts per call, with the delay doubling from initialDelayMs up to maxDelayMs (default 3, 500, 10000). */
  reconnect?: ReconnectOptions;
  /** A connected server sent `notifications/tools/list_changed`. */
  onToolsChanged?: (serverName: string) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type ServerState = "idle" | "connected" | "error" | "closed";

interface Slot {
  entry: McpServerEntry;
  state: ServerState;
  lastError?: string;
  /** The failure of the last connection attempts, and until when calls fail with it without trying again. */
  unreachable?: { error: ToolServerError; until: number };
  connection?: McpConnection;
  connecting?: Promise<McpConnection>;
}

const DEFAULT_RECONNECT: ReconnectOptions = { attempts: 3, initialDelayMs: 500, maxDelayMs: 10_000 };
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_UNREACHABLE_FOR_MS = 5 * 60_000;

/**
 * Live connections to the configured MCP servers, opened on first use. A tool's own error (`isError`) is
 * returned; an infrastructure failure throws ToolServerError, closes the broken connection (a hung stdio
 * server is killed) and the next use reconnects with exponential backoff. Calls to one server may overlap.
 */
export class McpServerPool {
  readonly names: string[];
  readonly #slots = new Map<string, Slot>();
  readonly #options: McpServerPoolOptions;
  readonly #reconnect: ReconnectOptions;
  readonly #shutdown = new AbortController();
  #closing: Promise<void> | undefined;

  constructor(entries: readonly McpServerEntry[], options: McpServerPoolOptions = {}) {
    for (const entry of entries) {
      if (this.#slots.has(entry.name)) throw new InputError(`two MCP servers are named "${entry.name}"`);
      this.#slots.set(entry.name, { entry, state: "idle" });
    }
    this.names = [...this.#slots.keys()];
    this.#options = options;
    this.#reconnect = options.reconnect ?? DEFAULT_RECONNECT;
  }

  /** Connect if needed (even to a server that was unreachable a moment ago) and list every tool of the server (all pages). */
  async listTools(name: string, signal?: AbortSignal): Promise<ServerListing> {
    const slot = this.#slot(name);
    delete slot.unreachable;
    const connection = await this.#connection(slot, signal);
    return this.#use(slot, connection, () => connection.listTools(this.#callTimeoutMs(), signal));
  }

  /** Call a tool by its name on the server. */
  async callTool(name: string, toolName: string, args: Record<string, unknown>, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<CallToolResult> {
    const slot = this.#slot(name);
    const connection = await this.#connection(slot, options.signal);
    return this.#use(slot, connection, () => connection.callTool(toolName, args, options.timeoutMs ?? this.#callTimeoutMs(), options.signal));
  }

  status(name: string): { state: ServerState; lastError?: string } {
    const slot = this.#slot(name);
    return { state: slot.state, ...(slot.lastError !== undefined ? { lastError: slot.lastError } : {}) };
  }

  /** Close every connection and end every stdio server. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#closeAll();
    return this.#closing;
  }

  #slot(name: string): Slot {
    const slot = this.#slots.get(name);
    if (!slot) throw new InputError(`no MCP server named "${name}" is configured (configured: ${this.names.join(", ") || "none"})`);
    return slot;
  }

  #callTimeoutMs(): number {
    return this.#options.callTimeoutMs ?? 30_000;
  }

  async #connection(slot: Slot, signal: AbortSignal | undefined): Promise<McpConnection> {
    if (this.#closing) throw closedError(slot.entry.name);
    if (signal?.aborted) throw new CancelledError(`the use of server "${slot.entry.name}" was cancelled`);
    if (slot.connection && !slot.connection.ended) return slot.connection;
    if (slot.unreachable && Date.now() < slot.unreachable.until) throw slot.unreachable.error;
    this.#drop(slot);
    if (!slot.connecting) {
      const connecting = this.#connect(slot);
      slot.connecting = connecting;
      void connecting.then(
        () => this.#settled(slot, connecting),
        () => this.#settled(slot, connecting),
      );
    }
    return abortable(slot.connecting, signal, slot.entry.name);
  }

  #settled(slot: Slot, connecting: Promise<McpConnection>): void {
    if (slot.connecting === connecting) delete slot.connecting;
  }

  /** Connect with retries; when every attempt fails, remember it so calls in the next while fail at once. */
  async #connect(slot: Slot): Promise<McpConnection> {
    try {
      const connection = await this.#connectWithRetries(slot);
      delete slot.unreachable;
      return connection;
    } catch (error) {
      if (error instanceof ToolServerError && error.reason !== "closed") {
        const unreachableForMs = this.#options.unreachableForMs ?? DEFAULT_UNREACHABLE_FOR_MS;
        const note = ` (not tried again for ${Math.round(unreachableForMs / 1000)} s, until the next sync)`;
        slot.unreachable = { error: new ToolServerError(error.server, error.reason, `${error.message}${note}`), until: Date.now() + unreachableForMs };
      }
      throw error;
    }
  }

  async #connectWithRetries(slot: Slot): Promise<McpConnection> {
    const { attempts, initialDelayMs, maxDelayMs } = this.#reconnect;
    let delay = initialDelayMs;
    let last: ToolServerError | undefined;
    for (let attempt = 1; attempt <= Math.max(1, attempts); attempt++) {
      if (attempt > 1) {
        await this.#pause(delay, slot.entry.name);
        delay = Math.min(delay * 2, maxDelayMs);
      }
      try {
        return await this.#open(slot);
      } catch (error) {
        if (!(error instanceof ToolServerError) || error.reason === "closed") throw error;
        last = error;
        this.#fail(slot, error.message);
        // A server that hangs in the handshake would hang again: its timeout is paid once.
        if (error.reason === "timeout") throw error;
      }
    }
    const failure = last ?? closedError(slot.entry.name);
    throw attempts > 1 ? new ToolServerError(slot.entry.name, failure.reason, `${failure.message} (gave up after ${attempts} attempts)`) : failure;
  }

  async #open(slot: Slot): Promise<McpConnection> {
    const name = slot.entry.name;
    let connection: McpConnection | undefined;
    connection = await McpConnection.open(slot.entry, {
      clientInfo: this.#options.clientInfo ?? { name: "agentsynth", version: "0.1.0" },
      connectTimeoutMs: this.#options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      onToolsChanged: () => this.#options.onToolsChanged?.(name),
      onClosed: (why) => {
        if (connection === undefined || slot.connection !== connection) return;
        delete slot.connection;
        this.#fail(slot, why);
      },
    });
    if (this.#closing) {
      await connection.close();
      throw closedError(name);
    }
    slot.connection = connection;
    slot.state = "connected";
    delete slot.lastError;
    return connection;
  }

  async #pause(ms: number, name: string): Promise<void> {
    try {
      await (this.#options.sleep ?? defaultSleep)(ms, this.#shutdown.signal);
    } catch (error) {
      if (this.#closing) throw closedError(name);
      throw error;
    }
    if (this.#closing) throw closedError(name);
  }

  async #use<T>(slot: Slot, connection: McpConnection, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof ToolServerError)) throw error;
      if (this.#closing) throw closedError(slot.entry.name);
      this.#fail(slot, error.message);
      if (slot.connection === connection) delete slot.connection;
      await connection.close(error);
      throw error;
    }
  }

  #fail(slot: Slot, message: string): void {
    if (slot.state === "closed") return;
    slot.state = "error";
    slot.lastError = message;
  }

  /** Forget a connection that ended on its own (its process exited, its session closed). */
  #drop(slot: Slot): void {
    const ended = slot.connection;
    if (!ended) return;
    delete slot.connection;
    void ended.close();
  }

  async #closeAll(): Promise<void> {
    this.#shutdown.abort();
    await Promise.all(
      [...this.#slots.values()].map(async (slot) => {
        slot.state = "closed";
        const connection = slot.connection ?? (await slot.connecting?.catch(() => undefined));
        delete slot.connection;
        await connection?.close(closedError(slot.entry.name));
      }),
    );
  }
}

function closedError(name: string): ToolServerError {
  return new ToolServerError(name, "closed", `server "${name}" cannot be used: the MCP server pool is closed`);
}

/** Wait for a shared promise, but give up as soon as this caller's signal aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, name: string): Promise<T> {
  if (!signal) return promise;
  const followed = followSignal(signal);
  return new Promise<T>((resolve, reject) => {
    followed.signal.addEventListener("abort", () => reject(new CancelledError(`the use of server "${name}" was cancelled`)), { once: true });
    promise.then(resolve, reject).finally(followed.release);
  });
}

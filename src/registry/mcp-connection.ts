import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { CallToolResultSchema, McpError, ToolListChangedNotificationSchema, type CallToolResult, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { ToolServerError } from "../errors/tool-server-error.js";
import { followSignal } from "../support/forward-abort.js";
import type { McpServerEntry, McpTransport } from "./mcp-config-entry.js";
import { describeEnd, describeFailure, type ConnectionFacts, type FailureContext } from "./mcp-failure.js";
import { createServerTransport, type ServerTransport } from "./mcp-transport.js";
import { redactJson } from "../support/redact.js";

/** What a server reported about itself and every tool it lists (all pages). */
export interface ServerListing {
  /** The entry name in the config. */
  name: string;
  serverName?: string;
  serverVersion?: string;
  protocolVersion?: string;
  transport: McpTransport;
  instructions?: string;
  tools: Tool[];
}

export interface ConnectionOptions {
  clientInfo: { name: string; version: string };
  connectTimeoutMs: number;
  onToolsChanged?: () => void;
  /** Called once when the connection ends for any reason (exit, dropped session, close), with why. */
  onClosed?: (why: string) => void;
}

/** Far more pages than any real server has: a server that never stops paging is broken. */
const MAX_PAGES = 1000;

/**
 * One live connection to one MCP server. Failures are translated: a cancelled call is a CancelledError, an
 * infrastructure failure a ToolServerError, and a JSON-RPC error the server sent is passed on as an McpError.
 */
export class McpConnection {
  readonly #entry: McpServerEntry;
  readonly #client: Client;
  readonly #server: ServerTransport;
  #protocolVersion: string | undefined;
  #ended = false;
  #retiredBy: ToolServerError | undefined;
  #closing: Promise<void> | undefined;

  private constructor(entry: McpServerEntry, client: Client, server: ServerTransport) {
    this.#entry = entry;
    this.#client = client;
    this.#server = server;
  }

  /** Start (or reach) the server and complete the MCP handshake; throws ToolServerError (reason "connect"). */
  static async open(entry: McpServerEntry, options: ConnectionOptions): Promise<McpConnection> {
    const server = createServerTransport(entry);
    const client = new Client(options.clientInfo, { capabilities: {} });
    const connection = new McpConnection(entry, client, server);
    connection.#watch(options);
    try {
      await client.connect(server.transport, { timeout: options.connectTimeoutMs });
    } catch (error) {
      await connection.close();
      throw await connection.#failure(error, { phase: "connect", timeoutMs: options.connectTimeoutMs });
    }
    return connection;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Every tool the server lists, following `nextCursor`; a server without the tools capability lists none. */
  async listTools(timeoutMs: number, signal?: AbortSignal): Promise<ServerListing> {
    if (!this.#client.getServerCapabilities()?.tools) return this.#listing([]);
    const tools: Tool[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page === 0 || cursor !== undefined; page++) {
      if (page >= MAX_PAGES) throw this.#broken(`listed more than ${MAX_PAGES} pages of tools`);
      const result = await this.#run({ phase: "list", timeoutMs, signal }, (requestSignal) =>
        this.#client.listTools(cursor === undefined ? undefined : { cursor }, { timeout: timeoutMs, signal: requestSignal }),
      );
      tools.push(...result.tools);
      cursor = result.nextCursor;
      if (cursor !== undefined && seen.has(cursor)) throw this.#broken(`repeated the tools/list cursor "${cursor}"`);
      if (cursor !== undefined) seen.add(cursor);
    }
    return this.#listing(tools);
  }

  /** Call a tool by its name on the server. A JSON-RPC error the server answers with becomes an `isError` result. */
  async callTool(toolName: string, args: Record<string, unknown>, timeoutMs: number, signal?: AbortSignal): Promise<CallToolResult> {
    try {
      const result = await this.#run({ phase: "call", toolName, timeoutMs, signal }, (requestSignal) =>
        this.#client.callTool({ name: toolName, arguments: args }, CallToolResultSchema, { timeout: timeoutMs, signal: requestSignal }),
      );
      return result as CallToolResult;
    } catch (error) {
      if (error instanceof McpError) return { content: [{ type: "text", text: error.message }], isError: true };
      throw error;
    }
  }

  /**
   * Close the connection (a stdio server that does not exit is killed). Calls still running on it fail with
   * `because`, when given. Idempotent.
   */
  close(because?: ToolServerError): Promise<void> {
    this.#retiredBy ??= because;
    // The server transport first: it ends a stdio server that does not exit by itself (the client would wait 4 s).
    this.#closing ??= Promise.all([this.#server.close().catch(() => undefined), this.#client.close().catch(() => undefined)]).then(() => undefined);
    return this.#closing;
  }

  #watch(options: ConnectionOptions): void {
    this.#client.setNotificationHandler(ToolListChangedNotificationSchema, () => options.onToolsChanged?.());
    this.#client.onclose = () => {
      if (this.#ended) return;
      this.#ended = true;
      setImmediate(() => options.onClosed?.(describeEnd(this.#facts())));
    };
    // Transport errors also surface through the requests they break; nothing is logged (messages may carry secrets).
    this.#client.onerror = () => undefined;
    const transport = this.#server.transport;
    const setProtocolVersion = transport.setProtocolVersion?.bind(transport);
    transport.setProtocolVersion = (version: string) => {
      this.#protocolVersion = version;
      setProtocolVersion?.(version);
    };
  }

  /**
   * One SDK request. It gets a signal of its own that follows the caller's: the SDK adds an abort listener to
   * the signal of every request and never removes it, so the caller's (a whole run's) signal must not be it.
   */
  async #run<T>(context: FailureContext, request: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const followed = followSignal(context.signal);
    try {
      return await request(followed.signal);
    } catch (error) {
      throw await this.#failure(error, context);
    } finally {
      followed.release();
    }
  }

  async #failure(error: unknown, context: FailureContext): Promise<Error> {
    // Let the process's last stderr lines and its exit status arrive before they are described.
    await new Promise((resolve) => setImmediate(resolve));
    return describeFailure(error, context, this.#facts());
  }

  #facts(): ConnectionFacts {
    return { entry: this.#entry, ended: this.#ended, retiredBy: this.#retiredBy, exit: this.#server.exit(), stderrTail: this.#server.stderrTail() };
  }

  #broken(problem: string): ToolServerError {
    return new ToolServerError(this.#entry.name, "session", `server "${this.#entry.name}" ${problem}`);
  }

  /** What the server says of itself and its tools, with the entry's secrets redacted (a server may echo one in a description). */
  #listing(listed: Tool[]): ServerListing {
    const secrets = this.#entry.secrets;
    const info = redactJson(this.#client.getServerVersion(), secrets);
    const instructions = redactJson(this.#client.getInstructions(), secrets);
    const tools = redactJson(listed, secrets);
    return {
      name: this.#entry.name,
      ...(info ? { serverName: info.name, serverVersion: info.version } : {}),
      ...(this.#protocolVersion !== undefined ? { protocolVersion: this.#protocolVersion } : {}),
      transport: this.#entry.transport,
      ...(instructions !== undefined ? { instructions } : {}),
      tools,
    };
  }
}


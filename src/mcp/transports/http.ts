import { randomUUID, timingSafeEqual } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { InputError } from "../../errors/input-error.js";
import type { Workspace } from "../../pipeline/workspace.js";
import { createServer, type CreatedServer } from "../create-server.js";
import { DEFAULT_MAX_MESSAGE_BYTES } from "./guarded-stdio.js";
import { acceptTokenInQuery, hasReportCookie, isReportPath, REPORT_PATH, serveReport } from "./report-route.js";

export const MCP_PATH = "/mcp";
const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];
export const DEFAULT_MAX_SESSIONS = 64;
export const DEFAULT_IDLE_TIMEOUT_MS = 15 * 60_000;

export interface HttpServeOptions {
  host: string;
  port: number;
  /** Bearer token every request must carry; required for a non-loopback host. */
  token?: string | undefined;
  log: (line: string) => void;
  /** Request bodies larger than this get 413 (default 4 MiB). */
  maxMessageBytes?: number | undefined;
  /** Sessions open at once; an initialize beyond them gets 503 (default 64). */
  maxSessions?: number | undefined;
  /** A session with no request for this long is closed (default 15 minutes). */
  idleTimeoutMs?: number | undefined;
}

export interface RunningHttpServer {
  /** The MCP endpoint, e.g. http://127.0.0.1:3333/mcp */
  url: string;
  port: number;
  /** Sessions open now. */
  sessions(): number;
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  created: CreatedServer;
  /** Requests of the session still open (a streaming answer, a waiting GET). */
  open: number;
  lastActive: number;
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  return bare === "localhost" || bare === "::1" || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** A server reachable from other machines must require a token. */
export function assertSafeBinding(host: string, token: string | undefined): void {
  if (!isLoopbackHost(host) && !token) {
    throw new InputError(`refusing to serve on ${host} without a token: anyone who can reach it could drive the server; pass --token T (or set AGENTSYNTH_TOKEN), or serve on 127.0.0.1`);
  }
}

/**
 * Streamable HTTP with stateful sessions (`mcp-session-id`), one McpServer per session over the one shared
 * workspace. Requests need the bearer token when one is set (401 otherwise), a Host header naming this server
 * and, when the request has one, an Origin of this server (403 otherwise, against DNS rebinding, as the MCP
 * specification requires). At most `maxSessions` sessions are open at once, and a session idle for
 * `idleTimeoutMs` is closed.
 */
export async function startHttpServer(workspace: Workspace, options: HttpServeOptions): Promise<RunningHttpServer> {
  assertSafeBinding(options.host, options.token);
  const sessions = new Map<string, Session>();
  const maxBodyBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  /** Sessions whose initialize is being answered: they count against the cap before they have an id. */
  let opening = 0;
  const allowedHosts = allowedHostnames(options.host);
  const sweeper = setInterval(() => closeIdleSessions(sessions, idleTimeoutMs, options.log), Math.max(50, Math.min(idleTimeoutMs / 4, 60_000)));
  sweeper.unref();
  const http = createHttpServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      options.log(`agentsynth: request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendJsonRpcError(res, 500, -32603, "internal server error");
    });
  });

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "").split("?")[0] ?? "";
    const report = isReportPath(path);
    if (path !== MCP_PATH && !report) return sendJsonRpcError(res, 404, -32000, `not found: the MCP endpoint is ${MCP_PATH} (and the dataset report is at ${REPORT_PATH})`);
    if (allowedHosts && !isAllowedHost(req.headers.host, allowedHosts)) return sendJsonRpcError(res, 403, -32000, `forbidden: Host header "${req.headers.host ?? ""}" is not this server`);
    const origin = headerValue(req.headers.origin);
    if (origin !== undefined && !isAllowedOrigin(origin, req.headers.host, allowedHosts)) return sendJsonRpcError(res, 403, -32000, `forbidden: Origin "${origin}" is not this server; browsers may reach it only from its own pages`);
    if (options.token && !hasBearerToken(req, options.token) && !(report && hasReportCookie(req, options.token))) {
      // A browser opening /report?token=T gets the report's cookie and is sent on without the token.
      if (report && acceptTokenInQuery(req, res, options.token)) return;
      res.setHeader("www-authenticate", 'Bearer realm="agentsynth"');
      return sendJsonRpcError(res, 401, -32001, `unauthorized: send Authorization: Bearer <token> (the token given to agentsynth serve)${report ? `; in a browser, open ${REPORT_PATH}?token=<token> once` : ""}`);
    }
    if (report) return serveReport(workspace, req, res);
    const sessionId = headerValue(req.headers["mcp-session-id"]);
    const session = sessionId ? sessions.get(sessionId) : undefined;
    if (sessionId && !session) return sendJsonRpcError(res, 404, -32001, "session not found: it was closed (idle sessions close after a while) or never existed; initialize a new session");
    if (session) track(session, res);
    if (req.method === "POST") {
      const body = await readJsonBody(req, res, maxBodyBytes);
      if (body === undefined) return;
      if (session) return session.transport.handleRequest(req, res, body);
      if (!isInitializeRequest(body)) return sendJsonRpcError(res, 400, -32000, "bad request: send initialize first, then the mcp-session-id header it returns");
      if (sessions.size + opening >= maxSessions) {
        res.setHeader("retry-after", String(Math.ceil(idleTimeoutMs / 1000)));
        return sendJsonRpcError(res, 503, -32000, `too many sessions: ${maxSessions} are open (the limit of serve --max-sessions); close one (DELETE with its mcp-session-id) or wait until idle ones time out`);
      }
      opening++;
      try {
        return await openSession(req, res, body);
      } finally {
        opening--;
      }
    }
    if (req.method === "GET" || req.method === "DELETE") {
      if (!session) return sendJsonRpcError(res, 400, -32000, "bad request: the mcp-session-id header is missing");
      return session.transport.handleRequest(req, res);
    }
    res.setHeader("allow", "GET, POST, DELETE");
    return sendJsonRpcError(res, 405, -32000, "method not allowed");
  }

  function baseUrl(): string {
    const urlHost = options.host.includes(":") && !options.host.startsWith("[") ? `[${options.host}]` : options.host;
    return `http://${urlHost}:${(http.address() as AddressInfo).port}`;
  }

  async function openSession(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const created = createServer(workspace, { reportUrl: `${baseUrl()}${REPORT_PATH}/` });
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        const session: Session = { transport, created, open: 0, lastActive: Date.now() };
        sessions.set(id, session);
        track(session, res);
      },
    });
    transport.onclose = () => {
      const id = transport.sessionId;
      if (id && sessions.delete(id)) void created.cleanup().catch(() => undefined);
    };
    await created.server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port, options.host, () => {
      http.off("error", reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  return {
    url: `${baseUrl()}${MCP_PATH}`,
    port,
    sessions: () => sessions.size,
    close: () => {
      clearInterval(sweeper);
      return closeAll(http, sessions);
    },
  };
}

/** Count a request as the session's activity while it is open, and from when it ends. */
function track(session: Session, res: ServerResponse): void {
  session.open++;
  session.lastActive = Date.now();
  res.once("close", () => {
    session.open--;
    session.lastActive = Date.now();
  });
}

/** Close the sessions that have had no open request for the idle timeout; their transports' onclose forgets them. */
function closeIdleSessions(sessions: Map<string, Session>, idleTimeoutMs: number, log: (line: string) => void): void {
  const now = Date.now();
  for (const [id, session] of sessions) {
    if (session.open > 0 || now - session.lastActive < idleTimeoutMs) continue;
    log(`agentsynth: closing session ${id.slice(0, 8)}…, idle for ${Math.round((now - session.lastActive) / 1000)} s`);
    void session.transport.close().catch(() => undefined);
  }
}

async function closeAll(http: Server, sessions: Map<string, Session>): Promise<void> {
  const open = [...sessions.values()];
  sessions.clear();
  await Promise.allSettled(open.map(async ({ transport, created }) => {
    await transport.close();
    await created.cleanup();
  }));
  await new Promise<void>((resolve) => {
    http.close(() => resolve());
    http.closeAllConnections();
  });
}

/** Host names a request may address; undefined (no check) for a wildcard bind, where a token is required anyway. */
function allowedHostnames(host: string): string[] | undefined {
  const bare = host.replace(/^\[|\]$/g, "");
  if (bare === "0.0.0.0" || bare === "::") return undefined;
  return [...new Set([...LOOPBACK_NAMES, bare.includes(":") ? `[${bare}]` : bare])];
}

function isAllowedHost(header: string | undefined, allowed: readonly string[]): boolean {
  if (!header) return false;
  try {
    return allowed.includes(new URL(`http://${header}`).hostname);
  } catch {
    return false;
  }
}

/**
 * An Origin header (sent by browsers) must name this server: one of the host names it answers to, or for a
 * wildcard bind the host the request addresses. `null` (a sandboxed page, a file) is not this server.
 */
function isAllowedOrigin(origin: string, hostHeader: string | undefined, allowed: readonly string[] | undefined): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  if (allowed) return allowed.includes(url.hostname);
  return hostHeader !== undefined && url.host === hostHeader.toLowerCase();
}

function hasBearerToken(req: IncomingMessage, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "");
  const given = Buffer.from(match?.[1]?.trim() ?? "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The request body as JSON; answers 400/413 itself and returns undefined when it is not. */
async function readJsonBody(req: IncomingMessage, res: ServerResponse, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      // The rest of the body is not read: the connection cannot carry another request.
      res.setHeader("connection", "close");
      sendJsonRpcError(res, 413, -32600, `request body larger than ${maxBytes} bytes (the limit of serve --max-message-bytes); send smaller arguments`);
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    sendJsonRpcError(res, 400, -32700, "parse error: the body is not JSON");
    return undefined;
  }
}

function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  const body = JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

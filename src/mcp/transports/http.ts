import { randomUUID, timingSafeEqual } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { InputError } from "../../errors/input-error.js";
import type { Workspace } from "../../pipeline/workspace.js";
import { createServer, type CreatedServer } from "../create-server.js";
import { acceptTokenInQuery, hasReportCookie, isReportPath, REPORT_PATH, serveReport } from "./report-route.js";

export const MCP_PATH = "/mcp";
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];

export interface HttpServeOptions {
  host: string;
  port: number;
  /** Bearer token every request must carry; required for a non-loopback host. */
  token?: string | undefined;
  log: (line: string) => void;
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
 * workspace. Requests need the bearer token when one is set (401 otherwise), and a Host header naming this
 * server (403 otherwise, against DNS rebinding).
 */
export async function startHttpServer(workspace: Workspace, options: HttpServeOptions): Promise<RunningHttpServer> {
  assertSafeBinding(options.host, options.token);
  const sessions = new Map<string, Session>();
  const allowedHosts = allowedHostnames(options.host);
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
    if (options.token && !hasBearerToken(req, options.token) && !(report && hasReportCookie(req, options.token))) {
      // A browser opening /report?token=T gets the report's cookie and is sent on without the token.
      if (report && acceptTokenInQuery(req, res, options.token)) return;
      res.setHeader("www-authenticate", 'Bearer realm="agentsynth"');
      return sendJsonRpcError(res, 401, -32001, `unauthorized: send Authorization: Bearer <token> (the token given to agentsynth serve)${report ? `; in a browser, open ${REPORT_PATH}?token=<token> once` : ""}`);
    }
    if (report) return serveReport(workspace, req, res);
    const sessionId = headerValue(req.headers["mcp-session-id"]);
    const session = sessionId ? sessions.get(sessionId) : undefined;
    if (sessionId && !session) return sendJsonRpcError(res, 404, -32001, "session not found: it was closed or never existed; initialize a new session");
    if (req.method === "POST") {
      const body = await readJsonBody(req, res);
      if (body === undefined) return;
      if (session) return session.transport.handleRequest(req, res, body);
      if (!isInitializeRequest(body)) return sendJsonRpcError(res, 400, -32000, "bad request: send initialize first, then the mcp-session-id header it returns");
      return openSession(req, res, body);
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
        sessions.set(id, { transport, created });
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
    close: () => closeAll(http, sessions),
  };
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
async function readJsonBody(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      sendJsonRpcError(res, 413, -32000, `request body larger than ${MAX_BODY_BYTES} bytes`);
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

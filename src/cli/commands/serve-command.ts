import { resolve } from "node:path";
import type { Readable, Writable } from "node:stream";
import { InputError } from "../../errors/input-error.js";
import { assertSafeBinding, startHttpServer } from "../../mcp/transports/http.js";
import { serveStdio } from "../../mcp/transports/stdio.js";
import { openWorkspace } from "../../pipeline/workspace.js";
import type { CliIo } from "../io.js";

export interface ServeCommandOptions {
  http: boolean;
  host?: string | undefined;
  port?: string | undefined;
  token?: string | undefined;
  dataDir: string;
  config?: string | undefined;
  mcpConfig?: string | undefined;
  out?: string | undefined;
}

export const DEFAULT_HTTP_HOST = "127.0.0.1";
export const DEFAULT_HTTP_PORT = 3333;

/**
 * `agentsynth serve`: the MCP server over stdio (default) or Streamable HTTP, until the client goes away or
 * the process is interrupted. Over stdio, stdout carries only the protocol; every log line goes to stderr.
 */
export async function serveCommand(options: ServeCommandOptions, io: CliIo): Promise<number> {
  const log = (line: string): void => void io.stderr.write(`${line}\n`);
  const token = options.token ?? io.env.AGENTSYNTH_TOKEN;
  if (!options.http && (options.host !== undefined || options.port !== undefined || options.token !== undefined)) {
    throw new InputError("--host, --port and --token apply to --http; add --http, or leave them out to serve over stdio");
  }
  const host = options.host ?? DEFAULT_HTTP_HOST;
  const port = parsePort(options.port);
  if (options.http) assertSafeBinding(host, token);
  const workspace = await openWorkspace({
    dataDir: options.dataDir,
    configFile: options.config,
    mcpConfigFile: options.mcpConfig,
    exportRoot: resolve(options.out ?? "out"),
    env: io.env,
    onWarning: (message) => log(`warning: ${message}`),
  });
  try {
    if (!options.http) {
      await serveStdio(workspace, { signal: io.signal, stdin: io.stdin as Readable | undefined, stdout: io.stdout as Writable, log });
      return 0;
    }
    const running = await startHttpServer(workspace, { host, port, token, log });
    log(`agentsynth MCP server listening on ${running.url} (data dir ${workspace.dataDir}, exports under ${workspace.exportRoot}${token ? ", bearer token required" : ""})`);
    await new Promise<void>((done) => (io.signal.aborted ? done() : io.signal.addEventListener("abort", () => done(), { once: true })));
    await running.close();
    return 0;
  } finally {
    await workspace.close();
  }
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_HTTP_PORT;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new InputError(`--port: expected a port number from 0 to 65535 (0 picks a free one), got "${text}"`);
  return port;
}

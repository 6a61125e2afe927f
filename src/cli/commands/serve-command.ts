import { resolve } from "node:path";
import type { Readable, Writable } from "node:stream";
import { InputError } from "../../errors/input-error.js";
import { assertSafeBinding, startHttpServer } from "../../mcp/transports/http.js";
import { serveStdio } from "../../mcp/transports/stdio.js";
import { openWorkspace } from "../../pipeline/workspace.js";
import type { CliCommand } from "../command.js";
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

export const serveCliCommand: CliCommand = {
  name: "serve",
  flags: {
    http: { type: "boolean", description: "serve Streamable HTTP at http://HOST:PORT/mcp instead of stdio" },
    host: { type: "string", value: "H", description: "--http: the address to listen on (default 127.0.0.1)" },
    port: { type: "string", value: "P", description: "--http: the port (default 3333; 0 picks a free one)" },
    token: { type: "string", value: "T", description: "--http: the bearer token every request needs (default $AGENTSYNTH_TOKEN); required off loopback" },
    out: { type: "string", value: "DIR", description: "exports must go under DIR (default ./out)" },
  },
  description:
    "The MCP server: every stage as a tool, stored records as resources, authoring prompts. Over stdio by default (stdout\n" +
    "carries only the protocol; logs go to stderr).",
  run: (args, io) =>
    serveCommand({ http: args.boolean("http"), host: args.string("host"), port: args.string("port"), token: args.string("token"), dataDir: args.dataDir, config: args.config, mcpConfig: args.mcpConfig, out: args.string("out") }, io),
};

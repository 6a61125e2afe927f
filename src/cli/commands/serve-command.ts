import { resolve } from "node:path";
import type { Readable, Writable } from "node:stream";
import { InputError } from "../../errors/input-error.js";
import { DEFAULT_MAX_MESSAGE_BYTES } from "../../mcp/transports/guarded-stdio.js";
import { assertSafeBinding, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_SESSIONS, startHttpServer } from "../../mcp/transports/http.js";
import { serveStdio } from "../../mcp/transports/stdio.js";
import { answerStartupFailure } from "../../mcp/transports/startup-failure.js";
import { openWorkspace, type Workspace } from "../../pipeline/workspace.js";
import type { CliCommand } from "../command.js";
import { parseInteger, parseList } from "../flags.js";
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
  /** MCP clients may add or replace stdio servers (commands this process would run). */
  allowServerEdits?: boolean | undefined;
  /** Comma-separated folders MCP clients may have files read from, besides the data directory and the export root. */
  allowRead?: string | undefined;
  maxMessageBytes?: string | undefined;
  maxSessions?: string | undefined;
  /** Seconds. */
  idleTimeout?: string | undefined;
}

export const DEFAULT_HTTP_HOST = "127.0.0.1";
export const DEFAULT_HTTP_PORT = 3333;

/**
 * `agentsynth serve`: the MCP server over stdio (default) or Streamable HTTP, until the client goes away or
 * the process is interrupted. Over stdio, stdout carries only the protocol; every log line goes to stderr.
 * When the server cannot start over stdio (bad flags, a missing API key, a locked store, an invalid config),
 * the host is told why: every request it sends is answered with an error naming the reason.
 */
export async function serveCommand(options: ServeCommandOptions, io: CliIo): Promise<number> {
  const log = (line: string): void => void io.stderr.write(`${line}\n`);
  let workspace: Workspace;
  let settings: ServeSettings;
  try {
    settings = parseServeSettings(options, io.env);
    workspace = await openWorkspace({
      dataDir: options.dataDir,
      configFile: options.config,
      mcpConfigFile: options.mcpConfig,
      exportRoot: resolve(options.out ?? "out"),
      readRoots: settings.readRoots,
      allowServerEdits: options.allowServerEdits ?? false,
      env: io.env,
      onWarning: (message) => log(`warning: ${message}`),
    });
  } catch (error) {
    const stdin = (io.stdin ?? process.stdin) as Readable & { isTTY?: boolean };
    // A person at a terminal reads the error on stderr; a host reading stdout gets it as the protocol's answer.
    if (!options.http && !stdin.isTTY) await answerStartupFailure(error, { stdin, stdout: io.stdout as Writable, log, signal: io.signal });
    throw error;
  }
  try {
    if (!options.http) {
      await serveStdio(workspace, { signal: io.signal, stdin: io.stdin as Readable | undefined, stdout: io.stdout as Writable, log, maxMessageBytes: settings.maxMessageBytes });
      return 0;
    }
    const running = await startHttpServer(workspace, {
      host: settings.host,
      port: settings.port,
      token: settings.token,
      log,
      maxMessageBytes: settings.maxMessageBytes,
      maxSessions: settings.maxSessions,
      idleTimeoutMs: settings.idleTimeoutMs,
    });
    log(`agentsynth MCP server listening on ${running.url} (data dir ${workspace.dataDir}, exports under ${workspace.exportRoot}${settings.token ? ", bearer token required" : ""})`);
    await new Promise<void>((done) => (io.signal.aborted ? done() : io.signal.addEventListener("abort", () => done(), { once: true })));
    await running.close();
    return 0;
  } finally {
    await workspace.close();
  }
}

interface ServeSettings {
  host: string;
  port: number;
  token: string | undefined;
  readRoots: string[];
  maxMessageBytes: number;
  maxSessions: number;
  idleTimeoutMs: number;
}

/** The flags, checked before anything is opened. */
function parseServeSettings(options: ServeCommandOptions, env: NodeJS.ProcessEnv): ServeSettings {
  const httpOnly = { host: options.host, port: options.port, token: options.token, "max-sessions": options.maxSessions, "idle-timeout": options.idleTimeout };
  const given = Object.entries(httpOnly).filter(([, value]) => value !== undefined).map(([name]) => `--${name}`);
  if (!options.http && given.length > 0) throw new InputError(`${given.join(", ")} appl${given.length > 1 ? "y" : "ies"} to --http; add --http, or leave ${given.length > 1 ? "them" : "it"} out to serve over stdio`);
  const token = options.token ?? (env.AGENTSYNTH_TOKEN === "" ? undefined : env.AGENTSYNTH_TOKEN);
  if (token !== undefined && token.trim() === "") throw new InputError(`${options.token !== undefined ? "--token" : "AGENTSYNTH_TOKEN"} is blank; give a real secret (e.g. the output of \`openssl rand -hex 32\`), or leave it out on loopback`);
  if (token !== undefined && token !== token.trim()) throw new InputError(`${options.token !== undefined ? "--token" : "AGENTSYNTH_TOKEN"} starts or ends with whitespace, which an Authorization header cannot carry; remove it`);
  const host = options.host ?? DEFAULT_HTTP_HOST;
  if (options.http) assertSafeBinding(host, token);
  return {
    host,
    port: parseInteger("port", options.port, 0, 65_535) ?? DEFAULT_HTTP_PORT,
    token,
    readRoots: (parseList("allow-read", options.allowRead) ?? []).map((folder) => resolve(folder)),
    maxMessageBytes: parseInteger("max-message-bytes", options.maxMessageBytes, 1024) ?? DEFAULT_MAX_MESSAGE_BYTES,
    maxSessions: parseInteger("max-sessions", options.maxSessions, 1) ?? DEFAULT_MAX_SESSIONS,
    idleTimeoutMs: (parseInteger("idle-timeout", options.idleTimeout, 1) ?? DEFAULT_IDLE_TIMEOUT_MS / 1000) * 1000,
  };
}

export const serveCliCommand: CliCommand = {
  name: "serve",
  flags: {
    http: { type: "boolean", description: "serve Streamable HTTP at http://HOST:PORT/mcp instead of stdio" },
    host: { type: "string", value: "H", description: "--http: the address to listen on (default 127.0.0.1)" },
    port: { type: "string", value: "P", description: "--http: the port (default 3333; 0 picks a free one)" },
    token: { type: "string", value: "T", description: "--http: the bearer token every request needs (default $AGENTSYNTH_TOKEN); required off loopback" },
    out: { type: "string", value: "DIR", description: "exports must go under DIR (default ./out)" },
    "allow-read": { type: "string", value: "DIR,…", description: "folders MCP clients may name files in (import_tools, run_pipeline configFile), besides the data dir and --out" },
    "allow-server-edits": { type: "boolean", description: "let MCP clients add or replace stdio servers, i.e. commands this machine runs (off by default)" },
    "max-message-bytes": { type: "string", value: "N", description: `the largest MCP message accepted; larger ones get an error (default ${DEFAULT_MAX_MESSAGE_BYTES}, 4 MiB)` },
    "max-sessions": { type: "string", value: "N", description: `--http: sessions open at once (default ${DEFAULT_MAX_SESSIONS})` },
    "idle-timeout": { type: "string", value: "S", description: `--http: seconds after which an idle session is closed (default ${DEFAULT_IDLE_TIMEOUT_MS / 1000})` },
  },
  description:
    "The MCP server: every stage as a tool, stored records as resources, authoring prompts. Over stdio by default (stdout\n" +
    "carries only the protocol; logs go to stderr).",
  run: (args, io) =>
    serveCommand(
      {
        http: args.boolean("http"),
        host: args.string("host"),
        port: args.string("port"),
        token: args.string("token"),
        dataDir: args.dataDir,
        config: args.config,
        mcpConfig: args.mcpConfig,
        out: args.string("out"),
        allowRead: args.string("allow-read"),
        allowServerEdits: args.boolean("allow-server-edits"),
        maxMessageBytes: args.string("max-message-bytes"),
        maxSessions: args.string("max-sessions"),
        idleTimeout: args.string("idle-timeout"),
      },
      io,
    ),
};

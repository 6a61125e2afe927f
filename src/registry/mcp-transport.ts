import { ChildProcess } from "node:child_process";
import type { Readable } from "node:stream";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StdioClientTransport, getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { McpServerEntry } from "./mcp-config-entry.js";

const STDERR_LINES = 20;
/** How long a stdio server gets to exit after its stdin closes, and again after SIGTERM, before it is killed. */
const CLOSE_GRACE_MS = 400;

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The transport of one connection, and for a stdio server its process: stderr tail, exit status, kill. */
export interface ServerTransport {
  transport: Transport;
  /** The last lines the server wrote to stderr (stdio only, empty otherwise). */
  stderrTail(): string;
  /** How the process ended (stdio only, once it has). */
  exit(): ProcessExit | undefined;
  /** Close the transport; a stdio server that does not exit within a short grace period is killed. */
  close(): Promise<void>;
}

export function createServerTransport(entry: McpServerEntry): ServerTransport {
  if (entry.transport === "stdio") return createStdioTransport(entry);
  const url = new URL(entry.url ?? "");
  const requestInit: RequestInit = { headers: entry.headers };
  if (entry.transport === "sse") return remoteTransport(new SSEClientTransport(url, { requestInit }));
  return remoteTransport(new StreamableHTTPClientTransport(url, { requestInit }));
}

function remoteTransport(transport: StreamableHTTPClientTransport | SSEClientTransport): ServerTransport {
  return {
    transport,
    stderrTail: () => "",
    exit: () => undefined,
    close: async () => {
      if (transport instanceof StreamableHTTPClientTransport && transport.sessionId !== undefined) {
        await withTimeout(transport.terminateSession().catch(() => undefined), CLOSE_GRACE_MS);
      }
      await transport.close();
    },
  };
}

function createStdioTransport(entry: McpServerEntry): ServerTransport {
  const transport = new StdioClientTransport({
    command: entry.command === "node" ? process.execPath : (entry.command ?? ""),
    args: entry.args,
    env: { ...getDefaultEnvironment(), ...entry.env },
    ...(entry.cwd !== undefined ? { cwd: entry.cwd } : {}),
    stderr: "pipe",
  });
  const tail = new LineTail(STDERR_LINES);
  (transport.stderr as Readable | null)?.on("data", (chunk: Buffer | string) => tail.push(chunk.toString()));
  let child: ChildProcess | undefined;
  let exit: ProcessExit | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  const start = transport.start.bind(transport);
  transport.start = async () => {
    await start();
    const started = childProcessOf(transport);
    child = started;
    exited = new Promise((resolve) => started?.once("exit", (code, signal) => resolve((exit = { code, signal }))));
  };
  return {
    transport,
    stderrTail: () => tail.text(),
    exit: () => exit,
    close: async () => {
      const running = child !== undefined && exit === undefined;
      const timers = running ? escalate(child as ChildProcess) : [];
      try {
        await transport.close();
        // The SDK may have closed the transport already (a failed handshake) without waiting for the process.
        if (running) await withTimeout(exited, 3 * CLOSE_GRACE_MS);
      } finally {
        timers.forEach(clearTimeout);
      }
    },
  };
}

/** SIGTERM after the grace period, SIGKILL after twice that: servers that ignore stdin EOF still end promptly. */
function escalate(child: ChildProcess): NodeJS.Timeout[] {
  const signal = (name: NodeJS.Signals) => () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
  };
  return [setTimeout(signal("SIGTERM"), CLOSE_GRACE_MS), setTimeout(signal("SIGKILL"), 2 * CLOSE_GRACE_MS)];
}

/** The SDK keeps its child process private; it is read (defensively) only to learn the exit status and to kill it. */
function childProcessOf(transport: StdioClientTransport): ChildProcess | undefined {
  const candidate = (transport as unknown as { _process?: unknown })._process;
  return candidate instanceof ChildProcess ? candidate : undefined;
}

async function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** The last `limit` lines of a stream of text. */
class LineTail {
  #lines: string[] = [];
  #partial = "";

  constructor(private readonly limit: number) {}

  push(text: string): void {
    const parts = (this.#partial + text).split(/\r?\n/);
    this.#partial = parts.pop() ?? "";
    this.#lines.push(...parts.filter((line) => line.trim() !== ""));
    if (this.#lines.length > this.limit) this.#lines.splice(0, this.#lines.length - this.limit);
    if (this.#partial.length > 4000) this.#partial = this.#partial.slice(-4000);
  }

  text(): string {
    const lines = this.#partial.trim() === "" ? this.#lines : [...this.#lines, this.#partial];
    return lines.slice(-this.limit).join("\n");
  }
}

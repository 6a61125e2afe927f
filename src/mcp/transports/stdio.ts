import type { Readable, Writable } from "node:stream";
import type { Workspace } from "../../pipeline/workspace.js";
import { createServer } from "../create-server.js";
import { GuardedStdioServerTransport } from "./guarded-stdio.js";

export interface ServeStdioOptions {
  /** Stops the server when aborted. */
  signal: AbortSignal;
  stdin?: Readable | undefined;
  stdout?: Writable | undefined;
  /** Where log lines go (never stdout: it carries the protocol). */
  log: (line: string) => void;
  /** A message larger than this is answered with an error and dropped (default 4 MiB). */
  maxMessageBytes?: number | undefined;
}

/**
 * Serve the workspace over stdio until stdin ends, the client closes the connection, or the signal aborts.
 * Only protocol messages are written to stdout; a message over the size limit, or one that is not JSON-RPC,
 * is answered with an error and the server keeps serving.
 */
export async function serveStdio(workspace: Workspace, options: ServeStdioOptions): Promise<void> {
  const stdin = options.stdin ?? process.stdin;
  const { server, cleanup } = createServer(workspace);
  const stopped = new Promise<void>((resolve) => {
    stdin.once("end", resolve);
    stdin.once("close", resolve);
    options.signal.addEventListener("abort", () => resolve(), { once: true });
    server.server.onclose = resolve;
  });
  await server.connect(new GuardedStdioServerTransport(stdin, options.stdout ?? process.stdout, { maxMessageBytes: options.maxMessageBytes, log: options.log }));
  options.log(`agentsynth MCP server on stdio (data dir ${workspace.dataDir}, exports under ${workspace.exportRoot})`);
  await stopped;
  await cleanup();
}

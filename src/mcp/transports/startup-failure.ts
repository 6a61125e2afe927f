import type { Readable, Writable } from "node:stream";
import { isJSONRPCRequest, type JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { AgentsynthError } from "../../errors/agentsynth-error.js";
import { describeToolError } from "../error-text.js";
import { GuardedStdioServerTransport } from "./guarded-stdio.js";

export interface StartupFailureOptions {
  stdin: Readable;
  stdout: Writable;
  log: (line: string) => void;
  signal: AbortSignal;
  maxMessageBytes?: number | undefined;
  /** Give up waiting for the host after this long (default 30 s): a host that got the error closes the connection sooner. */
  waitMs?: number | undefined;
}

/** The JSON-RPC error code of a server that could not start (implementation-defined server error range). */
export const STARTUP_FAILED = -32000;

/**
 * Tell an MCP host over stdio why the server could not start (a missing API key, a locked store, an invalid
 * config), instead of exiting before the handshake, which a host shows only as "Connection closed": every
 * request, `initialize` first, is answered with a JSON-RPC error naming the reason and the fix. Returns when
 * the host closes the connection, the signal aborts or `waitMs` passes.
 */
export async function answerStartupFailure(error: unknown, options: StartupFailureOptions): Promise<void> {
  const reason = describeToolError(error);
  const message = `agentsynth could not start: ${reason}`;
  const data = error instanceof AgentsynthError ? { code: error.code } : undefined;
  const transport = new GuardedStdioServerTransport(options.stdin, options.stdout, { maxMessageBytes: options.maxMessageBytes, log: options.log });
  transport.onmessage = (incoming) => {
    if (!isJSONRPCRequest(incoming)) return;
    const answer = { jsonrpc: "2.0", id: incoming.id, error: { code: STARTUP_FAILED, message, ...(data ? { data } : {}) } } as JSONRPCMessage;
    void transport.send(answer).catch(() => undefined);
  };
  let timer: NodeJS.Timeout | undefined;
  const ended = new Promise<void>((resolve) => {
    options.stdin.once("end", resolve);
    options.stdin.once("close", resolve);
    options.signal.addEventListener("abort", () => resolve(), { once: true });
    timer = setTimeout(resolve, options.waitMs ?? 30_000);
  });
  await transport.start();
  options.log(`${message}\n(every MCP request is answered with this error until the host disconnects)`);
  await ended;
  clearTimeout(timer);
  await transport.close();
}

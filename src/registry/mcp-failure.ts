import { existsSync } from "node:fs";
import { SseError } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { CancelledError } from "../errors/cancelled-error.js";
import { describeError, errorCode } from "../errors/describe-error.js";
import { ToolServerError, type ToolServerFailure } from "../errors/tool-server-error.js";
import type { McpServerEntry } from "./mcp-config-entry.js";
import type { ProcessExit } from "./mcp-transport.js";
import { redactText } from "../support/redact.js";

/** What was being done when an error happened. */
export interface FailureContext {
  phase: "connect" | "list" | "call";
  timeoutMs: number;
  toolName?: string;
  signal?: AbortSignal | undefined;
}

/** What the connection knows about its own state when an error happened. */
export interface ConnectionFacts {
  entry: McpServerEntry;
  /** The transport closed (process exited, session dropped, or closed on purpose). */
  ended: boolean;
  /** The failure the connection was closed for, when it was closed on purpose. */
  retiredBy: ToolServerError | undefined;
  exit: ProcessExit | undefined;
  stderrTail: string;
}

/**
 * Translate an error of the SDK into what the pool throws: CancelledError when the caller aborted, the server's
 * own JSON-RPC error (an McpError) during a tool call, or a ToolServerError naming the server and the reason.
 * Messages never carry env or header values.
 */
export function describeFailure(error: unknown, context: FailureContext, facts: ConnectionFacts): Error {
  const name = facts.entry.name;
  if (context.signal?.aborted) return new CancelledError(`the ${operation(context)} on server "${name}" was cancelled`);
  const fail = (reason: ToolServerFailure, message: string): ToolServerError => new ToolServerError(name, reason, redact(message, facts.entry));
  if (facts.retiredBy) return fail(facts.retiredBy.reason, `server "${name}" was stopped during the ${operation(context)}: ${facts.retiredBy.message}`);
  if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) return timedOut(context, fail, name);
  if (facts.ended || isConnectionClosed(error)) return ended(context, facts, fail, error);
  if (error instanceof McpError) return context.phase === "call" ? error : fail(context.phase === "connect" ? "connect" : "session", `server "${name}" answered the ${operation(context)} with an error: ${error.message}`);
  if (context.phase === "connect") return fail("connect", `server "${name}" ${startProblem(error, facts.entry)}${tail(facts.stderrTail)}`);
  if (error instanceof StreamableHTTPError && (error.code === 404 || error.code === 400)) {
    return fail("session", `server "${name}" no longer knows this session (HTTP ${error.code}); the next call opens a new one`);
  }
  return fail("crashed", `server "${name}" failed during the ${operation(context)} (is it still running?): ${describeError(error)}`);
}

function timedOut(context: FailureContext, fail: (reason: ToolServerFailure, message: string) => ToolServerError, name: string): ToolServerError {
  if (context.phase === "connect") return fail("timeout", `server "${name}" did not complete the MCP handshake within ${context.timeoutMs} ms`);
  return fail("timeout", `server "${name}" timed out after ${context.timeoutMs} ms (${operation(context)})`);
}

function ended(context: FailureContext, facts: ConnectionFacts, fail: (reason: ToolServerFailure, message: string) => ToolServerError, error: unknown): ToolServerError {
  const name = facts.entry.name;
  const when = context.phase === "connect" ? " before completing the MCP handshake" : ` during the ${operation(context)}`;
  const reason: ToolServerFailure = context.phase === "connect" ? "connect" : facts.entry.transport === "stdio" ? "crashed" : "session";
  if (facts.exit) return fail(reason, `server "${name}" exited (${describeExit(facts.exit)})${when}${tail(facts.stderrTail)}`);
  if (context.phase === "connect" && !isConnectionClosed(error)) return fail(reason, `server "${name}" ${startProblem(error, facts.entry)}${tail(facts.stderrTail)}`);
  return fail(reason, `server "${name}" closed the connection${when}${tail(facts.stderrTail)}`);
}

/** Why a connection ended while no request was waiting on it (the process exited, or the transport closed). */
export function describeEnd(facts: ConnectionFacts): string {
  const name = facts.entry.name;
  const how = facts.exit ? `exited (${describeExit(facts.exit)})` : "closed the connection";
  return redact(`server "${name}" ${how}${tail(facts.stderrTail)}`, facts.entry);
}

function startProblem(error: unknown, entry: McpServerEntry): string {
  const code = errorCode(error);
  if (entry.transport === "stdio") {
    if (code === "ENOENT" && entry.cwd !== undefined && !existsSync(entry.cwd)) return `could not be started: its working directory ${entry.cwd} does not exist`;
    if (code === "ENOENT") return `could not be started: command "${entry.command ?? ""}" was not found`;
    if (code === "EACCES") return `could not be started: command "${entry.command ?? ""}" is not executable`;
    return `could not be started: ${describeError(error)}`;
  }
  const status = error instanceof StreamableHTTPError || error instanceof SseError ? error.code : undefined;
  if (status !== undefined && status > 0) return `refused the connection (HTTP ${status}): ${describeError(error)}`;
  return `cannot be reached at ${entry.urlTemplate ?? "its url"}: ${describeError(error)}`;
}

function operation(context: FailureContext): string {
  if (context.phase === "call") return `call of tool "${context.toolName ?? ""}"`;
  return context.phase === "list" ? "tools/list request" : "connection";
}

function describeExit(exit: ProcessExit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code ?? "unknown"}`;
}

function tail(text: string): string {
  return text.trim() === "" ? "" : `: ${text.trim()}`;
}

function isConnectionClosed(error: unknown): boolean {
  return error instanceof McpError && error.code === ErrorCode.ConnectionClosed;
}

/** Replace every secret of the entry (see McpServerEntry.secrets) by `[redacted]`. */
export function redact(text: string, entry: McpServerEntry): string {
  return redactText(text, entry.secrets);
}

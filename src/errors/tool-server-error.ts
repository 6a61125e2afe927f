import { AgentsynthError } from "./agentsynth-error.js";

/**
 * Why a live MCP server could not answer: it could not be started or reached (`connect`), the handshake or a
 * call ran past its time limit (`timeout`), the process exited or the HTTP server went away (`crashed`), the session was dropped
 * or terminated (`session`), or the pool was closed (`closed`).
 */
export type ToolServerFailure = "connect" | "timeout" | "crashed" | "session" | "closed";

/**
 * A real MCP server failed as infrastructure (not a tool's own error, which is an `isError` result). The message
 * names the server and the reason and never carries environment or header values.
 */
export class ToolServerError extends AgentsynthError {
  constructor(readonly server: string, readonly reason: ToolServerFailure, message: string) {
    super("TOOL_SERVER_FAILED", message);
  }
}

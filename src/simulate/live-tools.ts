import type { JsonObject } from "../domain/common.js";
import type { ToolExecutionConfig } from "../domain/config.js";
import type { ToolAnswer } from "../domain/recording.js";
import type { RecordingBook } from "./recording-book.js";

/** One call of a tool on its live MCP server, by the names the server knows. */
export interface LiveToolCall {
  /** The server's entry name in the MCP config. */
  serverName: string;
  /** The tool's name on the server (its original name, not the portable one the agent used). */
  toolName: string;
  arguments: JsonObject;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}


/**
 * Access to live MCP servers, implemented over the registry's server pool and injected by the pipeline.
 * `call` throws when the server fails (crash, hang, dropped session); a tool's own error is an answer.
 */
export interface LiveTools {
  /** True when the server is configured, so a call can be tried. */
  has(serverName: string): boolean;
  /** True when the config marks the server `trusted`: only then are its tools' annotations believed. */
  trusts(serverName: string): boolean;
  call(call: LiveToolCall): Promise<ToolAnswer>;
}

/** What the tool executor needs to run real tools: the servers, the policy and the recordings. */
export interface LiveExecution {
  tools?: LiveTools | undefined;
  config: ToolExecutionConfig;
  recordings: RecordingBook;
}

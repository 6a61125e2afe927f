import type { JsonObject, TokenUsage } from "../domain/common.js";
import type { DomainRecord } from "../domain/domain.js";
import type { ToolStep } from "../domain/episode.js";
import type { ToolCall } from "../domain/message.js";
import type { ToolRecord } from "../domain/tool.js";
import type { ToolCallRecord } from "../model/request-context.js";
import type { LiveExecution } from "./live-tools.js";

/** One tool call to answer, with what the answer may depend on. */
export interface ExecuteToolCallOptions {
  call: ToolCall;
  tools: ReadonlyMap<string, ToolRecord>;
  state: JsonObject;
  history: readonly ToolCallRecord[];
  /** The domains of the tools (a tool's entities come from its domain). */
  domains?: readonly DomainRecord[] | undefined;
  seed: number;
  /** Recorded real calls of the same tool, shown to the tool simulator as examples. */
  examples?: readonly ToolCallRecord[] | undefined;
  /** Ids of records deleted earlier in the episode: a success answer about one of them is inconsistent. */
  deletedIds?: ReadonlySet<string> | undefined;
  /** Live MCP servers, the execution policy and the recordings; without it every tool is simulated. */
  live?: LiveExecution | undefined;
}

/** How a tool call was answered: the content the agent sees, the step metadata and the world state after it. */
export interface ToolExecution {
  content: string;
  step: ToolStep;
  state: JsonObject;
  record: ToolCallRecord;
  usage: TokenUsage;
  latencyMs: number;
  labels: string[];
  simulated: boolean;
}

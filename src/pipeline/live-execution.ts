import type { ToolExecutionConfig } from "../domain/config.js";
import type { ToolRecord } from "../domain/tool.js";
import type { LiveExecution } from "../simulate/live-tools.js";
import { RecordingBook } from "../simulate/recording-book.js";
import type { Store } from "../store/types.js";
import type { Clock } from "../support/clock.js";
import type { IdGenerator } from "../support/ids.js";
import type { McpServers } from "./mcp-servers.js";

/**
 * What the simulator needs to run real tools: live calls over the configured servers, the execution
 * policy, and the recordings of those tools (replays, few-shot examples). Undefined when no tool is real.
 */
export async function prepareLiveExecution(options: {
  store: Store;
  servers?: McpServers | undefined;
  execution: ToolExecutionConfig;
  tools: readonly ToolRecord[];
  ids: IdGenerator;
  clock: Clock;
}): Promise<LiveExecution | undefined> {
  const realToolIds = new Set(options.tools.filter((tool) => tool.source === "real").map((tool) => tool.id));
  if (realToolIds.size === 0) return undefined;
  const recordings = await RecordingBook.load({ collection: options.store.recordings, toolIds: realToolIds, ids: options.ids, clock: options.clock });
  return { tools: options.servers?.liveTools(), config: options.execution, recordings };
}

import type { JsonObject, JsonValue } from "../domain/common.js";
import type { ToolRecord } from "../domain/tool.js";
import type { ToolCallRecord } from "../model/request-context.js";
import type { LiveExecution } from "../simulate/live-tools.js";
import { decideToolPolicy } from "../simulate/tool-policy.js";
import { throwIfAborted } from "../support/concurrency.js";

const PATH_PARAMETER = /^(path|directory|dir|folder)$/;
const MAX_PATHS_PER_TOOL = 3;

/**
 * Look around the live servers before tasks are written, so tasks can name things that exist: call once
 * each tool the policy runs live that needs no arguments (`list_allowed_directories`, `read_graph`), then
 * the live tools whose one required argument is a folder path on the folders those answers name. Every
 * answer is recorded (as any real call is); calls that fail are skipped. Returns how many calls were made.
 */
export async function probeRealTools(live: LiveExecution, tools: readonly ToolRecord[], signal?: AbortSignal): Promise<number> {
  const liveTools = live.tools;
  if (!liveTools) return 0;
  const callable = tools.filter((tool) => tool.source === "real" && liveTools.has(tool.origin.configName ?? "") && decideToolPolicy(tool, live.config, { trustedServer: liveTools.trusts(tool.origin.configName ?? "") }).live);
  let calls = 0;
  const call = async (tool: ToolRecord, args: JsonObject): Promise<void> => {
    throwIfAborted(signal);
    if (live.recordings.find(tool.id, args)) return;
    const started = performance.now();
    try {
      const answer = await liveTools.call({ serverName: tool.origin.configName ?? "", toolName: tool.origin.originalName, arguments: args, timeoutMs: live.config.callTimeoutMs, signal });
      calls++;
      await live.recordings.add({ tool, arguments: args, result: answer.result, isError: answer.isError, latencyMs: Math.round(performance.now() - started) });
    } catch {
      throwIfAborted(signal);
    }
  };
  for (const tool of callable.filter((candidate) => requiredParameters(candidate).length === 0)) await call(tool, {});
  for (const tool of callable) {
    const [required, ...more] = requiredParameters(tool);
    if (required === undefined || more.length > 0 || !PATH_PARAMETER.test(required)) continue;
    const folders = foldersIn(callable.flatMap((each) => live.recordings.examples(each.id, 10))).slice(0, MAX_PATHS_PER_TOOL);
    for (const folder of folders) await call(tool, { [required]: folder });
  }
  return calls;
}

/** Recorded answers of the live tools of the servers a toolset's real tools come from. */
export function liveExamplesFor(live: LiveExecution, allTools: readonly ToolRecord[], toolset: readonly ToolRecord[], limit = 8): ToolCallRecord[] {
  const servers = new Set(toolset.flatMap((tool) => (tool.source === "real" && tool.origin.configName ? [tool.origin.configName] : [])));
  if (servers.size === 0) return [];
  const examples = allTools.filter((tool) => tool.origin.configName !== undefined && servers.has(tool.origin.configName)).flatMap((tool) => live.recordings.examples(tool.id, 3));
  return examples.slice(0, limit);
}

function requiredParameters(tool: ToolRecord): string[] {
  const required = tool.inputSchema.required;
  return Array.isArray(required) ? required.filter((name): name is string => typeof name === "string") : [];
}

/** Absolute folder paths on lines of their own in answers, such as "Allowed directories:\n/srv/data". */
function foldersIn(examples: readonly ToolCallRecord[]): string[] {
  const folders = new Set<string>();
  const visit = (value: JsonValue): void => {
    if (typeof value === "string") for (const line of value.split("\n")) if (/^\/\S*$/.test(line.trim())) folders.add(line.trim());
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === "object") Object.values(value).forEach(visit);
  };
  for (const example of examples) visit(example.result);
  return [...folders].sort();
}

import type { ToolExecutionConfig, ToolPolicy } from "../domain/config.js";
import type { ToolRecord } from "../domain/tool.js";

export interface PolicyDecision {
  live: boolean;
  /** Why, in a few words (kept on the step when the call is simulated). */
  reason: string;
}

/**
 * Whether a tool may be called on its live server. Only real tools from a configured server can be; the
 * deny-list beats everything, a non-empty allow-list admits only what it names, then the most specific
 * override (server/tool, then server) or the default policy decides. `auto` is live only for tools
 * annotated read-only and not destructive, and only when those annotations can be believed: the server is
 * trusted (`"trusted": true` in the MCP config), or the tool or its server is on the allow-list (annotations
 * are untrusted hints by the MCP specification).
 */
export function decideToolPolicy(tool: ToolRecord, config: ToolExecutionConfig, trust: { trustedServer: boolean }): PolicyDecision {
  const server = tool.origin.configName;
  if (tool.source !== "real" || server === undefined) return { live: false, reason: `a ${tool.source} tool has no live server` };
  const keys = [`${server}/${tool.origin.originalName}`, server];
  if (keys.some((key) => config.deny.includes(key))) return { live: false, reason: "denied by tools.execution.deny" };
  if (config.allow.length > 0 && !keys.some((key) => config.allow.includes(key))) return { live: false, reason: "not in tools.execution.allow" };
  const policy: ToolPolicy = keys.map((key) => config.overrides[key]).find((value) => value !== undefined) ?? config.policy;
  if (policy === "real") return { live: true, reason: "policy real" };
  if (policy === "simulated") return { live: false, reason: "policy simulated" };
  const { readOnlyHint, destructiveHint } = tool.annotations ?? {};
  if (readOnlyHint !== true || destructiveHint === true) return { live: false, reason: "policy auto: not annotated read-only" };
  if (trust.trustedServer) return { live: true, reason: "policy auto: read-only, trusted server" };
  if (keys.some((key) => config.allow.includes(key))) return { live: true, reason: "policy auto: read-only, allow-listed" };
  return { live: false, reason: "policy auto: annotations of an untrusted server are not believed" };
}

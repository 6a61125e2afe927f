import type { FunctionTool } from "../../../domain/tool.js";

/** What every provider accepts, and what the strictest (Moonshot, Gemini) accept: a letter first. */
const STRICT_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/;
const MAX_LENGTH = 64;

/** Tool names as an endpoint sees them, and back. */
export interface ToolNameMap {
  toEndpoint(name: string): string;
  fromEndpoint(name: string): string;
}

const maps = new WeakMap<readonly FunctionTool[], ToolNameMap | null>();

/**
 * The renaming a toolset needs for an endpoint whose tool names must start with a letter: `21st_lookup` is sent
 * as `t_21st_lookup` (unique within the toolset) and its calls are mapped back. Undefined when every name fits.
 * Cached per toolset array (a session sends the same array every turn).
 */
export function mapToolNames(tools: readonly FunctionTool[]): ToolNameMap | undefined {
  const cached = maps.get(tools);
  if (cached !== undefined) return cached ?? undefined;
  const built = buildMap(tools.map((tool) => tool.function.name));
  maps.set(tools, built ?? null);
  return built;
}

function buildMap(names: string[]): ToolNameMap | undefined {
  if (names.every((name) => STRICT_NAME.test(name))) return undefined;
  const taken = new Set(names.filter((name) => STRICT_NAME.test(name)));
  const outbound = new Map<string, string>();
  for (const name of names) {
    if (STRICT_NAME.test(name) || outbound.has(name)) continue;
    const base = `t_${name.replace(/[^a-zA-Z0-9_-]/g, "_")}`.slice(0, MAX_LENGTH);
    let candidate = base;
    for (let suffix = 2; taken.has(candidate); suffix++) candidate = `${base.slice(0, MAX_LENGTH - String(suffix).length - 1)}_${suffix}`;
    taken.add(candidate);
    outbound.set(name, candidate);
  }
  const inbound = new Map([...outbound].map(([original, renamed]) => [renamed, original]));
  return {
    toEndpoint: (name) => outbound.get(name) ?? name,
    fromEndpoint: (name) => inbound.get(name) ?? name,
  };
}

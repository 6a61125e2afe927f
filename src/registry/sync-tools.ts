import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { SCHEMA_VERSION, type JsonSchema } from "../domain/common.js";
import { ToolAnnotationsSchema, type ToolAnnotations, type ToolRecord } from "../domain/tool.js";
import { hashValue } from "../support/hash.js";
import type { IdGenerator } from "../support/ids.js";
import { compileJsonSchema } from "../support/json-schema.js";
import type { ServerListing } from "./mcp-connection.js";
import { assignUniqueNames } from "./tool-names.js";

/** What a sync does to the stored tools of one server. */
export interface ToolPlan {
  /** Records to write: new, changed, back from stale, seen again (syncedAt), or newly stale. */
  writes: ToolRecord[];
  added: number;
  /** Changed (description, schemas, annotations) or listed again after being stale. */
  updated: number;
  unchanged: number;
  /** Stored tools the server no longer lists (kept, marked stale). */
  stale: number;
  /** Tools of the listing that can be used. */
  toolCount: number;
  /** Tools of the listing that were left out, with why (also in the warnings). */
  skipped: Array<{ tool: string; reason: string }>;
  warnings: string[];
}

export interface ToolPlanInput {
  listing: ServerListing;
  serverId: string;
  domainId: string;
  /** Every stored tool (names must stay unique across the registry). */
  stored: readonly ToolRecord[];
  ids: IdGenerator;
  now: string;
}

interface ToolSpecPart {
  description: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  annotations?: ToolAnnotations;
}

/**
 * Match the listed tools against the stored tools of this server by their name on the server: new tools get a
 * portable name unique in the registry, a re-synced tool keeps its name and id, tools no longer listed are
 * marked stale (never deleted), and a tool whose input schema does not compile is skipped with a warning.
 */
export function planToolSync(input: ToolPlanInput): ToolPlan {
  const { listing, serverId } = input;
  const plan: ToolPlan = { writes: [], added: 0, updated: 0, unchanged: 0, stale: 0, toolCount: 0, skipped: [], warnings: [] };
  const mine = input.stored.filter((tool) => tool.source === "real" && tool.origin.serverId === serverId);
  const byName = new Map(mine.map((tool) => [tool.origin.originalName, tool]));
  const usable = usableTools(listing, plan);
  plan.toolCount = usable.length;
  const fresh: Array<{ tool: Tool; spec: ToolSpecPart }> = [];
  for (const { tool, spec } of usable) {
    const prior = byName.get(tool.name);
    if (!prior) {
      fresh.push({ tool, spec });
      continue;
    }
    const changed = specKey(prior) !== specKey(spec) || prior.stale;
    if (changed) plan.updated += 1;
    else plan.unchanged += 1;
    plan.writes.push(refreshed(prior, spec, input));
  }
  const names = assignUniqueNames(fresh.map(({ tool }) => tool.name), input.stored.map((tool) => tool.name));
  fresh.forEach(({ tool, spec }, index) => plan.writes.push(created(tool.name, names[index] as string, spec, input)));
  plan.added = fresh.length;
  const listed = new Set(usable.map(({ tool }) => tool.name));
  for (const tool of mine.filter((each) => !listed.has(each.origin.originalName))) {
    plan.stale += 1;
    if (!tool.stale) plan.writes.push({ ...tool, stale: true });
  }
  return plan;
}

function usableTools(listing: ServerListing, plan: Pick<ToolPlan, "skipped" | "warnings">): Array<{ tool: Tool; spec: ToolSpecPart }> {
  const { warnings } = plan;
  const seen = new Set<string>();
  const usable: Array<{ tool: Tool; spec: ToolSpecPart }> = [];
  for (const tool of listing.tools) {
    const skip = (reason: string): void => {
      plan.skipped.push({ tool: tool.name, reason });
      warnings.push(`server "${listing.name}": skipped tool "${tool.name}": ${reason}`);
    };
    if (seen.has(tool.name)) {
      skip("the server lists this name twice");
      continue;
    }
    seen.add(tool.name);
    const problem = schemaProblem(tool.inputSchema);
    if (problem) {
      skip(`its input schema does not compile (${problem})`);
      continue;
    }
    const spec = specOf(tool);
    if (spec.outputSchema && schemaProblem(spec.outputSchema)) {
      warnings.push(`server "${listing.name}": tool "${tool.name}": its output schema does not compile and was left out (${schemaProblem(spec.outputSchema)})`);
      delete spec.outputSchema;
    }
    usable.push({ tool, spec });
  }
  return usable;
}

function specOf(tool: Tool): ToolSpecPart {
  const annotations = ToolAnnotationsSchema.safeParse(tool.annotations);
  return {
    description: tool.description ?? "",
    inputSchema: tool.inputSchema as JsonSchema,
    ...(tool.outputSchema ? { outputSchema: tool.outputSchema as JsonSchema } : {}),
    ...(tool.annotations && annotations.success ? { annotations: annotations.data } : {}),
  };
}

function schemaProblem(schema: JsonSchema): string | undefined {
  try {
    compileJsonSchema(schema);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function specKey(spec: ToolSpecPart): string {
  return hashValue({ description: spec.description, inputSchema: spec.inputSchema, outputSchema: spec.outputSchema ?? null, annotations: spec.annotations ?? null });
}

function originOf(originalName: string, input: ToolPlanInput, importedAt: string): ToolRecord["origin"] {
  const { listing } = input;
  return {
    originalName,
    serverId: input.serverId,
    ...(listing.serverName !== undefined ? { serverName: listing.serverName } : {}),
    ...(listing.serverVersion !== undefined ? { serverVersion: listing.serverVersion } : {}),
    ...(listing.protocolVersion !== undefined ? { protocolVersion: listing.protocolVersion } : {}),
    transport: listing.transport,
    configName: listing.name,
    importedAt,
    syncedAt: input.now,
  };
}

function refreshed(prior: ToolRecord, spec: ToolSpecPart, input: ToolPlanInput): ToolRecord {
  const { outputSchema: _output, annotations: _annotations, ...rest } = prior;
  return {
    ...rest,
    ...spec,
    domainId: prior.domainId ?? input.domainId,
    origin: originOf(prior.origin.originalName, input, prior.origin.importedAt ?? prior.createdAt),
    stale: false,
  };
}

function created(originalName: string, name: string, spec: ToolSpecPart, input: ToolPlanInput): ToolRecord {
  return {
    id: input.ids.next("tool"),
    kind: "tool",
    createdAt: input.now,
    schemaVersion: SCHEMA_VERSION,
    provenance: { source: "sync:mcp", models: {}, promptHashes: [] },
    name,
    ...spec,
    source: "real",
    domainId: input.domainId,
    origin: originOf(originalName, input, input.now),
    stale: false,
  };
}

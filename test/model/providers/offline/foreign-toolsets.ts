import { readFileSync } from "node:fs";
import { expect } from "vitest";
import type { DomainSpec } from "../../../../src/domain/domain.js";
import { TOOL_NAME_PATTERN, type ToolSpec } from "../../../../src/domain/tool.js";
import { createOfflineModel } from "../../../../src/model/providers/offline/offline-model.js";
import { AgentGenerationOutputSchema, TaskGenerationOutputSchema } from "../../../../src/model/request-context.js";
import { compileJsonSchema, validateJsonSchema } from "../../../../src/support/json-schema.js";
import { ask, runEpisode } from "./offline-fixtures.js";

/** Tools that no taxonomy entity stands behind, grouped as the offline engine gets them: one domain per toolset. */
export interface ForeignToolset {
  domain: DomainSpec;
  tools: ToolSpec[];
}

interface CatalogServer {
  server: string;
  category: string;
  overview?: string;
  tools: Array<{ name: string; description?: string; inputSchema?: Record<string, unknown> }>;
}

function domainFor(title: string, category: string, description: string): DomainSpec {
  return {
    category,
    name: "imported_tools",
    title,
    description: description || title,
    organization: title,
    entities: [{ name: "record", plural: "records", idPrefix: "REC", description: "A record", fields: [{ name: "status", description: "Status", schema: { type: "string" }, examples: [] }], actions: [] }],
  };
}

function compiles(schema: Record<string, unknown>): boolean {
  try {
    compileJsonSchema(schema);
    return true;
  } catch {
    return false;
  }
}

/** One toolset per server of a catalog in the Toucan shape: its first tools with a portable name and an object schema that compiles. */
export function catalogToolsets(file: string, options: { servers: number; toolsPerServer: number }): ForeignToolset[] {
  const servers = JSON.parse(readFileSync(file, "utf8")) as CatalogServer[];
  return servers.slice(0, options.servers).flatMap((server) => {
    const tools: ToolSpec[] = server.tools
      // A toolset names each tool once (the catalog lists one server's list_airports twice).
      .filter((tool, index, all) => all.findIndex((other) => other.name === tool.name) === index)
      .filter((tool) => TOOL_NAME_PATTERN.test(tool.name) && tool.inputSchema?.type === "object" && compiles(tool.inputSchema))
      .slice(0, options.toolsPerServer)
      .map((tool) => ({ name: tool.name, description: tool.description ?? tool.name, inputSchema: tool.inputSchema ?? {} }));
    return tools.length > 0 ? [{ domain: domainFor(server.server, server.category, server.overview ?? ""), tools }] : [];
  });
}

/** Toolsets of 7 tools each from a list of OpenAI function specs (`[{name, description, parameters}]`). */
export function functionToolsets(file: string): ForeignToolset[] {
  const specs = JSON.parse(readFileSync(file, "utf8")) as Array<{ name: string; description: string; parameters: Record<string, unknown> }>;
  const tools: ToolSpec[] = specs.map((spec) => ({ name: spec.name, description: spec.description, inputSchema: spec.parameters }));
  const starts = Array.from({ length: Math.ceil(tools.length / 7) }, (_, index) => index * 7);
  return starts.map((start) => ({ domain: domainFor("Customer service tools", "Travel", "Airline and retail customer service"), tools: tools.slice(start, start + 7) }));
}

/**
 * Let the offline engine make an agent and two tasks per toolset and play every task through: each expected
 * tool exists and each call is valid against the tool's schema. Counts the episodes, and those with a result.
 */
export async function exercise(toolsets: readonly ForeignToolset[]): Promise<{ episodes: number; withResults: number }> {
  const model = createOfflineModel({ seed: 17 });
  let episodes = 0;
  let withResults = 0;
  for (const { domain, tools } of toolsets) {
    const agent = await ask(model, "agent-generation", AgentGenerationOutputSchema, { purpose: "agent-generation", domain, tools });
    const { tasks } = await ask(model, "task-generation", TaskGenerationOutputSchema, { purpose: "task-generation", domain, agent, tools, count: 2, existingGoals: [] });
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    for (const task of tasks) {
      for (const tool of task.expectedTools) expect(byName.has(tool)).toBe(true);
      const episode = await runEpisode(model, { domain, tools, agent, tasks }, task);
      expect(episode.userStopped).toBe(true);
      for (const call of episode.calls) expect(validateJsonSchema(byName.get(call.name)?.inputSchema ?? {}, call.args).errors).toEqual([]);
      episodes++;
      if (episode.calls.some((call) => !call.isError)) withResults++;
    }
  }
  return { episodes, withResults };
}

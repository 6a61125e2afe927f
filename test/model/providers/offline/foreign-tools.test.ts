import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { DomainSpec } from "../../../../src/domain/domain.js";
import { TOOL_NAME_PATTERN, type ToolSpec } from "../../../../src/domain/tool.js";
import { createOfflineModel } from "../../../../src/model/providers/offline/offline-model.js";
import { AgentGenerationOutputSchema, TaskGenerationOutputSchema } from "../../../../src/model/request-context.js";
import { validateJsonSchema } from "../../../../src/support/json-schema.js";
import { ask, runEpisode } from "./offline-fixtures.js";

/** Tools that no taxonomy entity stands behind: real MCP servers (Toucan crawl) and tau-bench's function specs. */
const SHARED = fileURLToPath(new URL("../../../../../shared/data/", import.meta.url));
const TOUCAN = `${SHARED}mcp-servers.toucan.json`;
const TAU_BENCH = `${SHARED}tools.tau-bench.json`;

interface ToucanServer {
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

async function exercise(toolsets: Array<{ domain: DomainSpec; tools: ToolSpec[] }>): Promise<{ episodes: number; withResults: number }> {
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

describe("tools from outside the taxonomy", () => {
  it.skipIf(!existsSync(TOUCAN))("drives real MCP servers' tools without invalid calls, and mostly gets results", async () => {
    const servers = JSON.parse(readFileSync(TOUCAN, "utf8")) as ToucanServer[];
    const toolsets = servers.slice(0, 60).flatMap((server) => {
      const tools: ToolSpec[] = server.tools
        .filter((tool) => TOOL_NAME_PATTERN.test(tool.name) && tool.inputSchema?.type === "object")
        .slice(0, 8)
        .map((tool) => ({ name: tool.name, description: tool.description ?? tool.name, inputSchema: tool.inputSchema ?? {} }));
      return tools.length > 0 ? [{ domain: domainFor(server.server, server.category, server.overview ?? ""), tools }] : [];
    });
    const { episodes, withResults } = await exercise(toolsets);
    console.log(`foreign toolsets: ${withResults}/${episodes} episodes got results`);
    expect(episodes).toBeGreaterThan(80);
    expect(withResults / episodes).toBeGreaterThan(0.85);
  });

  it.skipIf(!existsSync(TAU_BENCH))("drives tau-bench's airline and retail function specs", async () => {
    const specs = JSON.parse(readFileSync(TAU_BENCH, "utf8")) as Array<{ name: string; description: string; parameters: Record<string, unknown> }>;
    const tools: ToolSpec[] = specs.map((spec) => ({ name: spec.name, description: spec.description, inputSchema: spec.parameters }));
    const toolsets = [0, 7, 14, 21].map((start) => ({ domain: domainFor("Tau-bench tools", "Travel", "Airline and retail customer service"), tools: tools.slice(start, start + 7) }));
    const { episodes } = await exercise(toolsets);
    expect(episodes).toBe(8);
  });
});

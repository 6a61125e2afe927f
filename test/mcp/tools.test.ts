import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentRecord } from "../../src/domain/agent.js";
import type { EpisodeRecord } from "../../src/domain/episode.js";
import type { TaskRecord } from "../../src/domain/task.js";
import type { ToolRecord } from "../../src/domain/tool.js";
import type { WorkspaceStats } from "../../src/domain/summaries.js";
import type { ToolSummary } from "../../src/domain/summaries.js";
import { openTestHost, structuredOf, textOf, type TestHost } from "../helpers/mcp-client.js";
import { FIXTURE_FUNCTIONS } from "../helpers/test-data.js";

// Our own list of OpenAI function specs; tau-bench's: tools.shared.test.ts.
const FUNCTIONS = FIXTURE_FUNCTIONS.file;

const ALL_TOOLS = [
  "list_tools", "get_tool", "import_tools",
  "add_mcp_server", "list_mcp_servers", "remove_mcp_server", "sync_mcp_servers",
  "evolve_domains", "create_domain", "synthesize_tools", "generate_agents", "create_agent", "generate_tasks", "create_task", "update_task",
  "simulate", "start_episode", "send_user_message", "end_episode",
  "judge", "filter", "export_dataset", "curate_dataset",
  "run_pipeline",
  "list_episodes", "get_episode", "get_judgment", "get_stats",
  "write_report",
];
const READ_ONLY_TOOLS = ["list_tools", "get_tool", "list_mcp_servers", "list_episodes", "get_episode", "get_judgment", "get_stats"];

interface Page<T> {
  items: T[];
  nextCursor?: string;
}

let host: TestHost;
beforeAll(async () => {
  host = await openTestHost();
});
afterAll(async () => host.close());

describe("tools/list", () => {
  it("lists every stage tool with input and output schemas and honest annotations", async () => {
    const { tools } = await host.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...ALL_TOOLS].sort());
    for (const tool of tools) {
      expect(tool.description?.length, tool.name).toBeGreaterThan(20);
      expect(tool.inputSchema.type, tool.name).toBe("object");
      expect(tool.outputSchema?.type, tool.name).toBe("object");
      // readOnlyHint defaults to false in the MCP spec, so only read-only tools say it.
      expect(tool.annotations?.readOnlyHint ?? false, tool.name).toBe(READ_ONLY_TOOLS.includes(tool.name));
    }
  });
});

describe("registry tools", () => {
  it("import_tools reads OpenAI function specs from a file, and a second import adds nothing", async () => {
    const first = structuredOf<{ imported: ToolSummary[]; skipped: unknown[] }>(await host.call("import_tools", { file: FUNCTIONS }));
    expect(first.imported).toHaveLength(FIXTURE_FUNCTIONS.count);
    expect(first.imported.every((tool) => tool.source === "imported")).toBe(true);
    expect(first.imported.map((tool) => tool.name)).toContain("book_reservation");

    const again = await host.call("import_tools", { file: FUNCTIONS });
    const second = structuredOf<{ imported: ToolSummary[]; skipped: Array<{ reason: string }> }>(again);
    expect(second.imported).toHaveLength(0);
    expect(second.skipped).toHaveLength(FIXTURE_FUNCTIONS.count);
    expect(second.skipped[0]?.reason).toMatch(/already imported as book_reservation/);
    expect(textOf(again)).toContain("imported 0 tool(s)");
  });

  it("import_tools takes an inline MCP tools/list result, sanitizes names and reports what it skipped", async () => {
    const result = await host.call("import_tools", {
      specs: {
        tools: [
          { name: "weather.get forecast", description: "Forecast for a city.", inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] }, annotations: { readOnlyHint: true } },
          { name: "no_schema", description: "Has no input schema." },
          { name: "bad_schema", inputSchema: { type: "object", properties: { x: { type: "no-such-type" } } } },
          { description: "nameless", inputSchema: { type: "object" } },
        ],
      },
    });
    const { imported, skipped } = structuredOf<{ imported: ToolSummary[]; skipped: Array<{ name: string; reason: string }> }>(result);
    expect(imported).toEqual([expect.objectContaining({ name: "weather_get_forecast", originalName: "weather.get forecast", readOnly: true })]);
    expect(skipped.map((entry) => entry.name)).toEqual(["no_schema", "bad_schema", "(entry 4)"]);
    expect(skipped[0]?.reason).toContain("no inputSchema");
    expect(skipped.map((entry) => entry.reason).join("\n")).toMatch(/does not compile/);
    expect(textOf(result)).toContain("skipped no_schema");
  });

  it("list_tools filters by source and text and pages with a cursor until the end", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = structuredOf<Page<ToolSummary>>(await host.call("list_tools", { source: "imported", limit: 10, ...(cursor ? { cursor } : {}) }));
      expect(page.items.length).toBeLessThanOrEqual(10);
      seen.push(...page.items.map((tool) => tool.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(FIXTURE_FUNCTIONS.count + 1);
    expect(new Set(seen).size).toBe(FIXTURE_FUNCTIONS.count + 1);

    const found = structuredOf<Page<ToolSummary>>(await host.call("list_tools", { text: "FORECAST" }));
    expect(found.items.map((tool) => tool.name)).toEqual(["weather_get_forecast"]);
    expect(found.nextCursor).toBeUndefined();
  });

  it("get_tool reads a tool by name or id", async () => {
    const byName = structuredOf<ToolRecord>(await host.call("get_tool", { tool: "cancel_reservation" }));
    expect(byName.origin).toMatchObject({ originalName: "cancel_reservation", format: "openai-functions", file: FUNCTIONS });
    const byId = structuredOf<ToolRecord>(await host.call("get_tool", { tool: byName.id }));
    expect(byId).toEqual(byName);
  });
});

describe("generation tools", () => {
  let domainId: string;
  let agent: AgentRecord;
  let task: TaskRecord;

  it("evolve_domains adds domains and synthesize_tools grows them into tools, with progress", async () => {
    const domains = structuredOf<{ runId: string; domains: Array<{ id: string; name: string }> }>(await host.call("evolve_domains", { count: 2 }));
    expect(domains.domains).toHaveLength(2);
    domainId = domains.domains[0]?.id as string;
    const progress: Progress[] = [];
    const tools = structuredOf<{ tools: ToolSummary[] }>(await host.call("synthesize_tools", { perDomain: 4 }, { onprogress: (event) => progress.push(event) }));
    expect(tools.tools).toHaveLength(8);
    expect(tools.tools.every((tool) => tool.source === "synthetic")).toBe(true);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ progress: 2, total: 2 });
  });

  it("evolving more domains than the taxonomy has left evolves new ones, never repeating a name", async () => {
    const more = structuredOf<{ domains: Array<{ name: string; parent?: string }> }>(await host.call("evolve_domains", { count: 3, seed: 5 }));
    const names = (await host.workspace.listDomains()).map((domain) => domain.name);
    expect(new Set(names).size).toBe(names.length);
    expect(more.domains).toHaveLength(3);
  });

  it("generate_agents and generate_tasks build on the registry", async () => {
    const agents = structuredOf<{ agents: Array<{ id: string; toolIds: string[] }> }>(await host.call("generate_agents", { count: 2, domainIds: [domainId] }));
    expect(agents.agents).toHaveLength(2);
    const tasks = structuredOf<{ tasks: Array<{ agentId: string }> }>(await host.call("generate_tasks", { count: 3, agentIds: agents.agents.map((a) => a.id) }));
    expect(tasks.tasks).toHaveLength(3);
  });

  it("create_agent takes tool names; create_task and update_task author a task", async () => {
    const domainTools = structuredOf<Page<ToolSummary>>(await host.call("list_tools", { domain: domainId }));
    const toolNames = domainTools.items.slice(0, 3).map((tool) => tool.name);
    agent = structuredOf<AgentRecord>(await host.call("create_agent", { name: "Hand-made desk", systemPrompt: "You help customers with their orders. Verify ids, confirm before changes.", tools: toolNames }));
    expect(agent.domainId).toBe(domainId);
    expect(agent.provenance.source).toBe("authored");

    const created = await host.call("create_task", {
      agentId: agent.id,
      goal: "Find out what happened to my last order and get it sorted out.",
      persona: { name: "Rita", style: "short and polite" },
      hiddenFacts: [{ key: "email", value: "rita@example.com", description: "your email address" }],
      rubric: { criteria: [{ id: "used-tool", kind: "rule", description: `${toolNames[0]} was called`, check: { type: "tool_called", tool: toolNames[0] } }, { id: "helpful", kind: "llm", description: "The assistant explained the outcome." }] },
    });
    task = structuredOf<TaskRecord>(created);
    expect(task.persona).toMatchObject({ name: "Rita", expertise: "intermediate", language: "en" });
    expect(textOf(created)).toContain(`created task ${task.id}`);

    expect(textOf(created)).toContain("the task has no blueprint");

    const { gate, ...updated } = structuredOf<TaskRecord & { gate: unknown }>(await host.call("update_task", { taskId: task.id, persona: { name: "Rita", style: "curt", patience: "low" }, difficulty: "hard" }));
    expect(updated).toMatchObject({ id: task.id, goal: task.goal, difficulty: "hard", persona: { style: "curt", patience: "low" } });
    expect(updated.rubric).toEqual(task.rubric);
    expect(gate).toEqual({ passed: false, problems: [{ reason: "missing_blueprint", detail: expect.any(String) }], verifiable: false });
    expect(await host.workspace.getTask(task.id)).toEqual(updated);
  });

  it("simulate, list_episodes, get_episode and get_stats inspect what was made", async () => {
    const simulated = structuredOf<{ runId: string; episodeIds: string[] }>(await host.call("simulate", { taskIds: [task.id], episodesPerTask: 2 }));
    expect(simulated.episodeIds).toHaveLength(2);

    const page = structuredOf<Page<{ id: string; runId: string; taskId: string }>>(await host.call("list_episodes", { runId: simulated.runId }));
    expect(page.items.map((episode) => episode.id)).toEqual(simulated.episodeIds);
    expect(page.items.every((episode) => episode.taskId === task.id)).toBe(true);

    const episodeResult = await host.call("get_episode", { episodeId: simulated.episodeIds[0] });
    const episode = structuredOf<EpisodeRecord>(episodeResult);
    expect(episode.messages[0]).toEqual({ role: "system", content: agent.systemPrompt });
    expect(textOf(episodeResult)).toContain("user: ");

    const stats = structuredOf<WorkspaceStats>(await host.call("get_stats"));
    // 5 evolved, and 2 the imports made: one named after the functions file, one for the inline specs.
    expect(stats.counts).toMatchObject({ domains: 5 + 2, tools: 8 + FIXTURE_FUNCTIONS.count + 1, agents: 3, tasks: 4, episodes: 2 });
    expect(stats.tools).toEqual({ real: 0, synthetic: 8, imported: FIXTURE_FUNCTIONS.count + 1 });
    expect(stats.verdicts.unjudged).toBe(2);
    expect(stats.usage.agent?.requests).toBeGreaterThan(0);
    expect(stats.runs.completed).toBe(stats.counts.runs);
  });
});

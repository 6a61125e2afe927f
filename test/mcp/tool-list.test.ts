import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestHost, seedTasks, structuredOf, type TestHost } from "../helpers/mcp-client.js";

/** What every host pays in context for our tool list, before its user says a word. */
const MAX_TOOL_LIST_BYTES = 40 * 1024;

let host: TestHost;
let tools: Map<string, Tool>;
let serialized: string;
beforeAll(async () => {
  host = await openTestHost();
  const listed = await host.client.listTools();
  serialized = JSON.stringify(listed);
  tools = new Map(listed.tools.map((tool) => [tool.name, tool]));
});
afterAll(async () => host.close());

const toolNamed = (name: string): Tool => {
  const tool = tools.get(name);
  if (!tool) throw new Error(`tools/list has no ${name}`);
  return tool;
};
const properties = (schema: { properties?: unknown }): Record<string, Record<string, unknown>> => (schema.properties ?? {}) as Record<string, Record<string, unknown>>;

describe("tools/list stays light for hosts", () => {
  it(`is under ${MAX_TOOL_LIST_BYTES / 1024} KB as a real client receives it`, () => {
    const sizes = [...tools.values()].map((tool) => `${tool.name} ${JSON.stringify(tool).length}`).join(", ");
    expect(Buffer.byteLength(serialized), `tools/list is ${Buffer.byteLength(serialized)} bytes: ${sizes}`).toBeLessThan(MAX_TOOL_LIST_BYTES);
  });

  it("leaves out what tells a host nothing: the JSON Schema dialect, safe-integer bounds, date-time regexes, spec-default hints", () => {
    expect(serialized).not.toContain("$schema");
    expect(serialized).not.toContain(String(Number.MAX_SAFE_INTEGER));
    expect(serialized).not.toContain("(?:(?:\\\\d\\\\d[2468][048]");
    expect(serialized).not.toContain("taskSupport");
    expect(toolNamed("get_stats").annotations).toEqual({ readOnlyHint: true, openWorldHint: false });
    expect(toolNamed("judge").annotations).toEqual({ destructiveHint: false });
  });

  it("keeps every constraint a caller must meet in the input schemas", () => {
    expect(properties(toolNamed("list_tools").inputSchema).limit).toMatchObject({ type: "integer", minimum: 1, maximum: 200 });
    expect(toolNamed("evolve_domains").inputSchema).toMatchObject({ required: ["count"], additionalProperties: false, properties: { count: { type: "integer", minimum: 1, maximum: 500 } } });
    const createTask = toolNamed("create_task").inputSchema;
    expect(createTask.required).toEqual(["agentId", "goal", "persona", "rubric"]);
    expect(JSON.stringify(properties(createTask).rubric)).toContain('"const":"final_state"');
  });

  it("names a large input field an earlier tool lists in full by reference, and still checks it in full", async () => {
    const rubric = properties(toolNamed("update_task").inputSchema).rubric;
    expect(rubric).toEqual({ type: "object", description: "same schema as create_task.rubric" });
    const [taskId] = await seedTasks(host.workspace, 1);
    const result = await host.call("update_task", { taskId, rubric: { criteria: [{ id: "x", kind: "rule", description: "d", check: { type: "teleported" } }] } });
    expect(result.isError).toBe(true);
  });

  it("describes outputs as deep as fits: a page names its items' fields, a stored record its own fields", async () => {
    const listTools = toolNamed("list_tools").outputSchema as unknown as { properties: { items: { items: { properties: Record<string, unknown> } } } };
    expect(Object.keys(listTools.properties.items.items.properties)).toEqual(["id", "name", "description", "source", "originalName", "domainId", "serverName", "readOnly", "effect", "auditPassed"]);
    const episode = toolNamed("get_episode").outputSchema as { properties: Record<string, { type?: unknown; properties?: unknown }> };
    expect(Object.keys(episode.properties)).toEqual(expect.arrayContaining(["id", "taskId", "messages", "steps", "worldState", "status", "endReason", "labels"]));
    expect(episode.properties.worldState).toEqual({ type: "object" });
    expect(toolNamed("update_task").outputSchema).toEqual({ type: "object", description: "as create_task returns" });
    // Results carry everything, and match what is listed (the test host checks every result against it).
    const [taskId] = (await host.workspace.listTasks()).map((task) => task.id);
    const simulated = structuredOf<{ episodeIds: string[] }>(await host.call("simulate", { taskIds: [taskId] }));
    const stored = structuredOf<{ worldState: { initial: unknown; final: unknown }; steps: unknown[] }>(await host.call("get_episode", { episodeId: simulated.episodeIds[0] }));
    expect(stored.worldState.final).toBeDefined();
    expect(stored.steps.length).toBeGreaterThan(0);
  });
});

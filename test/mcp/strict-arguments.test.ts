import { CallToolResultSchema, McpError, type CallToolResult, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestHost, seedTasks, structuredOf, textOf, type TestHost } from "../helpers/mcp-client.js";
import { snapshotDirectory } from "../helpers/store-snapshot.js";

let host: TestHost;
let tools: Tool[];
let domainId: string;
let taskId: string;
beforeAll(async () => {
  host = await openTestHost();
  [taskId] = (await seedTasks(host.workspace, 1)) as [string];
  domainId = (await host.workspace.store.domains.all())[0]?.id as string;
  await host.workspace.simulate({ taskIds: [taskId] });
  ({ tools } = await host.client.listTools());
});
afterAll(async () => host.close());

/** Call a tool with any params, even ones the client's types would not allow. */
async function callRaw(params: unknown): Promise<CallToolResult> {
  return (await host.client.request({ method: "tools/call", params } as never, CallToolResultSchema)) as CallToolResult;
}

/** The result of a call that must be refused, with proof that nothing stored changed. */
async function refused(name: string, args: unknown): Promise<string> {
  const before = await snapshotDirectory(host.workspace.dataDir);
  const result = await callRaw({ name, arguments: args });
  expect(result.isError).toBe(true);
  expect(await snapshotDirectory(host.workspace.dataDir)).toEqual(before);
  const text = textOf(result);
  expect(text).not.toMatch(/"code":|\[\s*\{/); // no raw zod issues
  return text;
}

describe("tool arguments are checked strictly", () => {
  it("list_episodes with a misspelt filter is an error naming the key, a likely fix and the accepted keys, not an unfiltered list", async () => {
    const text = await refused("list_episodes", { taskid: taskId });
    expect(text).toContain('unknown argument "taskid" (did you mean "taskId"?)');
    expect(text).toContain("list_episodes accepts: taskId, agentId, runId, status, cursor, limit");
    const filtered = structuredOf<{ items: Array<{ taskId: string }> }>(await host.call("list_episodes", { taskId }));
    expect(filtered.items.map((episode) => episode.taskId)).toEqual([taskId]);
  });

  it("synthesize_tools with domains instead of domainIds grows nothing", async () => {
    const toolsBefore = (await host.workspace.store.tools.all()).length;
    const text = await refused("synthesize_tools", { domains: [domainId], perDomain: 2 });
    expect(text).toContain('unknown argument "domains" (did you mean "domainIds"?); synthesize_tools accepts: domainIds, perDomain, seed');
    expect(await host.workspace.store.tools.all()).toHaveLength(toolsBefore);
  });

  it("names several unknown keys at once, and says when a tool takes no arguments", async () => {
    expect(await refused("list_tools", { sources: "real", page: 2 })).toContain('unknown arguments "sources" (did you mean "source"?), "page"; list_tools accepts: source, domain, server, text, cursor, limit');
    expect(await refused("get_stats", { verbose: true })).toContain('unknown argument "verbose"; get_stats takes no arguments');
  });

  it("checks objects inside the arguments too, naming where the unknown field is", async () => {
    expect(await refused("simulate", { filter: { agent: "agt_1" } })).toContain('unknown field "agent" (did you mean "agentId"?) (accepted: agentId, domainId, difficulty) at filter');
    const task = {
      agentId: "agt_1",
      goal: "Check my order.",
      persona: { name: "Ada", style: "brief", age: 41 },
      rubric: { criteria: [{ id: "called", kind: "rule", description: "looks the order up", check: { type: "tool_called", tool: "get_order", times: 1 } }] },
    };
    const text = await refused("create_task", task);
    expect(text).toContain('unknown field "age" (accepted: name, style, expertise, language, patience, background) at persona');
    expect(text).toContain('unknown field "times" (accepted: type, tool, args, min, max) at rubric.criteria[0].check');
    expect(await refused("filter", { caps: { perTask: 2, perDay: 1 } })).toContain('unknown field "perDay" (accepted: perTask, perAgent, perDomain) at caps');
  });

  it("leaves open what is open on purpose: world state, rule arguments and imported specs take any keys", async () => {
    const [agent] = await host.workspace.store.agents.all();
    const created = await host.call("create_task", {
      agentId: agent?.id,
      goal: "Look up my order.",
      persona: { name: "Ada", style: "brief" },
      initialState: { entities: { note: { "NOTE-1": { any: "thing", nested: { deep: true } } } } },
      rubric: { criteria: [{ id: "answered", kind: "rule", description: "stated the fact", check: { type: "final_state", path: "entities.note.NOTE-1.any", equals: { free: "form" } } }] },
    });
    expect(created.isError, textOf(created)).toBeFalsy();
    const imported = await host.call("import_tools", { specs: [{ name: "lookup_weather", description: "Weather.", parameters: { type: "object", properties: {} }, strict: true, x_vendor: 1 }], domain: "weather" });
    expect(imported.isError, textOf(imported)).toBeFalsy();
  });

  it("advertises every tool's input as closed (additionalProperties false), and checks nested shapes as strictly", async () => {
    for (const tool of tools) expect(tool.inputSchema, tool.name).toMatchObject({ type: "object", additionalProperties: false });
    const createTask = tools.find((tool) => tool.name === "create_task")?.inputSchema as { properties: Record<string, { additionalProperties?: unknown }> };
    expect(createTask.properties.initialState?.additionalProperties).not.toBe(false);
    // Nested objects are not marked closed in the list (to keep it light), yet an unknown nested field is refused by name.
    const [agent] = await host.workspace.listAgents();
    const persona = { name: "Ana", style: "brief", mood: "cheerful" };
    const result = await host.call("create_task", { agentId: agent?.id, goal: "g", persona, rubric: { criteria: [{ id: "c", kind: "llm", description: "d" }] } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain("mood");
  });

  it("every tool refuses an argument it does not know, before doing anything", async () => {
    for (const tool of tools) {
      const text = await refused(tool.name, { surplus_option: 1 });
      expect(text, tool.name).toContain('unknown argument "surplus_option"');
      expect(text, tool.name).toContain(tool.name);
    }
    expect((await host.call("get_stats")).isError).toBeFalsy();
  });
});

describe("malformed tool calls get a readable answer", () => {
  it.each([
    ["a string", "taskId=tsk_1", /got a string\./],
    ["JSON text instead of an object", '{"taskId":"tsk_1"}', /got a string\. It looks like JSON text: send the object itself/],
    ["an array", ["tsk_1"], /got an array/],
    ["null", null, /got null/],
  ])("arguments that are %s are an invalid-params error (-32602) that says so, not raw zod issues", async (_label, args, pattern) => {
    const before = await snapshotDirectory(host.workspace.dataDir);
    const error = await callRaw({ name: "list_episodes", arguments: args }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(-32602);
    const text = (error as McpError).message;
    expect(text).toMatch(/Invalid arguments for tool list_episodes: arguments must be a JSON object of named arguments/);
    expect(text).toMatch(pattern);
    expect(text).not.toMatch(/"code":|\[\s*\{/); // no raw zod issues
    expect(await snapshotDirectory(host.workspace.dataDir)).toEqual(before);
    expect((await host.call("get_stats")).isError).toBeFalsy();
  });

  it.each([
    ["a goal over 10,000 characters", "update_task", () => ({ taskId, goal: "g".repeat(10_001) }), /goal is 10001 characters long, more than the 10000 it may have/],
    ["a 9 MiB goal", "update_task", () => ({ taskId, goal: "g".repeat(9 * 1024 * 1024) }), /goal is 9437184 characters long/],
    ["a huge string deep inside", "update_task", () => ({ taskId, hiddenFacts: [{ key: "k", value: "v".repeat(100_001) }] }), /hiddenFacts\[0\]\.value is 100001 characters long, more than the 100000/],
  ])("%s is an invalid-params error naming the argument, and nothing is stored", async (_label, tool, args, pattern) => {
    const before = await snapshotDirectory(host.workspace.dataDir);
    const error = await callRaw({ name: tool, arguments: args() }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(-32602);
    expect((error as McpError).message).toMatch(pattern);
    expect(await snapshotDirectory(host.workspace.dataDir)).toEqual(before);
  });

  it("arguments nested 5,000 levels deep are an invalid-params error, not a stack overflow", async () => {
    let deep: Record<string, unknown> = {};
    for (let level = 0; level < 5000; level++) deep = { a: deep };
    const error = await callRaw({ name: "get_world_state", arguments: { episodeId: "ep_1", state: deep } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(-32602);
    expect((error as McpError).message).toMatch(/nested deeper than 64 levels/);
    expect((await host.call("get_stats")).isError).toBeFalsy();
  });

  it("a call without a tool name is an invalid-params error that says what is missing", async () => {
    const error = await callRaw({ arguments: {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(-32602);
    expect((error as McpError).message).toContain("params.name must be the name of a tool");
    expect((await host.call("get_stats")).isError).toBeFalsy();
  });
});

import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/domain/common.js";
import type { ModelRequest } from "../../src/model/language-model.js";
import { simulateEpisode } from "../../src/simulate/simulate-episode.js";
import { simulateToolCall } from "../../src/simulate/simulate-tool-call.js";
import { checkWorldConsistency } from "../../src/simulate/world-consistency.js";
import { createScriptedModel, type ScriptedReply } from "../helpers/scripted-model.js";
import { makeAgent, makeTask, makeTool } from "../helpers/records.js";
import { createTestEnv } from "../helpers/stage-env.js";

const state: JsonObject = { entities: { order: { "ORD-1001": { id: "ORD-1001", status: "shipped" } } } };
const createInput = {
  type: "object",
  properties: { city: { type: "string" } },
  required: ["city"],
} as const;
const tools = [makeTool("get_order"), makeTool("delete_order"), makeTool("create_order", { inputSchema: createInput, annotations: { readOnlyHint: false } })];
const agent = makeAgent(tools);
const task = makeTask(agent, { initialState: state });

function check(overrides: Partial<Parameters<typeof checkWorldConsistency>[0]>): string[] {
  return checkWorldConsistency({ args: {}, state, result: {}, isError: false, stateUpdate: [], deletedIds: new Set(), ...overrides });
}

describe("world-state rules", () => {
  it("rejects a create that overwrites an existing id, a not-found for an existing record and a success answer about a deleted one", () => {
    expect(check({ args: { city: "Porto" }, stateUpdate: [{ op: "set", path: ["entities", "order", "ORD-1001"], value: { id: "ORD-1001" } }] })[0]).toMatch(/already exists/);
    expect(check({ args: { order_id: "ORD-1001" }, stateUpdate: [{ op: "set", path: ["entities", "order", "ORD-1001"], value: { id: "ORD-1001", status: "cancelled" } }] })).toEqual([]);
    expect(check({ args: { city: "Porto" }, stateUpdate: [{ op: "set", path: ["entities", "order", "ORD-2002"], value: { id: "ORD-2002" } }] })).toEqual([]);
    expect(check({ args: { city: "Porto" }, stateUpdate: [{ op: "set", path: ["entities", "order", "ORD-7"], value: { id: "ORD-7" } }], deletedIds: new Set(["ORD-7"]) })[0]).toMatch(/never reused/);
    expect(check({ args: { order_id: "ORD-1001" }, isError: true, result: { error: "not_found", message: "No order ORD-1001." } })[0]).toMatch(/exists in the current state/);
    expect(check({ args: { order_id: "ORD-9999" }, isError: true, result: { error: "not_found", message: "No order ORD-9999." } })).toEqual([]);
    expect(check({ args: { order_id: "ORD-7" }, result: { id: "ORD-7", status: "shipped" }, deletedIds: new Set(["ORD-7"]) })[0]).toMatch(/was deleted earlier/);
    expect(check({ args: { order_id: "ORD-7" }, isError: true, result: { error: "not_found" }, deletedIds: new Set(["ORD-7"]) })).toEqual([]);
  });

  it("rejects a success for an id the state does not hold, unless the call creates it or the state keeps no such records", () => {
    expect(check({ args: { order_id: "ORD-4242" }, result: { id: "ORD-4242", status: "shipped" } })).toEqual([
      "it answers a success for ORD-4242, which is not in the state and was not created by this call; an id that is not in the state is not found",
    ]);
    expect(check({ args: { order_id: "4242" }, result: { status: "shipped" } })[0]).toMatch(/success for 4242/);
    expect(check({ args: { order_id: "ORD-4242" }, result: { id: "ORD-4242" }, stateUpdate: [{ op: "set", path: ["entities", "order", "ORD-4242"], value: { id: "ORD-4242" } }] })).toEqual([]);
    expect(check({ args: { ticket_id: "TCK-55" }, result: { id: "TCK-55" } })).toEqual([]);
    expect(check({ args: { order_id: "ORD-4242" }, result: { id: "ORD-4242" }, state: {} })).toEqual([]);
  });
});

/** An agent that runs `calls` one per turn, then answers. */
function agentCalling(calls: Array<{ name: string; arguments: string }>) {
  let index = 0;
  return createScriptedModel(() => (index < calls.length ? { toolCalls: [calls[index++] as { name: string; arguments: string }] } : { content: "Done." }));
}
const oneTurnUser = () => createScriptedModel((request) => (request.context?.purpose === "user-turn" && request.context.turn === 0 ? { message: "Please help with my order.", stop: false } : { message: "", stop: true }));
const limits = { maxTurns: 2, maxSteps: 40, maxToolCallsPerTurn: 10 };
const lastPrompt = (request: ModelRequest | undefined): string => request?.messages.at(-1)?.content ?? "";

describe("the tool simulator keeps the world consistent", () => {
  it("retries an answer that overwrites an existing id with the problem in the prompt, and takes the fixed answer", async () => {
    let attempt = 0;
    const toolSimulator = createScriptedModel(() => {
      const id = ++attempt === 1 ? "ORD-1001" : "ORD-2002";
      return { result: { id, status: "pending" }, isError: false, stateUpdate: [{ op: "set", path: ["entities", "order", id], value: { id, status: "pending" } }] };
    });
    const env = createTestEnv({ agent: agentCalling([{ name: "create_order", arguments: '{"city":"Porto"}' }]), toolSimulator, userSimulator: oneTurnUser() });
    const episode = await simulateEpisode(env, { task, agent, tools, index: 0, seed: 1, limits });
    expect(toolSimulator.requests).toHaveLength(2);
    expect(lastPrompt(toolSimulator.requests[1])).toMatch(/rejected: it contradicts the world state: .*ORD-1001.*already exists/);
    expect(episode.labels).not.toContain("state_inconsistent");
    expect(episode.worldState.final).toEqual({ entities: { order: { ...(state.entities as { order: JsonObject }).order, "ORD-2002": { id: "ORD-2002", status: "pending" } } } });
    expect(episode.faultAttribution).toBeUndefined();
  });

  it("labels the step and blames the tool simulator when a not-found for an existing record persists", async () => {
    const toolSimulator = createScriptedModel(() => ({ result: { error: "not_found", message: "No order with ID ORD-1001." }, isError: true, stateUpdate: [] }));
    const env = createTestEnv({ agent: agentCalling([{ name: "get_order", arguments: '{"order_id":"ORD-1001"}' }]), toolSimulator, userSimulator: oneTurnUser() });
    const episode = await simulateEpisode(env, { task, agent, tools, index: 0, seed: 1, limits });
    expect(toolSimulator.requests).toHaveLength(2);
    expect(lastPrompt(toolSimulator.requests[1])).toMatch(/ORD-1001 exists in the current state/);
    const step = episode.steps.find((candidate) => candidate.tool);
    expect(step?.labels).toContain("state_inconsistent");
    expect(episode.labels).toContain("state_inconsistent");
    expect(episode.faultAttribution).toBe("tool_simulator");
  });

  it("rejects a success answer about a record deleted earlier in the episode", async () => {
    const toolSimulator = createScriptedModel((request) => {
      if (request.context?.purpose !== "tool-simulation") throw new Error("expected a tool-simulation request");
      if (request.context.tool.name === "delete_order") return { result: { id: "ORD-1001", deleted: true }, isError: false, stateUpdate: [{ op: "delete", path: ["entities", "order", "ORD-1001"] }] };
      const rejected = lastPrompt(request).includes("was deleted earlier");
      return rejected ? { result: { error: "not_found", message: "No order with ID ORD-1001." }, isError: true, stateUpdate: [] } : { result: { id: "ORD-1001", status: "shipped" }, isError: false, stateUpdate: [] };
    });
    const calls = [{ name: "delete_order", arguments: '{"order_id":"ORD-1001"}' }, { name: "get_order", arguments: '{"order_id":"ORD-1001"}' }];
    const env = createTestEnv({ agent: agentCalling(calls), toolSimulator, userSimulator: oneTurnUser() });
    const episode = await simulateEpisode(env, { task, agent, tools, index: 0, seed: 1, limits });
    expect(toolSimulator.requests).toHaveLength(3);
    const read = episode.steps.filter((step) => step.tool).at(-1);
    expect(read?.tool).toMatchObject({ toolName: "get_order", outcome: "tool_error" });
    expect(episode.labels).not.toContain("state_inconsistent");
  });

  it("records a diff per step from which the state after any step can be rebuilt", async () => {
    const { rebuildWorldState } = await import("../../src/domain/world-state.js");
    let created = 0;
    const toolSimulator = createScriptedModel((request) => {
      if (request.context?.purpose !== "tool-simulation") throw new Error("expected a tool-simulation request");
      if (request.context.tool.name === "create_order") {
        const id = `ORD-${3000 + ++created}`;
        return { result: { id, status: "pending" }, isError: false, stateUpdate: [{ op: "set", path: ["entities", "order", id], value: { id, status: "pending" } }] };
      }
      if (request.context.tool.name === "delete_order") return { result: { id: "ORD-1001", deleted: true }, isError: false, stateUpdate: [{ op: "delete", path: ["entities", "order", "ORD-1001"] }] };
      return { result: { id: "ORD-3001", status: "pending" }, isError: false, stateUpdate: [] };
    });
    const calls = [
      { name: "create_order", arguments: '{"city":"Porto"}' },
      { name: "create_order", arguments: '{"city":"Lyon"}' },
      { name: "delete_order", arguments: '{"order_id":"ORD-1001"}' },
      { name: "get_order", arguments: '{"order_id":"ORD-3001"}' },
    ];
    const env = createTestEnv({ agent: agentCalling(calls), toolSimulator, userSimulator: oneTurnUser() });
    const episode = await simulateEpisode(env, { task, agent, tools, index: 0, seed: 1, limits });
    const toolSteps = episode.steps.filter((step) => step.tool);
    expect(toolSteps.map((step) => step.tool?.stateDiff.length)).toEqual([1, 1, 1, 0]);
    expect(rebuildWorldState(episode.worldState.initial, episode.steps)).toEqual(episode.worldState.final);
    const afterSecond = rebuildWorldState(episode.worldState.initial, episode.steps, toolSteps[1]?.index);
    expect(Object.keys((afterSecond.entities as { order: JsonObject }).order).sort()).toEqual(["ORD-1001", "ORD-3001", "ORD-3002"]);
    expect(episode.worldState.final).toEqual({ entities: { order: { "ORD-3001": { id: "ORD-3001", status: "pending" }, "ORD-3002": { id: "ORD-3002", status: "pending" } } } });
  });
});

describe("the tool simulator's prompt", () => {
  it("retries a success invented for a fabricated id, telling the simulator that an unknown id is not found", async () => {
    const toolSimulator = createScriptedModel((request) =>
      lastPrompt(request).includes("not in the state")
        ? { result: { error: "not_found", message: "No order with ID ORD-4242 exists." }, isError: true, stateUpdate: [] }
        : { result: { id: "ORD-4242", status: "shipped" }, isError: false, stateUpdate: [] },
    );
    const env = createTestEnv({ agent: agentCalling([{ name: "get_order", arguments: '{"order_id":"ORD-4242"}' }]), toolSimulator, userSimulator: oneTurnUser() });
    const episode = await simulateEpisode(env, { task, agent, tools, index: 0, seed: 1, limits });
    expect(toolSimulator.requests).toHaveLength(2);
    expect(toolSimulator.requests[1]?.context).toMatchObject({ feedback: [expect.stringMatching(/success for ORD-4242, which is not in the state/)] });
    expect(episode.steps.find((step) => step.tool)?.tool).toMatchObject({ outcome: "tool_error", execution: "simulated" });
    expect(episode.labels).not.toContain("state_inconsistent");
  });

  it("states the domain and its entities, what to do with an unknown id, persistence and realistic values", async () => {
    const toolSimulator = createScriptedModel(() => ({ result: { id: "ORD-1001", status: "shipped" }, isError: false, stateUpdate: [] }));
    const tool = tools[0];
    if (!tool) throw new Error("no tool");
    const { SCHEMA_VERSION } = await import("../../src/domain/common.js");
    const { ORDER } = await import("../world/world-fixtures.js");
    const domain = { id: "dom_shop", kind: "domain" as const, createdAt: "2026-01-01T00:00:00.000Z", schemaVersion: SCHEMA_VERSION, provenance: { source: "test", models: {}, promptHashes: [] }, category: "Commerce", name: "shop", title: "Shop", description: "A small shop.", organization: "Corner Shop", entities: [ORDER] };
    const withDomain = { ...tool, domainId: domain.id };
    const call = { id: "call_1", type: "function" as const, function: { name: "get_order", arguments: '{"order_id":"ORD-1001"}' } };
    await simulateToolCall(createTestEnv({ toolSimulator }), { call, tools: new Map([[tool.name, withDomain]]), state, history: [], seed: 1, domains: [domain] }, withDomain, { order_id: "ORD-1001" });
    const prompt = (toolSimulator.requests[0]?.messages ?? []).map((message) => message.content).join("\n");
    expect(prompt).toContain("Corner Shop");
    expect(prompt).toContain(JSON.stringify(ORDER.fields[0]));
    expect(prompt).toMatch(/An id that is not in the state is not found/);
    expect(prompt).toMatch(/Every record you return must be persisted through the state update/);
    expect(prompt).toMatch(/never placeholders/);
  });
});

describe("recorded real calls", () => {
  it("go into the tool simulator's prompt and context", async () => {
    const examples = [{ tool: "get_order", arguments: { order_id: "ORD-5" }, result: { id: "ORD-5", status: "delivered" } }];
    const toolSimulator = createScriptedModel((): ScriptedReply | Record<string, unknown> => ({ result: { id: "ORD-1001", status: "shipped" }, isError: false, stateUpdate: [] }));
    const env = createTestEnv({ toolSimulator });
    const tool = tools[0];
    if (!tool) throw new Error("no tool");
    const call = { id: "call_1", type: "function" as const, function: { name: "get_order", arguments: '{"order_id":"ORD-1001"}' } };
    await simulateToolCall(env, { call, tools: new Map([[tool.name, tool]]), state, history: [], seed: 1, examples }, tool, { order_id: "ORD-1001" });
    const request = toolSimulator.requests[0];
    expect(request?.context).toMatchObject({ purpose: "tool-simulation", examples });
    expect(lastPrompt(request)).toContain(`Recorded real calls of this tool: ${JSON.stringify(examples)}`);
  });
});

import { describe, expect, it } from "vitest";
import { SCHEMA_VERSION, type JsonObject } from "../../src/domain/common.js";
import type { DomainRecord } from "../../src/domain/domain.js";
import { EpisodeRecordSchema } from "../../src/domain/episode.js";
import type { ModelRequest } from "../../src/model/language-model.js";
import { simulateEpisode } from "../../src/simulate/simulate-episode.js";
import { executeBlueprint, toBlueprintTools } from "../../src/world/blueprint.js";
import { makeAgent, makeTask, makeTool } from "../helpers/records.js";
import { createScriptedModel } from "../helpers/scripted-model.js";
import { createTestEnv } from "../helpers/stage-env.js";
import { ORDER, SHOP_TOOLS, shopState } from "../world/world-fixtures.js";

const SHOP: DomainRecord = { id: "dom_shop", kind: "domain", createdAt: "2026-01-01T00:00:00.000Z", schemaVersion: SCHEMA_VERSION, provenance: { source: "test", models: {}, promptHashes: [] }, category: "Commerce", name: "shop", title: "Shop", description: "A small shop.", organization: "Corner Shop", entities: [ORDER] };
const tools = [SHOP_TOOLS.getOrder, SHOP_TOOLS.cancelOrder].map((tool) => makeTool(tool.name, { inputSchema: tool.inputSchema, outputSchema: tool.outputSchema, effect: tool.effect, domainId: SHOP.id }));
const agent = makeAgent(tools, { domainId: SHOP.id, domainIds: [SHOP.id] });
const actions = [
  { tool: "get_order", arguments: { order_id: "ORD-10001" } },
  { tool: "cancel_order", arguments: { order_id: "ORD-10001" } },
];
const task = makeTask(agent, {
  initialState: shopState(),
  hiddenFacts: [{ key: "order_id", value: "ORD-10001", description: "your order number" }],
  blueprint: { actions, answerFacts: ["cancelled"], finalState: executeBlueprint(actions, toBlueprintTools(tools, [SHOP]), shopState()).finalState },
});
const limits = { maxTurns: 3, maxSteps: 40, maxToolCallsPerTurn: 10 };

const user = () =>
  createScriptedModel((request: ModelRequest) => {
    const turn = request.context?.purpose === "user-turn" ? request.context.turn : 0;
    return turn === 0 ? { message: "Please cancel my order ORD-10001.", stop: false } : { message: "", stop: true };
  });

/** An agent that makes the given calls in one turn, then answers with `answer`. */
function agentCalling(calls: Array<{ name: string; arguments: JsonObject }>, answer: string) {
  let turn = 0;
  return createScriptedModel(() => (turn++ === 0 ? { toolCalls: calls.map((call) => ({ name: call.name, arguments: JSON.stringify(call.arguments) })) } : { content: answer }));
}

/** A tool simulator that must not be asked: tools with an effect run in the environment. */
const silentSimulator = () => createScriptedModel(() => new Error("the tool simulator was asked about a tool with an effect"));

describe("tools with a declared effect in an episode", () => {
  it("run in the environment with no model request, record the state diff, and the episode is verified against the blueprint", async () => {
    const toolSimulator = silentSimulator();
    const env = createTestEnv({ userSimulator: user(), agent: agentCalling([{ name: "get_order", arguments: { order_id: "ORD-10001" } }, { name: "cancel_order", arguments: { order_id: "ORD-10001" } }], "Done: order ORD-10001 is now cancelled."), toolSimulator });
    const episode = await simulateEpisode(env, { task, agent, tools, domains: [SHOP], index: 0, seed: 1, limits });
    expect(() => EpisodeRecordSchema.parse(episode)).not.toThrow();
    expect(toolSimulator.requests).toHaveLength(0);
    const toolSteps = episode.steps.flatMap((step) => (step.tool ? [{ ...step.tool, model: step.model }] : []));
    expect(toolSteps.map((step) => [step.execution, step.outcome, step.model])).toEqual([["environment", "ok", undefined], ["environment", "ok", undefined]]);
    expect(toolSteps[1]?.stateDiff).toEqual([{ op: "set", path: ["entities", "order", "ORD-10001"], value: { ...(shopState().entities as Record<string, Record<string, JsonObject>>).order?.["ORD-10001"], status: "cancelled" } }]);
    expect(episode.verification).toEqual({ applicable: true, stateMatches: true, missingFacts: [], diff: [] });
  });

  it("answer a fabricated id with not found, and an episode that leaves the wrong state fails verification with the diff", async () => {
    const env = createTestEnv({ userSimulator: user(), agent: agentCalling([{ name: "cancel_order", arguments: { order_id: "ORD-77777" } }, { name: "cancel_order", arguments: { order_id: "ORD-10003" } }], "I have taken care of it for you."), toolSimulator: silentSimulator() });
    const episode = await simulateEpisode(env, { task, agent, tools, domains: [SHOP], index: 0, seed: 1, limits });
    expect(episode.messages.filter((message) => message.role === "tool").map((message) => JSON.parse(message.content))[0]).toEqual({ error: "order_not_found", message: "No order with ID ORD-77777 exists." });
    expect(episode.verification).toMatchObject({ applicable: true, stateMatches: false, missingFacts: ["cancelled"] });
    expect(episode.verification?.diff).toEqual([
      { path: ["entities", "order", "ORD-10001", "status"], expected: "cancelled", actual: "pending" },
      { path: ["entities", "order", "ORD-10003", "status"], expected: "paid", actual: "cancelled" },
    ]);
  });

  it("keeps seeded faults first: a blocked call changes nothing and still asks no model", async () => {
    const toolSimulator = silentSimulator();
    const env = createTestEnv({ userSimulator: user(), agent: agentCalling([{ name: "cancel_order", arguments: { order_id: "ORD-10001" } }], "It failed, sorry."), toolSimulator });
    const faults = { error: 1, timeout: 0, empty: 0, partial: 0, rate_limit: 0 };
    const episode = await simulateEpisode(env, { task, agent, tools, domains: [SHOP], index: 0, seed: 1, limits: { ...limits, faults } });
    expect(toolSimulator.requests).toHaveLength(0);
    expect(episode.steps.flatMap((step) => (step.tool ? [[step.tool.execution, step.tool.outcome]] : []))).toEqual([["environment", "fault"]]);
    expect(episode.worldState.final).toEqual(shopState());
    expect(episode.verification).toMatchObject({ applicable: true, stateMatches: false });
  });

  it("says verification does not apply when the task has no blueprint or a tool was answered outside the environment", async () => {
    const noBlueprint = makeTask(agent, { initialState: shopState() });
    const env = createTestEnv({ userSimulator: user(), agent: agentCalling([], "Hello."), toolSimulator: silentSimulator() });
    expect((await simulateEpisode(env, { task: noBlueprint, agent, tools, domains: [SHOP], index: 0, seed: 1, limits })).verification).toEqual({ applicable: false, reason: "the task has no blueprint", missingFacts: [], diff: [] });
    const freeForm = makeTool("lookup_weather", { inputSchema: { type: "object", properties: { city: { type: "string" } } } });
    const simulator = createScriptedModel(() => ({ result: { forecast: "sunny" }, isError: false, stateUpdate: [] }));
    const mixed = createTestEnv({ userSimulator: user(), agent: agentCalling([{ name: "lookup_weather", arguments: { city: "Lisbon" } }], "Sunny."), toolSimulator: simulator });
    const episode = await simulateEpisode(mixed, { task, agent: makeAgent([...tools, freeForm]), tools: [...tools, freeForm], domains: [SHOP], index: 0, seed: 1, limits });
    expect(episode.verification).toMatchObject({ applicable: false, reason: "lookup_weather was answered by the tool simulator, not the environment" });
  });
});

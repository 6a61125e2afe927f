import { describe, expect, it } from "vitest";
import { EpisodeRecordSchema } from "../../src/domain/episode.js";
import type { ModelRequest } from "../../src/model/language-model.js";
import { simulateEpisode } from "../../src/simulate/simulate-episode.js";
import { createScriptedModel } from "../helpers/scripted-model.js";
import { makeAgent, makeTask, makeTool } from "../helpers/records.js";
import { createTestEnv } from "../helpers/stage-env.js";

const tools = [makeTool("get_order"), makeTool("cancel_order", { annotations: { destructiveHint: true } })];
const agent = makeAgent(tools);
const task = makeTask(agent);
const limits = { maxTurns: 4, maxSteps: 40, maxToolCallsPerTurn: 10 };

/** A user who asks, gives the id, then stops once the agent answered twice. */
function scriptedUser() {
  return createScriptedModel((request: ModelRequest) => {
    const turn = request.context?.purpose === "user-turn" ? request.context.turn : 0;
    if (turn === 0) return { message: "Where is my order? Please cancel it.", stop: false };
    if (turn === 1) return { message: "It's ORD-1001.", stop: false };
    return { message: "", stop: true };
  });
}

const toolSimulator = () =>
  createScriptedModel((request) => {
    if (request.context?.purpose !== "tool-simulation") throw new Error("expected a tool-simulation request");
    const id = String(request.context.arguments.order_id);
    const status = request.context.tool.name === "cancel_order" ? "cancelled" : "shipped";
    return { result: { id, status }, isError: false, stateUpdate: status === "cancelled" ? [{ op: "set", path: ["entities", "order", id, "status"], value: "cancelled" }] : [] };
  });

describe("simulateEpisode", () => {
  it("runs user ⇄ agent ⇄ tools until the user stops, recording steps and state diffs", async () => {
    let agentCalls = 0;
    const agentModel = createScriptedModel(() => {
      agentCalls++;
      if (agentCalls === 1) return { content: "Sure — what is your order number?" };
      if (agentCalls === 2) return { toolCalls: [{ id: "call_a", name: "get_order", arguments: '{"order_id":"ORD-1001"}' }, { id: "call_b", name: "cancel_order", arguments: '{"order_id":"ORD-1001"}' }] };
      return { content: "Order ORD-1001 was shipped and is now cancelled.", reasoning: "Both calls succeeded." };
    });
    const env = createTestEnv({ userSimulator: scriptedUser(), agent: agentModel, toolSimulator: toolSimulator() });
    const episode = await simulateEpisode(env, { task, agent, tools, index: 0, seed: 1, limits });

    expect(() => EpisodeRecordSchema.parse(episode)).not.toThrow();
    expect(episode.endReason).toBe("user_stop");
    expect(episode.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user", "assistant", "tool", "tool", "assistant"]);
    expect(episode.steps).toHaveLength(episode.messages.length);
    const toolSteps = episode.steps.filter((step) => step.tool);
    expect(toolSteps.map((step) => step.tool?.execution)).toEqual(["simulated", "simulated"]);
    expect(toolSteps[1]?.tool?.stateDiff).toEqual([{ op: "set", path: ["entities", "order", "ORD-1001", "status"], value: "cancelled" }]);
    expect(episode.worldState.final).toEqual({ entities: { order: { "ORD-1001": { id: "ORD-1001", status: "cancelled" } } } });
    expect(episode.worldState.initial).toEqual(task.initialState);
    const last = episode.messages.at(-1);
    expect(last?.role === "assistant" && last.reasoning_content).toBe("Both calls succeeded.");
    expect(episode.provenance.promptHashes.length).toBeGreaterThan(0);
  });

  it("answers invalid calls with an error result the agent sees, and counts them", async () => {
    let agentCalls = 0;
    const agentModel = createScriptedModel(() => {
      agentCalls++;
      if (agentCalls === 1) return { toolCalls: [{ name: "get_order", arguments: "{not json" }, { name: "refund_everything", arguments: "{}" }, { name: "get_order", arguments: '{"order_id":"nope"}' }] };
      return { content: "I could not look that up." };
    });
    const env = createTestEnv({ userSimulator: scriptedUser(), agent: agentModel, toolSimulator: toolSimulator() });
    const episode = await simulateEpisode(env, { task, agent, tools, index: 0, seed: 1, limits: { ...limits, maxTurns: 1 } });
    const toolMessages = episode.messages.filter((m) => m.role === "tool");
    expect(toolMessages).toHaveLength(3);
    expect(toolMessages.map((m) => JSON.parse(m.content).error)).toEqual(["invalid_call", "invalid_call", "invalid_call"]);
    expect(toolMessages[0]?.content).toContain("not valid JSON");
    expect(JSON.parse(toolMessages[1]?.content ?? "{}").message).toContain('Unknown tool "refund_everything"');
    expect(toolMessages[2]?.content).toContain("pattern");
    expect(episode.steps.filter((s) => s.tool?.outcome === "invalid_call")).toHaveLength(3);
    expect(episode.labels).toContain("invalid_tool_call");
    expect(episode.endReason).toBe("max_turns");
  });

  it("labels a tool simulator that answers garbage instead of crashing", async () => {
    let agentCalls = 0;
    const agentModel = createScriptedModel(() => (++agentCalls === 1 ? { toolCalls: [{ name: "get_order", arguments: '{"order_id":"ORD-1001"}' }] } : { content: "The service is down, sorry." }));
    const badSimulator = createScriptedModel(() => ({ content: "I am not JSON" }));
    const env = createTestEnv({ userSimulator: scriptedUser(), agent: agentModel, toolSimulator: badSimulator });
    const episode = await simulateEpisode(env, { task, agent, tools, index: 0, seed: 1, limits: { ...limits, maxTurns: 1 } });
    expect(episode.labels).toContain("tool_simulator_invalid_output");
    expect(episode.steps.find((s) => s.tool)?.tool?.outcome).toBe("tool_error");
    expect(badSimulator.requests).toHaveLength(2); // the answer and one repair attempt
  });

  it("retries a tool result that misses the output schema once, then labels it", async () => {
    let agentCalls = 0;
    const agentModel = createScriptedModel(() => (++agentCalls === 1 ? { toolCalls: [{ name: "get_order", arguments: '{"order_id":"ORD-1001"}' }] } : { content: "Done." }));
    const sloppy = createScriptedModel(() => ({ result: { status: "shipped" }, isError: false, stateUpdate: [] }));
    const env = createTestEnv({ userSimulator: scriptedUser(), agent: agentModel, toolSimulator: sloppy });
    const episode = await simulateEpisode(env, { task, agent, tools, index: 0, seed: 1, limits: { ...limits, maxTurns: 1 } });
    expect(sloppy.requests).toHaveLength(2);
    expect(sloppy.requests[1]?.messages.at(-1)?.content).toContain("output schema");
    expect(episode.labels).toContain("output_schema_mismatch");
  });

  it("ends labelled, not crashed, when the user simulator keeps answering garbage", async () => {
    const env = createTestEnv({ userSimulator: createScriptedModel(() => ({ content: "" })), agent: createScriptedModel(() => ({ content: "hi" })) });
    const episode = await simulateEpisode(env, { task, agent, tools, index: 0, seed: 1, limits });
    expect(episode.status).toBe("failed");
    expect(episode.endReason).toBe("error");
    expect(episode.labels).toContain("user_simulator_invalid_output");
  });

  it("stops at maxSteps", async () => {
    const looping = createScriptedModel(() => ({ toolCalls: [{ name: "get_order", arguments: '{"order_id":"ORD-1001"}' }] }));
    const env = createTestEnv({ userSimulator: scriptedUser(), agent: looping, toolSimulator: toolSimulator() });
    const episode = await simulateEpisode(env, { task, agent, tools, index: 0, seed: 1, limits: { ...limits, maxSteps: 9 } });
    expect(episode.endReason).toBe("max_steps");
    expect(episode.messages.length).toBeLessThanOrEqual(10);
  });

  it("answers parallel calls of one turn in order, each against the state the previous one left", async () => {
    let agentCalls = 0;
    const agentModel = createScriptedModel(() =>
      ++agentCalls === 1
        ? { toolCalls: [{ id: "call_1", name: "cancel_order", arguments: '{"order_id":"ORD-1001"}' }, { id: "call_2", name: "get_order", arguments: '{"order_id":"ORD-1001"}' }, { id: "call_3", name: "get_order", arguments: '{"order_id":"ORD-1002"}' }] }
        : { content: "Done." },
    );
    const seen: string[] = [];
    const statefulSimulator = createScriptedModel((request) => {
      if (request.context?.purpose !== "tool-simulation") throw new Error("expected a tool-simulation request");
      const id = String(request.context.arguments.order_id);
      const order = (request.context.state.entities as { order: Record<string, { status: string }> }).order[id];
      seen.push(`${request.context.tool.name}:${order?.status ?? "missing"}`);
      if (!order) return { result: { error: "not_found", message: `No order ${id}.` }, isError: true, stateUpdate: [] };
      if (request.context.tool.name === "cancel_order") return { result: { id, status: "cancelled" }, isError: false, stateUpdate: [{ op: "set", path: ["entities", "order", id, "status"], value: "cancelled" }] };
      return { result: { id, status: order.status }, isError: false, stateUpdate: [] };
    });
    const env = createTestEnv({ userSimulator: scriptedUser(), agent: agentModel, toolSimulator: statefulSimulator });
    const episode = await simulateEpisode(env, { task, agent, tools, index: 0, seed: 1, limits: { ...limits, maxTurns: 1 } });
    const answers = episode.messages.filter((message) => message.role === "tool");
    expect(answers.map((message) => (message.role === "tool" ? message.tool_call_id : ""))).toEqual(["call_1", "call_2", "call_3"]);
    expect(seen).toEqual(["cancel_order:shipped", "get_order:cancelled", "get_order:missing"]);
    expect(JSON.parse(answers[1]?.content ?? "{}")).toEqual({ id: "ORD-1001", status: "cancelled" });
  });

  it("runs to 300 steps and beyond when configured", async () => {
    const looping = createScriptedModel(() => ({ toolCalls: [{ name: "get_order", arguments: '{"order_id":"ORD-1001"}' }, { name: "get_order", arguments: '{"order_id":"ORD-1001"}' }] }));
    const env = createTestEnv({ userSimulator: scriptedUser(), agent: looping, toolSimulator: toolSimulator() });
    const episode = await simulateEpisode(env, { task, agent, tools, index: 0, seed: 1, limits: { ...limits, maxSteps: 320 } });
    expect(episode.endReason).toBe("max_steps");
    expect(episode.messages.length).toBeGreaterThanOrEqual(320);
    expect(episode.messages.length).toBeLessThanOrEqual(322);
    expect(episode.steps).toHaveLength(episode.messages.length);
  });

  it("caps tool calls per assistant turn", async () => {
    let agentCalls = 0;
    const agentModel = createScriptedModel(() =>
      ++agentCalls === 1 ? { toolCalls: Array.from({ length: 3 }, () => ({ name: "get_order", arguments: '{"order_id":"ORD-1001"}' })) } : { content: "Done." },
    );
    const env = createTestEnv({ userSimulator: scriptedUser(), agent: agentModel, toolSimulator: toolSimulator() });
    const episode = await simulateEpisode(env, { task, agent, tools, index: 0, seed: 1, limits: { ...limits, maxTurns: 1, maxToolCallsPerTurn: 2 } });
    expect(episode.labels).toContain("too_many_tool_calls");
    expect(episode.messages.filter((m) => m.role === "tool")).toHaveLength(3);
  });
});

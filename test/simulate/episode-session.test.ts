import { describe, expect, it } from "vitest";
import { EpisodeRecordSchema } from "../../src/domain/episode.js";
import { CancelledError } from "../../src/errors/cancelled-error.js";
import { EpisodeSession } from "../../src/simulate/episode-session.js";
import { createScriptedModel } from "../helpers/scripted-model.js";
import { makeAgent, makeTask, makeTool } from "../helpers/records.js";
import { createTestEnv } from "../helpers/stage-env.js";

const tools = [makeTool("get_order"), makeTool("cancel_order")];
const agent = makeAgent(tools);
const task = makeTask(agent);
const limits = { maxTurns: 3, maxSteps: 20, maxToolCallsPerTurn: 4 };

const orderAgent = () =>
  createScriptedModel((request) => (request.messages.at(-1)?.role === "user" ? { toolCalls: [{ name: "get_order", arguments: '{"order_id":"ORD-1001"}' }] } : { content: "ORD-1001 has shipped." }));
const toolSimulator = () => createScriptedModel(() => ({ result: { id: "ORD-1001", status: "shipped" }, isError: false, stateUpdate: [] }));

describe("EpisodeSession driven by a host speaking as the user", () => {
  it("adds the host's messages and runs the agent with its tools until it answers", async () => {
    const env = createTestEnv({ agent: orderAgent(), toolSimulator: toolSimulator() });
    const session = new EpisodeSession(env, { task, agent, tools, index: 0, seed: 3, limits, source: "simulate:interactive" });
    session.addUserMessage("Where is ORD-1001?", { actor: "user_simulator", latencyMs: 0, labels: ["host_user"] });
    expect(await session.runAgentUntilAnswer()).toBe(true);
    expect(session.messages.map((message) => message.role)).toEqual(["system", "user", "assistant", "tool", "assistant"]);
    expect(session.userTurns).toBe(1);
    session.end("user_stop");
    expect(() => session.addUserMessage("more")).toThrow(/has ended/);

    const record = session.toRecord("ep_live_1");
    expect(() => EpisodeRecordSchema.parse(record)).not.toThrow();
    expect(record).toMatchObject({ id: "ep_live_1", status: "completed", endReason: "user_stop", provenance: { source: "simulate:interactive" } });
    expect(record.steps[1]?.labels).toEqual(["host_user"]);
    expect(record.steps.find((step) => step.tool)?.tool).toMatchObject({ toolName: "get_order", execution: "simulated", outcome: "ok" });
  });

  it("ends at maxSteps, and a per-call signal cancels a turn", async () => {
    const looping = createScriptedModel(() => ({ toolCalls: [{ name: "get_order", arguments: '{"order_id":"ORD-1001"}' }] }));
    const session = new EpisodeSession(createTestEnv({ agent: looping, toolSimulator: toolSimulator() }), { task, agent, tools, index: 0, seed: 3, limits: { ...limits, maxSteps: 6 } });
    session.addUserMessage("Where is it?");
    expect(await session.runAgentUntilAnswer()).toBe(false);
    expect(session).toMatchObject({ ended: true, endReason: "max_steps" });

    const controller = new AbortController();
    controller.abort();
    const other = new EpisodeSession(createTestEnv({ agent: orderAgent(), toolSimulator: toolSimulator() }), { task, agent, tools, index: 0, seed: 3, limits });
    other.addUserMessage("Hello");
    await expect(other.runAgentUntilAnswer(controller.signal)).rejects.toBeInstanceOf(CancelledError);
  });
});

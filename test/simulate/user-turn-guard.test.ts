import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../src/domain/message.js";
import type { ModelRequest } from "../../src/model/language-model.js";
import { simulateEpisode } from "../../src/simulate/simulate-episode.js";
import { checkUserMessage, findPendingConfirmation, isPrematureStop } from "../../src/simulate/user-turn-guard.js";
import { createScriptedModel } from "../helpers/scripted-model.js";
import { makeAgent, makeTask, makeTool } from "../helpers/records.js";
import { createTestEnv } from "../helpers/stage-env.js";

const tools = [makeTool("get_order"), makeTool("cancel_order", { annotations: { destructiveHint: true } })];
const agent = makeAgent(tools);
const task = makeTask(agent);
const limits = { maxTurns: 6, maxSteps: 40, maxToolCallsPerTurn: 10 };
const PROPOSAL = "Order ORD-1001 has shipped. I can cancel it for you. Shall I go ahead?";

const turnOf = (request: ModelRequest): number => (request.context?.purpose === "user-turn" ? request.context.turn : -1);
const rejectedStop = (request: ModelRequest): boolean => request.context?.purpose === "user-turn" && request.context.stopRejected === true;

/** An agent that proposes the cancellation, cancels once the user says yes, then reports it. */
function proposingAgent() {
  return createScriptedModel((request) => {
    const last = request.messages.at(-1);
    if (last?.role === "tool") return { content: "Order ORD-1001 is now cancelled." };
    if (last?.role === "user" && /yes/i.test(last.content)) return { toolCalls: [{ name: "cancel_order", arguments: '{"order_id":"ORD-1001"}' }] };
    return { content: PROPOSAL };
  });
}
const toolSimulator = () =>
  createScriptedModel(() => ({ result: { id: "ORD-1001", status: "cancelled" }, isError: false, stateUpdate: [{ op: "set", path: ["entities", "order", "ORD-1001", "status"], value: "cancelled" }] }));

describe("the guard on the user simulator's stop", () => {
  it("knows a confirmation request from a closing question", () => {
    const withLast = (content: string): ChatMessage[] => [{ role: "system", content: "s" }, { role: "user", content: "hi" }, { role: "assistant", content }];
    expect(findPendingConfirmation(withLast(PROPOSAL))).toBe(PROPOSAL);
    expect(findPendingConfirmation(withLast("I'm about to cancel ORD-1001. Do you want me to proceed?"))).toBeDefined();
    expect(findPendingConfirmation(withLast("Please confirm that you want to cancel ORD-1001."))).toBeDefined();
    expect(findPendingConfirmation(withLast("Done — ORD-1001 is cancelled. Is there anything else I can help you with?"))).toBeUndefined();
    expect(findPendingConfirmation(withLast("Could you give me your order ID?"))).toBeUndefined();
    expect(isPrematureStop(withLast(PROPOSAL), { message: "Thanks, bye!", stop: true })).toBe(true);
    expect(isPrematureStop(withLast(PROPOSAL), { message: "No, leave it as it is. Bye.", stop: true })).toBe(false);
    expect(isPrematureStop(withLast(PROPOSAL), { message: "Yes please.", stop: false })).toBe(false);
  });

  it("rejects a stop right after a confirmation request and samples the turn again with a note; the episode goes on", async () => {
    const user = createScriptedModel((request) => {
      if (turnOf(request) === 0) return { message: "Where is my order ORD-1001?", stop: false };
      if (turnOf(request) === 1) return rejectedStop(request) ? { message: "Yes, cancel it.", stop: false } : { message: "Great, thanks!", stop: true };
      return { message: "Thanks!", stop: true };
    });
    const env = createTestEnv({ agent: proposingAgent(), toolSimulator: toolSimulator(), userSimulator: user });
    const episode = await simulateEpisode(env, { task, agent, tools, index: 0, seed: 1, limits });
    const [first, resampled] = user.requests.filter((request) => turnOf(request) === 1);
    expect(resampled?.seed).not.toBe(first?.seed);
    expect(resampled?.messages.at(-1)?.content).toMatch(/you tried to end the conversation, but the assistant has just asked you to confirm/);
    expect(episode.labels).toContain("premature_stop_rejected");
    expect(episode.labels).not.toContain("user_stopped_before_confirmed_action");
    expect(episode.steps.find((step) => step.labels.includes("premature_stop_rejected"))?.actor).toBe("user_simulator");
    expect(episode.steps.some((step) => step.tool?.toolName === "cancel_order")).toBe(true);
    expect(episode).toMatchObject({ endReason: "user_stop", status: "completed" });
    expect(episode.faultAttribution).toBeUndefined();
  });

  it("accepts a stop that persists after the resample, but labels the episode and blames the user simulator", async () => {
    const user = createScriptedModel((request) => (turnOf(request) === 0 ? { message: "Where is my order?", stop: false } : { message: "Perfect, thank you!", stop: true }));
    const env = createTestEnv({ agent: proposingAgent(), toolSimulator: toolSimulator(), userSimulator: user });
    const episode = await simulateEpisode(env, { task, agent, tools, index: 0, seed: 1, limits });
    expect(user.requests.filter((request) => turnOf(request) === 1)).toHaveLength(2);
    expect(episode.labels).toEqual(expect.arrayContaining(["premature_stop_rejected", "user_stopped_before_confirmed_action"]));
    expect(episode).toMatchObject({ endReason: "user_stop", faultAttribution: "user_simulator" });
  });

  it("accepts a stop that declines the proposal", async () => {
    const user = createScriptedModel((request) => (turnOf(request) === 0 ? { message: "Where is my order?", stop: false } : { message: "No, don't cancel it. Bye.", stop: true }));
    const env = createTestEnv({ agent: proposingAgent(), toolSimulator: toolSimulator(), userSimulator: user });
    const episode = await simulateEpisode(env, { task, agent, tools, index: 0, seed: 1, limits });
    expect(user.requests).toHaveLength(2);
    expect(episode.labels).not.toContain("premature_stop_rejected");
    expect(episode.faultAttribution).toBeUndefined();
  });
});

describe("invalid user-simulator replies", () => {
  const answeringAgent = () => createScriptedModel(() => ({ content: "Could you give me your order ID?" }));

  it("samples an empty message again with a new seed, and goes on when the retry is good", async () => {
    const user = createScriptedModel((request, index) => {
      if (turnOf(request) === 0) return index === 0 ? { message: "  ", stop: false } : { message: "Where is my order?", stop: false };
      return { message: "Thanks.", stop: true };
    });
    const env = createTestEnv({ agent: answeringAgent(), userSimulator: user });
    const episode = await simulateEpisode(env, { task, agent, tools, index: 0, seed: 1, limits });
    expect(new Set(user.requests.filter((request) => turnOf(request) === 0).map((request) => request.seed)).size).toBe(2);
    expect(episode.messages[1]).toEqual({ role: "user", content: "Where is my order?" });
    expect(episode.steps[1]?.labels).toContain("user_turn_resampled");
    expect(episode.status).toBe("completed");
  });

  it("ends the episode labelled, with end reason error, when the replies stay empty", async () => {
    const user = createScriptedModel(() => ({ message: "", stop: false }));
    const env = createTestEnv({ agent: answeringAgent(), userSimulator: user });
    const episode = await simulateEpisode(env, { task, agent, tools, index: 0, seed: 1, limits });
    expect(user.requests).toHaveLength(3);
    expect(episode).toMatchObject({ status: "failed", endReason: "error", faultAttribution: "user_simulator", error: expect.stringMatching(/empty message/) });
    expect(episode.labels).toContain("user_simulator_empty_message");
  });

  it("ends the episode labelled when the replies stay malformed (each with its repair attempt)", async () => {
    const user = createScriptedModel(() => ({ content: "I am not JSON" }));
    const env = createTestEnv({ agent: answeringAgent(), userSimulator: user });
    const episode = await simulateEpisode(env, { task, agent, tools, index: 0, seed: 1, limits });
    expect(user.requests).toHaveLength(6);
    expect(episode).toMatchObject({ status: "failed", endReason: "error", faultAttribution: "user_simulator" });
    expect(episode.labels).toContain("user_simulator_invalid_output");
  });

  it("labels a user message that names an id nobody gave", () => {
    const messages: ChatMessage[] = [{ role: "system", content: "s" }, { role: "user", content: "Hi" }, { role: "assistant", content: "Which order?" }];
    expect(checkUserMessage(task, messages, "It's ORD-1001.", 1)).toEqual([]);
    expect(checkUserMessage(task, messages, "It's ORD-7777.", 1)).toEqual(["user_invented_id"]);
    expect(checkUserMessage(task, [messages[0] as ChatMessage], "Hi, where is ORD-1001?", 0)).toEqual(["user_revealed_fact_unasked"]);
  });
});

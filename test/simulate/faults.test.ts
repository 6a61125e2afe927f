import { describe, expect, it } from "vitest";
import type { FaultKind, FaultRates } from "../../src/domain/episode.js";
import { EpisodeRecordSchema, FaultKindSchema } from "../../src/domain/episode.js";
import { rebuildWorldState } from "../../src/domain/world-state.js";
import { listInjectedFaults } from "../../src/judge/injected-faults.js";
import { simulateEpisode } from "../../src/simulate/simulate-episode.js";
import { buildFailureResult, degradeContent, drawFault, hasFaults, isBlockingFault } from "../../src/simulate/faults.js";
import { createScriptedModel } from "../helpers/scripted-model.js";
import { makeAgent, makeTask, makeTool } from "../helpers/records.js";
import { createTestEnv } from "../helpers/stage-env.js";

const rates: FaultRates = { error: 0.1, timeout: 0.05, empty: 0.05, partial: 0.08, rate_limit: 0.02 };

describe("fault draws", () => {
  it("injects each kind at its configured rate over many calls, the same for the same seed", () => {
    const calls = 20_000;
    const counts: Record<string, number> = {};
    const draws = Array.from({ length: calls }, (_, ordinal) => drawFault(rates, 42, ordinal));
    for (const kind of draws) if (kind) counts[kind] = (counts[kind] ?? 0) + 1;
    for (const kind of FaultKindSchema.options) expect(Math.abs((counts[kind] ?? 0) / calls - rates[kind]), kind).toBeLessThan(0.01);
    expect(Array.from({ length: calls }, (_, ordinal) => drawFault(rates, 42, ordinal))).toEqual(draws);
    expect(Array.from({ length: 200 }, (_, ordinal) => drawFault(rates, 43, ordinal))).not.toEqual(draws.slice(0, 200));
    expect(drawFault({ error: 0, timeout: 0, empty: 0, partial: 0, rate_limit: 0 }, 42, 1)).toBeUndefined();
    expect(hasFaults({ error: 0, timeout: 0, empty: 0, partial: 0, rate_limit: 0 })).toBe(false);
    expect(hasFaults(rates)).toBe(true);
  });

  it("draws the kinds in their declared order, so a seed keeps giving the same faults", () => {
    expect(FaultKindSchema.options).toEqual(["error", "timeout", "empty", "partial", "rate_limit"]);
    const even: FaultRates = { error: 0.2, timeout: 0.2, empty: 0.2, partial: 0.2, rate_limit: 0.2 };
    expect(Array.from({ length: 12 }, (_, ordinal) => drawFault(even, 42, ordinal))).toEqual(
      ["empty", "partial", "timeout", "rate_limit", "empty", "partial", "empty", "partial", "error", "rate_limit", "error", "timeout"],
    );
    expect(Array.from({ length: 12 }, (_, ordinal) => drawFault(rates, 7, ordinal) ?? null)).toEqual([null, null, null, null, "partial", null, "timeout", "partial", null, null, "timeout", "error"]);
  });

  it("tells blocking faults (the call never runs) from degrading ones (its answer is spoilt)", () => {
    expect(FaultKindSchema.options.filter(isBlockingFault)).toEqual(["error", "timeout", "rate_limit"]);
  });

  it("answers blocked calls the way real services fail", () => {
    expect(buildFailureResult("rate_limit", "get_order", 1, 0)).toMatchObject({ error: "rate_limited", status: 429, message: expect.stringMatching(/^Too many requests\. Retry after \d seconds?\.$/) });
    expect(buildFailureResult("timeout", "get_order", 1, 0)).toMatchObject({ error: "timeout", message: expect.stringMatching(/request to get_order timed out after \d+ seconds/) });
    const errors = Array.from({ length: 30 }, (_, ordinal) => buildFailureResult("error", "get_order", 1, ordinal));
    for (const error of errors) expect(error).toMatchObject({ status: expect.any(Number), message: expect.any(String), request_id: expect.stringMatching(/^req_[0-9a-f]{12}$/) });
    expect(new Set(errors.map((error) => error.status))).toEqual(new Set([500, 502, 503]));
  });

  it("empties or cuts an answer in its own shape, marking a partial one as truncated", () => {
    const list = JSON.stringify({ results: [{ id: "A" }, { id: "B" }, { id: "C" }, { id: "D" }], total: 4 });
    expect(JSON.parse(degradeContent("empty", list))).toEqual({ results: [], total: 0 });
    expect(JSON.parse(degradeContent("partial", list))).toEqual({ results: [{ id: "A" }, { id: "B" }], total: 4, truncated: true, has_more: true });
    const record = JSON.stringify({ id: "ORD-1", status: "shipped", city: "Porto", total: 3 });
    expect(JSON.parse(degradeContent("empty", record))).toEqual({});
    expect(JSON.parse(degradeContent("partial", record))).toEqual({ id: "ORD-1", status: "shipped", truncated: true, omitted_fields: ["city", "total"] });
    expect(JSON.parse(degradeContent("partial", JSON.stringify({ order: { id: "ORD-1", status: "shipped" } })))).toEqual({ order: { id: "ORD-1" }, truncated: true, omitted_fields: ["status"] });
    expect(JSON.parse(degradeContent("partial", JSON.stringify([1, 2, 3, 4])))).toEqual({ items: [1, 2], truncated: true, total: 4 });
    expect(degradeContent("empty", "plain text")).toBe("");
  });
});

describe("faults in an episode", () => {
  const tools = [makeTool("get_order"), makeTool("cancel_order")];
  const agent = makeAgent(tools);
  const task = makeTask(agent);
  const CALLS = 60;

  /** An agent that looks the order up CALLS times (one call per turn, then cancels it), and a tool simulator that counts its calls. */
  function setUp() {
    let agentCalls = 0;
    const agentModel = createScriptedModel(() => {
      agentCalls++;
      if (agentCalls <= CALLS) return { toolCalls: [{ name: agentCalls === CALLS ? "cancel_order" : "get_order", arguments: '{"order_id":"ORD-1001"}' }] };
      return { content: "Done." };
    });
    const toolSimulator = createScriptedModel((request) => {
      if (request.context?.purpose !== "tool-simulation") throw new Error("expected a tool-simulation request");
      const cancelling = request.context.tool.name === "cancel_order";
      return {
        result: { id: "ORD-1001", status: cancelling ? "cancelled" : "shipped" },
        isError: false,
        stateUpdate: cancelling ? [{ op: "set", path: ["entities", "order", "ORD-1001", "status"], value: "cancelled" }] : [],
      };
    });
    const user = createScriptedModel((request) => (request.context?.purpose === "user-turn" && request.context.turn === 0 ? { message: "Check ORD-1001 a lot, then cancel it.", stop: false } : { message: "", stop: true }));
    return { env: createTestEnv({ agent: agentModel, toolSimulator, userSimulator: user }), toolSimulator };
  }

  it("stores the plan, labels the steps, blocks calls without running them and spoils answers of calls that ran", async () => {
    const faults: FaultRates = { error: 0.1, timeout: 0.1, empty: 0.1, partial: 0.1, rate_limit: 0.1 };
    const { env, toolSimulator } = setUp();
    const episode = await simulateEpisode(env, { task, agent, tools, index: 0, seed: 9, limits: { maxTurns: 2, maxSteps: 400, maxToolCallsPerTurn: 10, faults } });
    expect(() => EpisodeRecordSchema.parse(episode)).not.toThrow();
    const plan = episode.faultPlan;
    expect(plan?.rates).toEqual(faults);
    const faultSteps = episode.steps.filter((step) => step.tool?.outcome === "fault");
    expect(plan?.injected.length).toBe(faultSteps.length);
    expect(faultSteps.length).toBeGreaterThan(CALLS * 0.25);
    expect(plan?.injected.map((entry) => entry.call)).toEqual([...(plan?.injected.map((entry) => entry.call) ?? [])].sort((a, b) => a - b));
    expect(listInjectedFaults(episode).map((fault) => fault.toolCallId)).toEqual(plan?.injected.map((entry) => entry.toolCallId));
    const blocked = faultSteps.filter((step) => ["error", "timeout", "rate_limit"].includes(step.tool?.fault ?? ""));
    expect(toolSimulator.requests).toHaveLength(CALLS - blocked.length);
    for (const step of faultSteps) {
      const kind = step.tool?.fault as FaultKind;
      expect(step.labels).toContain(`fault_${kind}`);
      const content = JSON.parse(episode.messages[step.index]?.content ?? "null");
      if (kind === "rate_limit") expect(content.error).toBe("rate_limited");
      if (kind === "timeout") expect(content.error).toBe("timeout");
      if (kind === "error") expect([500, 502, 503]).toContain(content.status);
      if (kind === "empty") expect(content).toEqual({});
      if (kind === "partial") expect(content).toMatchObject({ truncated: true });
    }
    expect(episode.labels).toContain("fault_injected");
    expect(rebuildWorldState(episode.worldState.initial, episode.steps)).toEqual(episode.worldState.final);
  });

  it("injects the same faults for the same seed, and other faults for another", async () => {
    const faults: FaultRates = { error: 0.1, timeout: 0.1, empty: 0, partial: 0, rate_limit: 0.1 };
    const run = async (seed: number) => simulateEpisode(setUp().env, { task, agent, tools, index: 0, seed, limits: { maxTurns: 2, maxSteps: 400, maxToolCallsPerTurn: 10, faults } });
    const [first, again, other] = [await run(9), await run(9), await run(10)];
    expect(again.faultPlan).toEqual(first.faultPlan);
    expect(other.faultPlan?.injected.map((entry) => entry.call)).not.toEqual(first.faultPlan?.injected.map((entry) => entry.call));
  });

  it("stores no plan when every rate is zero", async () => {
    const episode = await simulateEpisode(setUp().env, { task, agent, tools, index: 0, seed: 9, limits: { maxTurns: 2, maxSteps: 40, maxToolCallsPerTurn: 10, faults: { error: 0, timeout: 0, empty: 0, partial: 0, rate_limit: 0 } } });
    expect(episode.faultPlan).toBeUndefined();
    expect(episode.steps.some((step) => step.tool?.fault)).toBe(false);
  });
});

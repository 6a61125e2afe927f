import { beforeAll, describe, expect, it } from "vitest";
import type { EpisodeRecord } from "../../src/domain/episode.js";
import { rebuildWorldState } from "../../src/domain/world-state.js";
import type { LanguageModel } from "../../src/model/language-model.js";
import { createOfflineModel } from "../../src/model/providers/offline/offline-model.js";
import { estimateTokens } from "../../src/simulate/context-budget.js";
import type { EpisodeLimits } from "../../src/simulate/simulate-episode.js";
import { simulateEpisode } from "../../src/simulate/simulate-episode.js";
import { simulateTasks } from "../../src/simulate/simulate-tasks.js";
import { buildOfflineWorld, episodeParts, type OfflineWorld } from "../helpers/offline-world.js";
import { createTestEnv } from "../helpers/stage-env.js";

const DOMAINS = ["online_orders", "project_tasks"];
// Agents carry 10–30 tools, so a request starts near 5,000 tokens: the budget is just above that, and a 300-step episode outgrows it.
const budget = { maxTokens: 5_800, keepRecentToolResults: 4, shortenedTokens: 16 };
const longLimits: EpisodeLimits = { maxTurns: 200, maxSteps: 300, maxToolCallsPerTurn: 10, contextBudget: budget };

/** The offline agent, with the estimated size of every request it is sent. */
function measuredAgent(): { model: LanguageModel; sizes: number[] } {
  const inner = createOfflineModel({ seed: 7 });
  const sizes: number[] = [];
  return { sizes, model: { ref: inner.ref, generate: (request) => (sizes.push(estimateTokens(request.messages)), inner.generate(request)) } };
}

/** A task whose blueprint changes a record (the offline generator writes changes to records that exist). */
function findWriteTask(world: OfflineWorld) {
  const task = world.tasks.find((candidate) => (candidate.blueprint?.actions.length ?? 0) > 1 && candidate.expectedTools.some((name) => !/^(get|list|search)_/.test(name)));
  if (!task) throw new Error("the offline world has no task that changes a record");
  return task;
}

describe("long offline episodes", () => {
  let world: OfflineWorld;
  let episode: EpisodeRecord;
  let sizes: number[];

  beforeAll(async () => {
    world = await buildOfflineWorld(createTestEnv(), { domains: DOMAINS, tasks: 8 });
    const task = findWriteTask(world);
    const agent = measuredAgent();
    sizes = agent.sizes;
    episode = await simulateEpisode(createTestEnv({ agent: agent.model }), { task, ...episodeParts(world, task), index: 0, seed: 5, limits: longLimits });
  });

  it("runs 300 steps and stays within the context budget, with the cuts recorded and the stored messages whole", () => {
    expect(episode.endReason).toBe("max_steps");
    expect(episode.messages.length).toBeGreaterThanOrEqual(300);
    expect(episode.messages.length).toBeLessThanOrEqual(300 + longLimits.maxToolCallsPerTurn);
    expect(estimateTokens(episode.messages)).toBeGreaterThan(budget.maxTokens);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(budget.maxTokens);
    expect(episode.labels).not.toContain("context_budget_exceeded");
    expect(episode.contextCuts.length).toBeGreaterThan(0);
    expect(new Set(episode.contextCuts.map((cut) => cut.messageIndex)).size).toBe(episode.contextCuts.length);
    for (const cut of episode.contextCuts) {
      expect(episode.messages[cut.messageIndex]?.role).toBe("tool");
      expect(cut.keptTokens).toBeLessThan(cut.originalTokens);
      expect(cut.atMessage).toBeGreaterThan(cut.messageIndex);
    }
    expect(episode.messages.some((message) => message.content?.includes("to fit the context budget"))).toBe(false);
    expect(rebuildWorldState(episode.worldState.initial, episode.steps)).toEqual(episode.worldState.final);
  });

  it("reads back by id, at a later step, a record a tool changed at step k", () => {
    const created = episode.steps.flatMap((step) =>
      (step.tool?.stateDiff ?? []).flatMap((operation) => (operation.op === "set" && operation.path.length >= 3 && !/^(get|list|search)_/.test(step.tool?.toolName ?? "get_") ? [{ step: step.index, id: operation.path[2] as string }] : [])),
    );
    expect(created.length).toBeGreaterThan(0);
    const readBack = created.filter(({ step, id }) =>
      episode.steps.some((later) => later.index > step && later.tool?.outcome === "ok" && later.tool.toolName.startsWith("get_") && JSON.parse(episode.messages[later.index]?.content ?? "{}").id === id),
    );
    expect(readBack.length).toBeGreaterThan(0);
  });

  it("has the agent make parallel look-ups, each answered in order", () => {
    const parallel = episode.messages.flatMap((message, index) => (message.role === "assistant" && (message.tool_calls?.length ?? 0) > 1 ? [{ message, index }] : []));
    expect(parallel.length).toBeGreaterThan(0);
    for (const { message, index } of parallel) {
      const answers = episode.messages.slice(index + 1, index + 1 + (message.tool_calls?.length ?? 0));
      expect(answers.map((answer) => (answer.role === "tool" ? answer.tool_call_id : answer.role))).toEqual(message.tool_calls?.map((call) => call.id));
    }
  });

  it("reproduces the same episode byte for byte from the same seed", async () => {
    const run = async (): Promise<string> => {
      const env = createTestEnv();
      const fresh = await buildOfflineWorld(env, { domains: DOMAINS, tasks: 8 });
      const task = findWriteTask(fresh);
      const faults = { error: 0.06, timeout: 0.06, empty: 0.06, partial: 0.06, rate_limit: 0.06 };
      return JSON.stringify(await simulateEpisode(env, { task, ...episodeParts(fresh, task), index: 0, seed: 5, limits: { ...longLimits, maxSteps: 120, faults } }));
    };
    const [first, second] = [await run(), await run()];
    expect(first).toBe(second);
    expect(first).toContain('"faultPlan"');
  });
});

describe("an offline run with a total fault rate of 0.3", () => {
  it("injects faults, labels them, keeps per-step diffs, and the agent recovers", async () => {
    const env = createTestEnv();
    const world = await buildOfflineWorld(env, { domains: ["online_orders", "project_tasks", "incident_management"], tasks: 12 });
    const faults = { error: 0.06, timeout: 0.06, empty: 0.06, partial: 0.06, rate_limit: 0.06 };
    const episodes = await simulateTasks(env, { ...world, episodesPerTask: 2, concurrency: 4, limits: { maxTurns: 8, maxSteps: 50, maxToolCallsPerTurn: 10, faults }, onEpisode: async () => {} });
    const faulted = episodes.filter((episode) => (episode.faultPlan?.injected.length ?? 0) > 0);
    expect(faulted.length).toBeGreaterThan(episodes.length / 4);
    const kinds = new Set(faulted.flatMap((episode) => episode.faultPlan?.injected.map((entry) => entry.kind) ?? []));
    expect(kinds.size).toBeGreaterThanOrEqual(4);
    let retries = 0;
    for (const episode of episodes) {
      expect(episode.faultPlan?.rates).toEqual(faults);
      expect(rebuildWorldState(episode.worldState.initial, episode.steps)).toEqual(episode.worldState.final);
      for (const step of episode.steps.filter((candidate) => candidate.tool?.outcome === "fault")) {
        expect(step.labels).toContain(`fault_${step.tool?.fault}`);
        const call = episode.messages.flatMap((message) => (message.role === "assistant" ? (message.tool_calls ?? []) : [])).find((candidate) => candidate.id === step.tool?.toolCallId);
        const next = episode.messages.slice(step.index + 1).find((message) => message.role === "assistant");
        if (call && next?.role === "assistant" && next.tool_calls?.some((candidate) => candidate.function.name === call.function.name && candidate.function.arguments === call.function.arguments)) retries++;
      }
      expect(episode.status).toBe("completed");
    }
    expect(retries).toBeGreaterThan(0);
  });
});

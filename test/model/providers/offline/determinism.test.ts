import { beforeAll, describe, expect, it } from "vitest";
import { toFunctionTool } from "../../../../src/domain/tool.js";
import type { LanguageModel, ModelRequest, ModelResponse } from "../../../../src/model/language-model.js";
import { createOfflineModel } from "../../../../src/model/providers/offline/offline-model.js";
import { buildScenario, findDomain, runEpisode, structuredRequest, taxonomyDomains, userContext, type Scenario } from "./offline-fixtures.js";

function comparable(response: ModelResponse): unknown {
  return { content: response.content, toolCalls: response.toolCalls, finishReason: response.finishReason, usage: response.usage };
}

describe("determinism", () => {
  let scenario: Scenario;
  let requests: ModelRequest[];

  beforeAll(async () => {
    const domain = findDomain("hotel_reservations");
    scenario = await buildScenario(createOfflineModel({ seed: 5 }), domain, { toolCount: 7, taskCount: 3 });
    const task = scenario.tasks[0];
    const tool = scenario.tools[0];
    if (!task || !tool) throw new Error("empty scenario");
    const episode = await runEpisode(createOfflineModel({ seed: 5 }), scenario, task);
    requests = [
      structuredRequest({ purpose: "domain-evolution", seedDomains: taxonomyDomains().slice(0, 3), count: 6 }),
      structuredRequest({ purpose: "tool-synthesis", domain, count: 6, existingToolNames: [] }),
      structuredRequest({ purpose: "agent-generation", domain, tools: scenario.tools }),
      structuredRequest({ purpose: "task-generation", domain, agent: scenario.agent, tools: scenario.tools, count: 4, existingGoals: [] }),
      structuredRequest(userContext(task, [], 0, 8)),
      structuredRequest({ purpose: "tool-simulation", tool, arguments: {}, state: task.initialState, history: [], domain }),
      structuredRequest({ purpose: "judge", goal: task.goal, hiddenFacts: task.hiddenFacts, criteria: [{ id: "outcome", description: "The assistant told the user the outcome." }], transcript: episode.messages, checks: [], endReason: "user_stop" }),
      { purpose: "agent-turn", messages: episode.messages.slice(0, 2), tools: scenario.tools.map(toFunctionTool), seed: 4 },
    ];
  });

  it("answers an identical request identically, from fresh engines and in any order", async () => {
    const first = createOfflineModel({ seed: 99 });
    const second = createOfflineModel({ seed: 99 });
    const forward = await Promise.all(requests.map((request) => first.generate(request)));
    const backward = (await Promise.all([...requests].reverse().map((request) => second.generate(request)))).reverse();
    const again = await Promise.all(requests.map((request) => first.generate(request)));
    expect(forward.map(comparable)).toEqual(backward.map(comparable));
    expect(again.map(comparable)).toEqual(forward.map(comparable));
  });

  it("answers differently under another engine seed", async () => {
    const generative = requests.filter((request) => ["tool-synthesis", "agent-generation", "task-generation", "user-turn"].includes(request.purpose));
    const a = await Promise.all(generative.map((request) => createOfflineModel({ seed: 1 }).generate(request)));
    const b = await Promise.all(generative.map((request) => createOfflineModel({ seed: 2 }).generate(request)));
    const differing = a.filter((response, index) => response.content !== b[index]?.content);
    expect(differing.length).toBeGreaterThanOrEqual(3);
  });

  it("gives different episodes of one task different conversations", async () => {
    const model: LanguageModel = createOfflineModel({ seed: 3 });
    const task = scenario.tasks[1] ?? scenario.tasks[0];
    if (!task) throw new Error("no task");
    const transcripts = await Promise.all([1, 2, 3, 4].map(async (seed) => JSON.stringify((await runEpisode(model, scenario, task, { seed })).messages)));
    expect(new Set(transcripts).size).toBeGreaterThan(1);
  });

  it("issues call ids like call_<12 hex> that are unique within a conversation", async () => {
    const model = createOfflineModel({ seed: 8 });
    const ids = (
      await Promise.all(scenario.tasks.map(async (task) => (await runEpisode(model, scenario, task)).messages.flatMap((message) => (message.role === "assistant" ? (message.tool_calls ?? []).map((call) => call.id) : []))))
    ).filter((list) => list.length > 0);
    expect(ids.length).toBeGreaterThan(0);
    for (const list of ids) {
      for (const id of list) expect(id).toMatch(/^call_[0-9a-f]{12}$/);
      expect(new Set(list).size).toBe(list.length);
    }
  });
});

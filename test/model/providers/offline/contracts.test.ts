import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { toFunctionTool } from "../../../../src/domain/tool.js";
import { parseStructured } from "../../../../src/model/generate.js";
import type { LanguageModel } from "../../../../src/model/language-model.js";
import { createOfflineModel } from "../../../../src/model/providers/offline/offline-model.js";
import {
  AgentGenerationOutputSchema,
  DomainEvolutionOutputSchema,
  JudgeOutputSchema,
  TaskGenerationOutputSchema,
  ToolSimulationOutputSchema,
  ToolSynthesisOutputSchema,
  UserTurnOutputSchema,
  type RequestContext,
} from "../../../../src/model/request-context.js";
import { buildScenario, findDomain, runEpisode, structuredRequest, taxonomyDomains, userContext, type Scenario } from "./offline-fixtures.js";

const DOMAINS = ["online_orders", "flight_booking", "insurance_claims", "clinic_appointments", "incident_management", "warehouse_inventory", "mobile_plans"];

/** Send the request and parse the raw content with the purpose's schema (no repair round). */
async function answer<S extends z.ZodType>(model: LanguageModel, schema: S, context: RequestContext): Promise<z.infer<S>> {
  const response = await model.generate(structuredRequest(context));
  expect(response.finishReason).toBe("stop");
  expect(response.model).toEqual({ provider: "offline", model: "offline-engine-v1" });
  expect(response.usage.inputTokens).toBeGreaterThan(0);
  expect(response.usage.outputTokens).toBeGreaterThan(0);
  const parsed = parseStructured(schema, response.content);
  if (!parsed.ok) throw new Error(`${context.purpose}: ${parsed.problems.join("; ")}`);
  return parsed.value;
}

describe.each(DOMAINS)("every purpose answers its contract for %s", (domainName) => {
  const model = createOfflineModel({ seed: 11 });
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await buildScenario(model, findDomain(domainName), { toolCount: 7, taskCount: 3 });
  });

  it("domain-evolution, tool-synthesis, agent-generation and task-generation", async () => {
    const domain = findDomain(domainName);
    const evolved = await answer(model, DomainEvolutionOutputSchema, { purpose: "domain-evolution", seedDomains: [domain], count: 3 });
    expect(evolved.domains).toHaveLength(3);
    const tools = await answer(model, ToolSynthesisOutputSchema, { purpose: "tool-synthesis", domain, count: 5, existingToolNames: [] });
    expect(tools.tools).toHaveLength(5);
    const agent = await answer(model, AgentGenerationOutputSchema, { purpose: "agent-generation", domain, tools: tools.tools });
    expect(agent.systemPrompt).toContain(domain.organization);
    const tasks = await answer(model, TaskGenerationOutputSchema, { purpose: "task-generation", domain, agent, tools: tools.tools, count: 4, existingGoals: [] });
    expect(tasks.tasks).toHaveLength(4);
  });

  it("user-turn, agent-turn, tool-simulation and judge", async () => {
    const task = scenario.tasks[0];
    if (!task) throw new Error("no task");
    const opening = await answer(model, UserTurnOutputSchema, userContext(task, [], 0, 8));
    expect(opening.stop).toBe(false);
    const agentTurn = await model.generate({ purpose: "agent-turn", messages: [{ role: "system", content: scenario.agent.systemPrompt }, { role: "user", content: opening.message }], tools: scenario.tools.map(toFunctionTool), seed: 1 });
    expect(agentTurn.content ?? agentTurn.toolCalls.length).toBeTruthy();
    const tool = scenario.tools[0];
    if (!tool) throw new Error("no tool");
    const simulated = await answer(model, ToolSimulationOutputSchema, { purpose: "tool-simulation", tool, arguments: {}, state: task.initialState, history: [], domain: scenario.domain });
    expect(typeof simulated.isError).toBe("boolean");
    const episode = await runEpisode(model, scenario, task);
    const judged = await answer(model, JudgeOutputSchema, {
      purpose: "judge",
      goal: task.goal,
      hiddenFacts: task.hiddenFacts,
      criteria: task.rubric.criteria.map((criterion) => ({ id: criterion.id, description: criterion.description })),
      transcript: episode.messages,
      checks: [],
      endReason: "user_stop",
    });
    expect(judged.criteria.map((criterion) => criterion.id)).toEqual(task.rubric.criteria.map((criterion) => criterion.id));
  });
});

describe("missing context", () => {
  const model = createOfflineModel({ seed: 1 });
  const purposes = ["domain-evolution", "tool-synthesis", "agent-generation", "task-generation", "user-turn", "tool-simulation", "judge"] as const;

  it.each(purposes)("a %s request without its context throws, naming what is missing", async (purpose) => {
    await expect(model.generate({ purpose, messages: [{ role: "user", content: "hi" }] })).rejects.toThrow(new RegExp(`"${purpose}" request needs its structured context`));
  });

  it("a context for another purpose is rejected too", async () => {
    const context: RequestContext = { purpose: "domain-evolution", seedDomains: taxonomyDomains().slice(0, 1), count: 1 };
    await expect(model.generate({ purpose: "judge", messages: [], context })).rejects.toThrow(/"judge" request came with a "domain-evolution" context/);
  });

  it("agent-turn needs no context and answers in text when there are no tools", async () => {
    const response = await model.generate({ purpose: "agent-turn", messages: [{ role: "user", content: "Can you cancel my order?" }] });
    expect(response.toolCalls).toEqual([]);
    expect(response.finishReason).toBe("stop");
    expect(response.content).toMatch(/cancel my order/);
  });
});

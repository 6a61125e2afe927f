import { describe, expect, it } from "vitest";
import type { JsonObject, JsonValue } from "../../../../src/domain/common.js";
import type { RubricCriterion } from "../../../../src/domain/rubric.js";
import { createOfflineModel } from "../../../../src/model/providers/offline/offline-model.js";
import { DomainEvolutionOutputSchema, JudgeOutputSchema, type TaskDraft } from "../../../../src/model/request-context.js";
import { validateJsonSchema } from "../../../../src/support/json-schema.js";
import { TaskShapeSchema } from "../../../../src/domain/task.js";
import { ask, buildScenario, findDomain, renderTranscript, runActions, runEpisode, taxonomyDomains, type EpisodeResult, type Scenario } from "./offline-fixtures.js";

const DOMAINS = [
  "online_orders",
  "returns_refunds",
  "flight_booking",
  "car_rental",
  "insurance_claims",
  "clinic_appointments",
  "project_tasks",
  "incident_management",
  "course_enrollment",
  "energy_accounts",
  "shipment_tracking",
  "restaurant_reservations",
];

function finalAssistantText(episode: EpisodeResult): string {
  return [...episode.messages].reverse().find((message) => message.role === "assistant" && message.content)?.content ?? "";
}

/** String values of successful tool results (ids, statuses, names, dates). */
function resultValues(episode: EpisodeResult): string[] {
  const collect = (value: JsonValue): string[] =>
    Array.isArray(value) ? value.flatMap(collect) : value !== null && typeof value === "object" ? Object.values(value).flatMap(collect) : typeof value === "string" && value.length >= 3 ? [value] : [];
  return episode.calls.filter((call) => !call.isError).flatMap((call) => collect(call.result));
}

function readPath(state: JsonObject, path: string): JsonValue | undefined {
  let node: JsonValue | undefined = state;
  for (const key of path.split(".")) node = node !== null && typeof node === "object" && !Array.isArray(node) ? node[key] : undefined;
  return node;
}

/** The rubric's deterministic checks that can be verified from the episode alone. */
function failedRules(task: TaskDraft, episode: EpisodeResult): string[] {
  return task.rubric.criteria.flatMap((criterion: RubricCriterion) => {
    if (criterion.kind !== "rule") return [];
    const check = criterion.check;
    if (check.type === "tool_called") {
      const matched = episode.calls.some((call) => call.name === check.tool && !call.isError && Object.entries(check.args ?? {}).every(([key, value]) => JSON.stringify(call.args[key]) === JSON.stringify(value)));
      return matched ? [] : [criterion.id];
    }
    if (check.type === "final_state") {
      const value = readPath(episode.state, check.path);
      const ok = check.equals !== undefined ? JSON.stringify(value) === JSON.stringify(check.equals) : check.exists === false ? value === undefined : value !== undefined;
      return ok ? [] : [criterion.id];
    }
    if (check.type === "answer_mentions") return check.text.every((text) => finalAssistantText(episode).includes(text)) ? [] : [criterion.id];
    return [];
  });
}

/** The state the episode left equals the one its blueprint leaves, the answer states its facts, and the rules hold. */
function expectGoodEpisode(scenario: Scenario, task: TaskDraft, episode: EpisodeResult): void {
  const label = `${scenario.domain.name} [${task.shape}] ${task.goal}\n${renderTranscript(episode.messages.slice(1))}`;
  const toolsByName = new Map(scenario.tools.map((tool) => [tool.name, tool]));
  expect(episode.userStopped, label).toBe(true);
  for (const call of episode.calls) {
    expect(toolsByName.has(call.name), label).toBe(true);
    expect(validateJsonSchema(toolsByName.get(call.name)?.inputSchema ?? {}, call.args).errors, label).toEqual([]);
  }
  const blueprint = runActions(scenario, task.blueprint?.actions ?? [], task.initialState);
  expect(blueprint.failure, label).toBeUndefined();
  expect(episode.state, label).toEqual(blueprint.state);
  const finalText = finalAssistantText(episode).toLowerCase();
  for (const fact of task.blueprint?.answerFacts ?? []) expect(finalText.includes(fact.toLowerCase()) || finalText.includes(fact.toLowerCase().replace(/_/g, " ")), `${fact} in ${label}`).toBe(true);
  if (task.shape === "no_tool") expect(episode.calls, label).toEqual([]);
  if (task.shape === "parallel") expect(episode.messages.some((message) => message.role === "assistant" && (message.tool_calls?.length ?? 0) > 1), label).toBe(scenario.agent.behavior.parallelToolCalls);
  if (episode.calls.length > 0) expect(resultValues(episode).some((value) => finalText.includes(value.toLowerCase())) || task.shape === "infeasible", label).toBe(true);
  expect(failedRules(task, episode), label).toEqual([]);
}

describe("end to end: the engine plays user, agent and the environment", () => {
  it("plays every shape across 12 domains, each episode ending in the state its task's blueprint leaves", async () => {
    const model = createOfflineModel({ seed: 2026 });
    const shapes = new Set<string>();
    let episodes = 0;
    for (const [index, name] of DOMAINS.entries()) {
      const scenario = await buildScenario(model, findDomain(name), { toolCount: 7 + (index % 2), taskCount: TaskShapeSchema.options.length, seed: index + 1, shapes: [...TaskShapeSchema.options] });
      for (const task of scenario.tasks) {
        const episode = await runEpisode(model, scenario, task, { seed: index + 7 });
        const [system, opening] = episode.messages;
        expect(system?.role).toBe("system");
        expect(opening?.role).toBe("user");
        for (const fact of task.hiddenFacts) expect(opening?.content, "the opening keeps hidden facts hidden").not.toMatch(new RegExp(`\\b${String(fact.value).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`));
        expectGoodEpisode(scenario, task, episode);
        shapes.add(task.shape ?? "");
        episodes++;
      }
    }
    expect(episodes).toBe(DOMAINS.length * TaskShapeSchema.options.length);
    expect(shapes.size).toBe(TaskShapeSchema.options.length);
  });

  it("recovers from a tool timeout by retrying once, and still reaches the blueprint's state", async () => {
    const model = createOfflineModel({ seed: 88 });
    for (const name of ["online_orders", "hotel_reservations", "access_requests", "mobile_plans"]) {
      const scenario = await buildScenario(model, findDomain(name), { toolCount: 7, taskCount: 3, shapes: ["lookup", "chained", "multi_intent"] });
      for (const task of scenario.tasks) {
        const episode = await runEpisode(model, scenario, task, { fault: (index) => (index === 0 ? { error: "timeout", message: "The tool did not answer within 30 s." } : undefined) });
        // The failed call is retried with the same arguments (look-ups made alongside it in parallel come between).
        const [failed, ...rest] = episode.calls;
        const retried = rest.find((call) => call.name === failed?.name);
        expect(failed?.isError).toBe(true);
        expect(retried?.args).toEqual(failed?.args);
        expect(retried?.isError).toBe(false);
        expect(episode.userStopped).toBe(true);
        expect(episode.state).toEqual(runActions(scenario, task.blueprint?.actions ?? [], task.initialState).state);
      }
    }
  });

  it("works for every taxonomy domain and evolved sub-domains, and the heuristic judge passes the episodes", async () => {
    const model = createOfflineModel({ seed: 7 });
    const seeds = taxonomyDomains();
    const { domains: evolved } = await ask(model, "domain-evolution", DomainEvolutionOutputSchema, { purpose: "domain-evolution", seedDomains: seeds, count: 8 });
    let episodes = 0;
    for (const [index, domain] of [...seeds, ...evolved].entries()) {
      const shapes = TaskShapeSchema.options.slice(index % 5, (index % 5) + 4);
      const scenario = await buildScenario(model, domain, { toolCount: 7, taskCount: shapes.length, shapes: [...shapes] });
      for (const task of scenario.tasks) {
        const episode = await runEpisode(model, scenario, task);
        expectGoodEpisode(scenario, task, episode);
        const judged = await ask(model, "judge", JudgeOutputSchema, {
          purpose: "judge",
          goal: task.goal,
          hiddenFacts: task.hiddenFacts,
          criteria: task.rubric.criteria.filter((criterion) => criterion.kind === "llm").map((criterion) => ({ id: criterion.id, description: criterion.description })),
          transcript: episode.messages,
          checks: [],
          endReason: "user_stop",
        });
        expect(judged.verdict, `${domain.name}: ${task.goal}`).toBe("pass");
        episodes++;
      }
    }
    expect(episodes).toBe((seeds.length + evolved.length) * 4);
  });
});

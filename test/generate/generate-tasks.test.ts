import { describe, expect, it } from "vitest";
import { SCHEMA_VERSION } from "../../src/domain/common.js";
import type { DomainRecord } from "../../src/domain/domain.js";
import { generateTasks } from "../../src/generate/generate-tasks.js";
import type { TaskGenerationContext } from "../../src/model/request-context.js";
import { makeAgent, makeTool } from "../helpers/records.js";
import { createScriptedModel } from "../helpers/scripted-model.js";
import { createTestEnv } from "../helpers/stage-env.js";
import { ORDER, SHOP_TOOLS, shopState } from "../world/world-fixtures.js";

const SHOP: DomainRecord = { id: "dom_shop", kind: "domain", createdAt: "2026-01-01T00:00:00.000Z", schemaVersion: SCHEMA_VERSION, provenance: { source: "test", models: {}, promptHashes: [] }, category: "Commerce", name: "shop", title: "Shop", description: "A small shop.", organization: "Corner Shop", entities: [ORDER] };
const TOOLS = [SHOP_TOOLS.getOrder, SHOP_TOOLS.cancelOrder].map((tool) => makeTool(tool.name, { inputSchema: tool.inputSchema, outputSchema: tool.outputSchema, effect: tool.effect, domainId: SHOP.id }));
const AGENT = makeAgent(TOOLS, { domainId: SHOP.id, domainIds: [SHOP.id] });

function draft(goal: string, orderId: string) {
  return {
    goal,
    shape: "chained",
    persona: { name: "Ana Lima", style: "brief", expertise: "novice", language: "en", patience: "medium" },
    hiddenFacts: [{ key: "order_id", value: orderId, description: "your order number" }],
    initialState: shopState(),
    blueprint: { actions: [{ tool: "get_order", arguments: { order_id: orderId } }, { tool: "cancel_order", arguments: { order_id: orderId } }], answerFacts: [] },
    rubric: { criteria: [{ id: "helpful", kind: "llm", description: "The assistant told the user the outcome." }] },
    difficulty: "easy",
    expectedTools: ["get_order", "cancel_order"],
  };
}

describe("task generation through the gate", () => {
  it("computes each blueprint's final state, writes a refused draft once more with the reasons, and counts it all", async () => {
    const generator = createScriptedModel((request) => {
      const context = request.context as TaskGenerationContext;
      return context.rejected ? { tasks: [draft("Cancel my paid order, please.", "ORD-10003")] } : { tasks: [draft("Cancel my pending order.", "ORD-10001"), draft("Cancel my delivered order.", "ORD-10002")] };
    });
    const env = createTestEnv({ generator });
    const { tasks, gate } = await generateTasks(env, { agents: [AGENT], domains: [SHOP], tools: TOOLS, count: 2, concurrency: 1 });
    expect(tasks.map((task) => task.goal)).toEqual(["Cancel my pending order.", "Cancel my paid order, please."]);
    expect(tasks[1]?.blueprint?.finalState).toMatchObject({ entities: { order: { "ORD-10003": { status: "cancelled" }, "ORD-10001": { status: "pending" } } } });
    expect(tasks[1]?.shape).toBe("chained");
    expect(gate).toEqual({ checked: 3, passed: 2, regenerated: 1, dropped: 0, rejected: { action_error: 1 } });
    const retry = generator.requests[1];
    expect((retry?.context as TaskGenerationContext).rejected).toEqual([{ goal: "Cancel my delivered order.", problems: [expect.stringMatching(/^action_error: .*cannot be cancelled: it is delivered/)] }]);
    expect(retry?.messages.at(-1)?.content).toContain("Cancel my delivered order.");
    expect((retry?.context as TaskGenerationContext).existingGoals).toEqual(["Cancel my pending order."]);
  });

  it("drops a rewrite that fails again, with a warning", async () => {
    const generator = createScriptedModel(() => ({ tasks: [draft("Cancel my delivered order.", "ORD-10002")] }));
    const env = createTestEnv({ generator });
    const { tasks, gate } = await generateTasks(env, { agents: [AGENT], domains: [SHOP], tools: TOOLS, count: 1, concurrency: 1 });
    expect(tasks).toEqual([]);
    expect(gate).toEqual({ checked: 2, passed: 0, regenerated: 1, dropped: 1, rejected: { action_error: 2 } });
    expect(env.warnings.join("\n")).toMatch(/failed the gate twice/);
  });
});

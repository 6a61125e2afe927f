import { describe, expect, it } from "vitest";
import { z } from "zod";
import { BudgetReachedError } from "../../src/errors/budget-reached-error.js";
import { ModelOutputError } from "../../src/errors/model-output-error.js";
import { classifyModelFailure } from "../../src/model/failures.js";
import { generateObject, hashPrompt, responseFormatOf } from "../../src/model/generate.js";
import type { ModelRequest } from "../../src/model/language-model.js";
import { createModels } from "../../src/model/model-set.js";
import { costOf } from "../../src/model/usage.js";
import { createScriptedModel } from "../helpers/scripted-model.js";

/** A scripted model that answers 10 input and 5 output tokens under a priced name. */
const priced = () => createScriptedModel(() => ({ content: '{"ok":true}' }), { provider: "openai", model: "priced-model" });

function ask(purpose: ModelRequest["purpose"]): ModelRequest {
  return { purpose, messages: [{ role: "user", content: "hi" }] };
}

describe("cost and budget", () => {
  it("prices tokens per million, per role, stage and purpose", async () => {
    const models = createModels(
      { prices: { "priced-model": { input: 1000, output: 2000 } } },
      { seed: 1, env: {}, override: { agent: priced(), judge: priced() } },
    );
    await models.agent.generate(ask("agent-turn"));
    await models.judge.generate(ask("judge"));
    await models.generator.generate({ ...ask("domain-evolution"), context: { purpose: "domain-evolution", seedDomains: [], count: 1 } }).catch(() => undefined);

    const report = models.usage.report();
    // 10 × 1000 / 1e6 + 5 × 2000 / 1e6 = 0.02 per request.
    expect(report.roles.agent).toEqual({ requests: 1, inputTokens: 10, outputTokens: 5, cost: 0.02, failures: 0 });
    expect(report.stages.simulate?.cost).toBeCloseTo(0.02);
    expect(report.stages.judge?.cost).toBeCloseTo(0.02);
    expect(report.purposes["agent-turn"]?.requests).toBe(1);
    expect(report.cost).toBeCloseTo(0.04);
    expect(report.unpricedModels).toEqual([]);
    expect(costOf({ inputTokens: 1_000_000, outputTokens: 0 }, { input: 0.6, output: 2.5 })).toBeCloseTo(0.6);
  });

  it("names models without a price", async () => {
    const models = createModels({}, { seed: 1, env: {}, override: { agent: priced() } });
    await models.agent.generate(ask("agent-turn"));
    expect(models.usage.report()).toMatchObject({ cost: 0, unpricedModels: ["priced-model"] });
  });

  it("stops sending once the run's budget is spent: BUDGET_REACHED, a run-level failure", async () => {
    const agent = priced();
    const models = createModels({ prices: { "priced-model": { input: 1000, output: 2000 } }, budget: { maxCost: 0.05 } }, { seed: 1, env: {}, override: { agent } });
    await models.agent.generate(ask("agent-turn"));
    await models.agent.generate(ask("agent-turn"));
    await models.agent.generate(ask("agent-turn"));
    let caught: unknown;
    try {
      await models.agent.generate(ask("agent-turn"));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BudgetReachedError);
    expect(classifyModelFailure(caught)).toMatchObject({ scope: "run", reason: "budget_reached" });
    expect((caught as Error).message).toContain("the run's budget of $0.05 is reached");
    expect(agent.requests).toHaveLength(3);
  });

  it("caps one stage and leaves the others going", async () => {
    const models = createModels(
      { prices: { "priced-model": { input: 1000, output: 2000 } }, budget: { stages: { judge: 0.01 } } },
      { seed: 1, env: {}, override: { agent: priced(), judge: priced() } },
    );
    await models.judge.generate(ask("judge"));
    await expect(models.judge.generate(ask("judge"))).rejects.toThrow(/judge stage's budget of \$0.01/);
    await models.agent.generate(ask("agent-turn"));
    expect(models.usage.report().stages.simulate?.requests).toBe(1);
  });

  it("counts answers the helpers reject as failures of their kind", async () => {
    const models = createModels({}, { seed: 1, env: {}, override: { judge: createScriptedModel(() => ({ content: "not json" })) } });
    await expect(generateObject(models.judge, { ...ask("judge"), schema: z.object({ verdict: z.string() }), schemaName: "judgment" })).rejects.toBeInstanceOf(ModelOutputError);
    expect(models.usage.report()).toMatchObject({ failures: { invalid_output: 1 }, roles: { judge: { requests: 2, failures: 1 } } });
  });
});

describe("client CPU: schemas and prompt hashes", () => {
  it("builds a schema's response format once", () => {
    const schema = z.object({ message: z.string() });
    expect(responseFormatOf(schema, "user_turn")).toBe(responseFormatOf(schema, "user_turn"));
    expect(responseFormatOf(schema, "other").name).toBe("other");
  });

  it("hashes what is sent: equal conversations alike whatever the key order, any change differently", () => {
    const base: ModelRequest = { purpose: "agent-turn", messages: [{ role: "user", content: "hi" }, { role: "assistant", content: "hello" }] };
    const reordered: ModelRequest = { purpose: "agent-turn", messages: [{ content: "hi", role: "user" }, { content: "hello", role: "assistant" }] };
    expect(hashPrompt(reordered)).toBe(hashPrompt(base));
    expect(hashPrompt({ ...base, messages: [{ role: "user", content: "hi" }, { role: "assistant", content: "hello!" }] })).not.toBe(hashPrompt(base));
    expect(hashPrompt({ ...base, messages: [{ role: "user", content: "hi" }, { role: "user", content: "hello" }] })).not.toBe(hashPrompt(base));
    const format = responseFormatOf(z.object({ a: z.string() }), "a");
    expect(hashPrompt({ ...base, responseFormat: format })).not.toBe(hashPrompt(base));
    // Splitting text differently across messages changes the hash.
    expect(hashPrompt({ ...base, messages: [{ role: "user", content: "hih" }, { role: "assistant", content: "ello" }] })).not.toBe(hashPrompt(base));
  });
});

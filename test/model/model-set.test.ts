import { afterEach, describe, expect, it } from "vitest";
import type { ModelsConfigInput } from "../../src/domain/config.js";
import { MissingApiKeyError } from "../../src/errors/missing-api-key-error.js";
import { createModels } from "../../src/model/model-set.js";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../helpers/fake-openai-server.js";

const openaiEverywhere: ModelsConfigInput = { default: { provider: "openai", model: "m" } };

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("createModels with the openai provider", () => {
  it("fails fast, naming OPENAI_API_KEY, when no key is set", () => {
    let thrown: unknown;
    try {
      createModels(openaiEverywhere, { seed: 1, env: {} });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MissingApiKeyError);
    expect((thrown as MissingApiKeyError).variable).toBe("OPENAI_API_KEY");
    expect((thrown as Error).message).toContain("OPENAI_API_KEY");
  });

  it("answers for the agent role through OPENAI_BASE_URL and OPENAI_API_KEY from the env", async () => {
    const key = "sk-model-set-test-key";
    server = await startFakeOpenAIServer({
      apiKey: key,
      handler: () => ({ kind: "message", content: "Happy to help.", usage: { prompt_tokens: 7, completion_tokens: 4 } }),
    });
    const models = createModels(openaiEverywhere, { seed: 1, env: { OPENAI_API_KEY: key, OPENAI_BASE_URL: server.url } });

    const response = await models.agent.generate({ purpose: "agent-turn", messages: [{ role: "user", content: "Can you help?" }] });

    expect(response.content).toBe("Happy to help.");
    expect(response.model).toEqual({ provider: "openai", model: "m" });
    expect(models.refs().agent).toEqual({ provider: "openai", model: "m" });
    expect(server.requests[0]?.body.model).toBe("m");
    expect(models.usage.roles().agent).toEqual({ inputTokens: 7, outputTokens: 4, requests: 1 });
  });

  it("samples the tool simulator at temperature 0 and the agent warmer, unless the settings name one", async () => {
    const key = "sk-model-set-test-key";
    server = await startFakeOpenAIServer({ apiKey: key, handler: () => ({ kind: "message", content: "{}" }) });
    const env = { OPENAI_API_KEY: key, OPENAI_BASE_URL: server.url };
    const request = { purpose: "tool-simulation" as const, messages: [{ role: "user" as const, content: "Answer." }] };
    await createModels(openaiEverywhere, { seed: 1, env }).toolSimulator.generate(request);
    await createModels({ ...openaiEverywhere, toolSimulator: { temperature: 0.9 } }, { seed: 1, env }).toolSimulator.generate(request);
    await createModels(openaiEverywhere, { seed: 1, env }).agent.generate({ ...request, purpose: "agent-turn" });
    expect(server.requests.map((entry) => entry.body.temperature)).toEqual([0, 0.9, 0.6]);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ModelOutputError } from "../../../../src/errors/model-output-error.js";
import { ModelRequestError } from "../../../../src/errors/model-request-error.js";
import { ModelUnavailableError } from "../../../../src/errors/model-unavailable-error.js";
import { classifyModelFailure } from "../../../../src/model/failures.js";
import { generateObject, generateText } from "../../../../src/model/generate.js";
import type { LanguageModel, ModelRequest } from "../../../../src/model/language-model.js";
import { createModels } from "../../../../src/model/model-set.js";
import { createOpenAIModel, type OpenAIModelOptions } from "../../../../src/model/providers/openai/openai-model.js";
import { EndpointGate } from "../../../../src/model/traffic/endpoint-gate.js";
import {
  garbageReply,
  GARBAGE_KINDS,
  refusingJsonSchema,
  startFakeOpenAIServer,
  type FakeHandler,
  type FakeOpenAIServer,
  type GarbageKind,
} from "../../../helpers/fake-openai-server.js";
import { rejectionOf } from "../../../helpers/rejection.js";

const API_KEY = "sk-test-secret-0123456789";

const servers: FakeOpenAIServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: FakeHandler): Promise<FakeOpenAIServer> {
  const server = await startFakeOpenAIServer({ handler, apiKey: API_KEY });
  servers.push(server);
  return server;
}

/** Backoff skipped, a short timeout (for the hanging kind). */
function modelFor(baseUrl: string, overrides: Partial<OpenAIModelOptions> = {}): LanguageModel {
  return createOpenAIModel({ model: "test-model", apiKey: API_KEY, baseUrl, timeoutMs: 300, maxRetries: 2, sleep: async () => undefined, random: () => 0, ...overrides });
}

function ask(content: string, extra: Partial<ModelRequest> = {}): ModelRequest {
  return { purpose: "user-turn", messages: [{ role: "user", content }], ...extra };
}

const EXPECTED_KIND: Record<GarbageKind, string> = {
  "empty-choices": "malformed_answer",
  "null-message": "malformed_answer",
  "wrong-shape": "malformed_answer",
  "invalid-json": "unreadable_body",
  "http-500": "http_error",
  "http-429": "rate_limited",
  hang: "timeout",
  disconnect: "connection",
};

describe("openai model: garbage answers are item-level failures after the retries", () => {
  for (const kind of GARBAGE_KINDS) {
    it(`${kind}: retried, then a ModelRequestError labelled ${EXPECTED_KIND[kind]}`, async () => {
      const server = await serve(() => garbageReply(kind));
      const error = await rejectionOf(modelFor(server.url).generate(ask("Hi")));

      expect(error).toBeInstanceOf(ModelRequestError);
      const failure = classifyModelFailure(error);
      expect(failure).toMatchObject({ scope: "item", kind: EXPECTED_KIND[kind] });
      expect((error as ModelRequestError).details.attempts).toBe(3);
      expect((error as ModelRequestError).message).toContain("failed after 3 attempts");
      expect(server.requests).toHaveLength(3);
    });

    it(`${kind} once, then a good answer: the request succeeds`, async () => {
      const server = await serve(({ index }) => (index === 0 ? garbageReply(kind) : { kind: "message", content: "fine", usage: { prompt_tokens: 5, completion_tokens: 1 } }));
      const response = await modelFor(server.url).generate(ask("Hi"));
      expect(response.content).toBe("fine");
      expect(server.requests).toHaveLength(2);
    });
  }
});

describe("openai model: answers cut at the token limit", () => {
  it("asks once more with twice the limit, and counts both answers' tokens", async () => {
    const server = await serve(({ index }) =>
      index === 0
        ? { kind: "message", content: '{"message": "I would like', finishReason: "length", usage: { prompt_tokens: 10, completion_tokens: 64 } }
        : { kind: "message", content: '{"message": "I would like a refund", "stop": false}', usage: { prompt_tokens: 10, completion_tokens: 12 } },
    );
    const model = modelFor(server.url, { maxOutputTokens: 64 });
    const result = await generateObject(model, { ...ask("Hi"), schema: z.object({ message: z.string(), stop: z.boolean() }), schemaName: "user_turn" });

    expect(result.object).toEqual({ message: "I would like a refund", stop: false });
    expect(server.requests.map((request) => request.body.max_tokens)).toEqual([64, 128]);
    expect(result.usage).toEqual({ inputTokens: 20, outputTokens: 76 });
  });

  it("labels an answer still cut after the larger limit as truncated, without a repair attempt", async () => {
    const server = await serve(() => ({ kind: "message", content: '{"message": "I', finishReason: "length", usage: { prompt_tokens: 10, completion_tokens: 8 } }));
    const model = modelFor(server.url, { maxOutputTokens: 8 });

    const objectError = await rejectionOf(generateObject(model, { ...ask("Hi"), schema: z.object({ message: z.string() }), schemaName: "user_turn" }));
    expect(objectError).toBeInstanceOf(ModelOutputError);
    expect(classifyModelFailure(objectError)).toMatchObject({ scope: "item", kind: "truncated" });
    expect((objectError as Error).message).toContain("cut at the output-token limit");
    expect(server.requests).toHaveLength(2);

    const textError = await rejectionOf(generateText(model, { ...ask("Hi"), purpose: "agent-turn" }));
    expect(classifyModelFailure(textError)).toMatchObject({ scope: "item", kind: "truncated" });
  });
});

describe("openai model: endpoints without json_schema", () => {
  it("falls back to json_object with the schema in the prompt, and remembers it for the endpoint", async () => {
    const server = await serve(refusingJsonSchema(() => ({ kind: "message", content: '{"message": "hello", "stop": false}' })));
    const schema = z.object({ message: z.string(), stop: z.boolean() });
    const model = modelFor(server.url);

    const first = await generateObject(model, { purpose: "user-turn", messages: [{ role: "system", content: "You are a customer." }, { role: "user", content: "Go" }], schema, schemaName: "user_turn" });
    expect(first.object).toEqual({ message: "hello", stop: false });
    expect(server.requests.map((request) => (request.body.response_format as { type: string }).type)).toEqual(["json_schema", "json_object"]);
    const messages = server.requests[1]?.body.messages as Array<{ role: string; content: string }>;
    expect(messages[0]?.role).toBe("system");
    expect(messages[0]?.content).toContain("You are a customer.");
    expect(messages[0]?.content).toContain('"stop"');
    expect(messages[0]?.content).toContain("JSON Schema (user_turn)");

    // Another model object on the same endpoint and model asks in JSON mode straight away.
    await generateObject(modelFor(server.url), { ...ask("Again"), schema, schemaName: "user_turn" });
    expect(server.requests).toHaveLength(3);
    expect((server.requests[2]?.body.response_format as { type: string }).type).toBe("json_object");
  });
});

describe("openai model: systemic failures stop the run", () => {
  it("a 404 (no such model) is MODEL_UNAVAILABLE at once, not retried", async () => {
    const server = await serve(() => ({ kind: "error", status: 404, body: { error: { message: "The model `kimi-k2-0905-preview` does not exist", type: "invalid_request_error" } } }));
    const error = await rejectionOf(modelFor(server.url).generate(ask("Hi")));
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(classifyModelFailure(error)).toMatchObject({ scope: "run", reason: "not_found" });
    expect((error as Error).message).toContain("does not exist");
    expect(server.requests).toHaveLength(1);
  });

  it("a 403 is MODEL_UNAVAILABLE (forbidden)", async () => {
    const server = await serve(() => ({ kind: "error", status: 403 }));
    expect(classifyModelFailure(await rejectionOf(modelFor(server.url).generate(ask("Hi"))))).toMatchObject({ scope: "run", reason: "forbidden" });
  });

  it("a 401 through the model set: systemic, with the reason, and no request counted as answered", async () => {
    const server = await serve(() => ({ kind: "message", content: "never" }));
    const models = createModels({ default: { provider: "openai", model: "m", baseUrl: server.url, apiKey: "sk-wrong-0000000000" } }, { seed: 1, env: {} });
    const error = await rejectionOf(models.agent.generate(ask("Hi")));
    expect(classifyModelFailure(error)).toMatchObject({ scope: "run", reason: "unauthorized" });
    expect(models.usage.report().roles.agent).toBeUndefined();
  });

  it("opens the circuit breaker when most recent requests failed, and refuses further requests without sending them", async () => {
    const server = await serve(() => garbageReply("http-500"));
    const gate = new EndpointGate({ endpoint: server.url, maxConcurrency: 8, adaptiveConcurrency: false, circuitBreaker: { enabled: true, window: 4, failureRatio: 0.75 } });
    const model = modelFor(server.url, { maxRetries: 0, gate });

    for (let request = 0; request < 4; request++) expect(await rejectionOf(model.generate(ask(`Hi ${request}`)))).toBeInstanceOf(ModelRequestError);
    const error = await rejectionOf(model.generate(ask("once more")));

    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(classifyModelFailure(error)).toMatchObject({ scope: "run", reason: "circuit_open" });
    expect((error as Error).message).toContain("4 of the last 4 requests failed");
    expect(server.requests).toHaveLength(4);
    expect(gate.traffic().circuit).toBe("open");
  });

  it("keeps the circuit closed while most requests succeed", async () => {
    const server = await serve(({ index }) => (index % 3 === 0 ? garbageReply("http-500") : { kind: "message", content: "ok" }));
    const gate = new EndpointGate({ endpoint: server.url, maxConcurrency: 8, adaptiveConcurrency: false, circuitBreaker: { enabled: true, window: 4, failureRatio: 0.75 } });
    const model = modelFor(server.url, { maxRetries: 0, gate });
    for (let request = 0; request < 12; request++) await model.generate(ask(`Hi ${request}`)).catch(() => undefined);
    expect(gate.traffic().circuit).toBe("closed");
  });
});

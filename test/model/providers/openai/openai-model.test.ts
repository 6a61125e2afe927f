import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ChatMessage } from "../../../../src/domain/message.js";
import type { FunctionTool } from "../../../../src/domain/tool.js";
import { CancelledError } from "../../../../src/errors/cancelled-error.js";
import { ModelOutputError } from "../../../../src/errors/model-output-error.js";
import { ModelRequestError } from "../../../../src/errors/model-request-error.js";
import { ModelUnavailableError } from "../../../../src/errors/model-unavailable-error.js";
import { generateObject } from "../../../../src/model/generate.js";
import type { LanguageModel, ModelRequest } from "../../../../src/model/language-model.js";
import { createOpenAIModel, type OpenAIModelOptions } from "../../../../src/model/providers/openai/openai-model.js";
import { backoffDelayMs, MAX_BACKOFF_MS, MAX_RETRY_AFTER_MS, retryAfterMs } from "../../../../src/model/providers/openai/retry-policy.js";
import { startFakeOpenAIServer, type FakeHandler, type FakeOpenAIServer, type FakeReply } from "../../../helpers/fake-openai-server.js";
import { rejectionOf } from "../../../helpers/rejection.js";

const API_KEY = "sk-test-secret-0123456789";

const servers: FakeOpenAIServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: FakeHandler, latencyMs = 0): Promise<FakeOpenAIServer> {
  const server = await startFakeOpenAIServer({ handler, latencyMs, apiKey: API_KEY });
  servers.push(server);
  return server;
}

/** A model whose backoff sleeps are recorded (and skipped), with jitter fixed at 0. */
function modelFor(baseUrl: string, overrides: Partial<OpenAIModelOptions> = {}): { model: LanguageModel; sleeps: number[] } {
  const sleeps: number[] = [];
  const model = createOpenAIModel({
    model: "test-model",
    apiKey: API_KEY,
    baseUrl,
    timeoutMs: 5_000,
    maxRetries: 3,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0,
    ...overrides,
  });
  return { model, sleeps };
}

function ask(content: string, extra: Partial<ModelRequest> = {}): ModelRequest {
  return { purpose: "agent-turn", messages: [{ role: "user", content }], ...extra };
}

const weatherTool: FunctionTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather in a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
async function unusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe("openai model: answers", () => {
  it("returns a plain text answer with usage, the model ref and a latency", async () => {
    const server = await serve(() => ({ kind: "message", content: "Hello there.", usage: { prompt_tokens: 12, completion_tokens: 3 } }));
    const { model } = modelFor(server.url);

    const response = await model.generate(ask("Hi"));

    expect(model.ref).toEqual({ provider: "openai", model: "test-model" });
    expect(response).toMatchObject({
      content: "Hello there.",
      toolCalls: [],
      finishReason: "stop",
      usage: { inputTokens: 12, outputTokens: 3 },
      model: { provider: "openai", model: "test-model" },
    });
    expect(response.reasoning).toBeUndefined();
    expect(response.latencyMs).toBeGreaterThanOrEqual(0);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("reports zero usage when the server sends none", async () => {
    const server = await serve(() => ({ kind: "message", content: "ok" }));
    const response = await modelFor(server.url).model.generate(ask("Hi"));
    expect(response.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
  });

  it("round-trips two parallel tool calls, keeping the argument strings verbatim", async () => {
    const parisArgs = '{"city":  "Paris" }';
    const tokyoArgs = '{\n  "city": "Tokyo"\n}';
    const server = await serve(({ index }) =>
      index === 0
        ? {
            kind: "message",
            toolCalls: [
              { id: "call_a", name: "get_weather", arguments: parisArgs },
              { id: "call_b", name: "get_weather", arguments: tokyoArgs },
            ],
          }
        : { kind: "message", content: "Paris is sunny, Tokyo is rainy." },
    );
    const { model } = modelFor(server.url);

    const first = await model.generate(ask("Weather in Paris and Tokyo?", { tools: [weatherTool], parallelToolCalls: true }));
    expect(first.finishReason).toBe("tool_calls");
    expect(first.content).toBeNull();
    expect(first.toolCalls).toEqual([
      { id: "call_a", type: "function", function: { name: "get_weather", arguments: parisArgs } },
      { id: "call_b", type: "function", function: { name: "get_weather", arguments: tokyoArgs } },
    ]);

    const conversation: ChatMessage[] = [
      { role: "user", content: "Weather in Paris and Tokyo?" },
      { role: "assistant", content: first.content, tool_calls: first.toolCalls },
      { role: "tool", tool_call_id: "call_a", content: '{"sky":"sunny"}' },
      { role: "tool", tool_call_id: "call_b", content: '{"sky":"rain"}' },
    ];
    const second = await model.generate({ purpose: "agent-turn", messages: conversation, tools: [weatherTool] });
    expect(second.content).toBe("Paris is sunny, Tokyo is rainy.");
    expect(server.requests[1]?.body.messages).toEqual(conversation);
  });

  it("returns tool-call arguments that are not valid JSON as data, without throwing", async () => {
    const broken = '{"city": "Paris", ';
    const server = await serve(() => ({ kind: "message", toolCalls: [{ id: "call_x", name: "get_weather", arguments: broken }] }));
    const response = await modelFor(server.url).model.generate(ask("Weather?", { tools: [weatherTool] }));
    expect(response.toolCalls[0]?.function.arguments).toBe(broken);
  });

  it("gives a tool call without an id a generated one", async () => {
    const server = await serve(() => ({ kind: "message", toolCalls: [{ id: "", name: "get_weather", arguments: "{}" }] }));
    const response = await modelFor(server.url).model.generate(ask("Weather?", { tools: [weatherTool] }));
    expect(response.toolCalls[0]?.id).toMatch(/^call_\w+$/);
  });

  it("keeps reasoning from reasoning_content or reasoning", async () => {
    const server = await serve(({ index }) =>
      index === 0
        ? { kind: "message", content: "4", reasoning: "2+2 is 4." }
        : { kind: "message", content: "6", reasoning: "3+3 is 6.", reasoningField: "reasoning" },
    );
    const { model } = modelFor(server.url);
    expect((await model.generate(ask("2+2?"))).reasoning).toBe("2+2 is 4.");
    expect((await model.generate(ask("3+3?"))).reasoning).toBe("3+3 is 6.");
  });

  it("sends reasoning_content back only on assistant messages that have it", async () => {
    const server = await serve(() => ({ kind: "message", content: "done" }));
    const messages: ChatMessage[] = [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Weather?" },
      {
        role: "assistant",
        content: null,
        reasoning_content: "I should call the tool.",
        tool_calls: [{ id: "c1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }],
      },
      { role: "tool", tool_call_id: "c1", content: "cold" },
      { role: "assistant", content: "It is cold." },
      { role: "user", content: "Thanks" },
    ];
    await modelFor(server.url).model.generate({ purpose: "agent-turn", messages, tools: [weatherTool] });
    const sent = server.requests[0]?.body.messages as Array<Record<string, unknown>>;
    expect(sent[2]?.reasoning_content).toBe("I should call the tool.");
    expect(sent[4]).toEqual({ role: "assistant", content: "It is cold." });
    expect(sent.filter((message) => "reasoning_content" in message)).toHaveLength(1);
  });
});

describe("openai model: request body", () => {
  it("sends model, messages, tools, tool_choice, parallel_tool_calls, response_format, seed, temperature and max_tokens", async () => {
    const server = await serve(() => ({ kind: "message", content: "{}" }));
    const { model } = modelFor(server.url, { temperature: 0.3, maxOutputTokens: 256 });
    const schema = { type: "object", properties: { answer: { type: "string" } } };

    await model.generate(
      ask("Go", {
        tools: [weatherTool],
        toolChoice: "required",
        parallelToolCalls: false,
        responseFormat: { type: "json_schema", name: "final answer", schema },
        seed: 42,
      }),
    );

    expect(server.requests[0]?.body).toEqual({
      model: "test-model",
      messages: [{ role: "user", content: "Go" }],
      tools: [weatherTool],
      tool_choice: "required",
      parallel_tool_calls: false,
      response_format: { type: "json_schema", json_schema: { name: "final_answer", schema, strict: false } },
      seed: 42,
      temperature: 0.3,
      max_tokens: 256,
    });
  });

  it("prefers the request's temperature and token limit, and leaves tool fields out when there are no tools", async () => {
    const server = await serve(() => ({ kind: "message", content: "ok" }));
    const { model } = modelFor(server.url, { temperature: 0.3, maxOutputTokens: 256 });

    await model.generate(ask("Go", { toolChoice: "auto", parallelToolCalls: true, temperature: 0.9, maxOutputTokens: 32, tools: [] }));

    expect(server.requests[0]?.body).toEqual({
      model: "test-model",
      messages: [{ role: "user", content: "Go" }],
      temperature: 0.9,
      max_tokens: 32,
    });
  });
});

describe("openai model: structured output through generateObject", () => {
  const Answer = z.object({ city: z.string(), temperatureC: z.number() });

  it("repairs an invalid first answer, showing the model its mistakes", async () => {
    const server = await serve(({ index }) =>
      index === 0
        ? { kind: "message", content: '{"city": "Oslo"}', usage: { prompt_tokens: 10, completion_tokens: 5 } }
        : { kind: "message", content: '{"city": "Oslo", "temperatureC": -3}', usage: { prompt_tokens: 20, completion_tokens: 6 } },
    );
    const { model } = modelFor(server.url);

    const result = await generateObject(model, { ...ask("Weather in Oslo as JSON"), schema: Answer, schemaName: "Answer" });

    expect(result.object).toEqual({ city: "Oslo", temperatureC: -3 });
    expect(result.attempts).toBe(2);
    expect(result.usage).toEqual({ inputTokens: 30, outputTokens: 11 });
    const repair = server.requests[1]?.body.messages as Array<{ role: string; content: string }>;
    expect(repair).toHaveLength(3);
    expect(repair[1]).toEqual({ role: "assistant", content: '{"city": "Oslo"}' });
    expect(repair[2]?.role).toBe("user");
    expect(repair[2]?.content).toContain("not valid Answer JSON");
    expect(repair[2]?.content).toContain("temperatureC");
    expect(server.requests[1]?.body.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "Answer", strict: false } });
  });

  it("throws ModelOutputError when the repair is invalid too", async () => {
    const server = await serve(() => ({ kind: "message", content: "not json at all" }));
    const error = await rejectionOf(generateObject(modelFor(server.url).model, { ...ask("JSON please"), schema: Answer, schemaName: "Answer" }));
    expect(error).toBeInstanceOf(ModelOutputError);
    expect(server.requests).toHaveLength(2);
  });
});

describe("openai model: retries", () => {
  it("honours retry-after on a 429 and then succeeds", async () => {
    const server = await serve(({ index }) =>
      index === 0 ? { kind: "error", status: 429, headers: { "retry-after": "1" } } : { kind: "message", content: "finally" },
    );
    const { model, sleeps } = modelFor(server.url);

    const response = await model.generate(ask("Hi"));

    expect(response.content).toBe("finally");
    expect(sleeps).toEqual([1000]);
    expect(server.requests).toHaveLength(2);
  });

  it("honours retry-after-ms", async () => {
    const server = await serve(({ index }) =>
      index === 0 ? { kind: "error", status: 503, headers: { "retry-after-ms": "250" } } : { kind: "message", content: "ok" },
    );
    const { model, sleeps } = modelFor(server.url);
    await model.generate(ask("Hi"));
    expect(sleeps).toEqual([250]);
  });

  it("backs off exponentially over two 500s and then succeeds", async () => {
    const server = await serve(({ index }) => (index < 2 ? { kind: "error", status: 500 } : { kind: "message", content: "ok" }));
    const { model, sleeps } = modelFor(server.url);

    const response = await model.generate(ask("Hi"));

    expect(response.content).toBe("ok");
    expect(sleeps).toEqual([500, 1000]);
    expect(server.requests).toHaveLength(3);
  });

  it("throws ModelRequestError after maxRetries + 1 attempts of 500, saying what happened", async () => {
    const server = await serve(() => ({ kind: "error", status: 500, body: { error: { message: "the GPU caught fire", type: "server_error" } } }));
    const { model, sleeps } = modelFor(server.url, { maxRetries: 2 });

    const error = await rejectionOf(model.generate(ask("Hi")));

    expect(error).toBeInstanceOf(ModelRequestError);
    const requestError = error as ModelRequestError;
    expect(requestError.details).toEqual({ kind: "http_error", status: 500, attempts: 3, purpose: "agent-turn", retryable: true });
    expect(requestError.code).toBe("MODEL_REQUEST_FAILED");
    expect(requestError.message).toBe(
      `POST ${server.url}/chat/completions (model "test-model") failed after 3 attempts: HTTP 500 Internal Server Error (the GPU caught fire)`,
    );
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it("quotes error bodies that are not shaped like OpenAI's (vLLM {message}, plain text)", async () => {
    const server = await serve(({ index }) =>
      index === 0
        ? { kind: "error", status: 400, body: { object: "error", message: "max_tokens is too large", type: "BadRequestError", code: 400 } }
        : { kind: "error", status: 422, body: "unprocessable:   model   missing" },
    );
    const { model } = modelFor(server.url);
    expect(((await rejectionOf(model.generate(ask("a")))) as Error).message).toContain("HTTP 400 Bad Request (max_tokens is too large)");
    expect(((await rejectionOf(model.generate(ask("b")))) as Error).message).toContain("HTTP 422 Unprocessable Entity (unprocessable: model missing)");
  });

  it("does not retry a 400", async () => {
    const server = await serve(() => ({ kind: "error", status: 400, body: { error: { message: "bad schema", type: "invalid_request_error" } } }));
    const { model, sleeps } = modelFor(server.url);

    const error = (await rejectionOf(model.generate(ask("Hi")))) as ModelRequestError;

    expect(error).toBeInstanceOf(ModelRequestError);
    expect(error.details).toEqual({ kind: "http_error", status: 400, attempts: 1, purpose: "agent-turn", retryable: false });
    expect(error.message).toContain("failed after 1 attempt: HTTP 400 Bad Request (bad schema)");
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("does not retry a wrong key: a systemic error (the run stops), never showing the key", async () => {
    const server = await serve(() => ({ kind: "message", content: "unreachable" }));
    const wrongKey = "sk-wrong-key-abcdefghijkl";
    const { model, sleeps } = modelFor(server.url, { apiKey: wrongKey });

    const error = (await rejectionOf(model.generate(ask("Hi")))) as ModelUnavailableError;

    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error.code).toBe("MODEL_UNAVAILABLE");
    expect(error.details).toMatchObject({ reason: "unauthorized", status: 401, model: "test-model", purpose: "agent-turn" });
    expect(sleeps).toEqual([]);
    expect(error.message).toContain("HTTP 401 Unauthorized");
    expect(error.message).toContain("check the API key");
    expect(error.message).not.toContain(wrongKey);
    expect(server.requests).toHaveLength(0);
  });

  it("redacts the key when a server echoes it", async () => {
    const server = await serve(() => ({ kind: "error", status: 400, body: { error: { message: `key ${API_KEY} is not allowed` } } }));
    const error = (await rejectionOf(modelFor(server.url).model.generate(ask("Hi")))) as Error;
    expect(error.message).toContain("key *** is not allowed");
    expect(error.message).not.toContain(API_KEY);
  });

  it("reports an unreachable endpoint as a connection failure after retrying", async () => {
    const port = await unusedPort();
    const { model, sleeps } = modelFor(`http://127.0.0.1:${port}/v1`, { maxRetries: 2 });

    const error = (await rejectionOf(model.generate(ask("Hi")))) as ModelRequestError;

    expect(error).toBeInstanceOf(ModelRequestError);
    expect(error.message).toBe(
      `POST http://127.0.0.1:${port}/v1/chat/completions (model "test-model") failed after 3 attempts: could not connect (ECONNREFUSED)`,
    );
    expect(error.details).toEqual({ kind: "connection", attempts: 3, purpose: "agent-turn", retryable: true });
    expect(sleeps).toEqual([500, 1000]);
  });

  it("retries a dropped connection", async () => {
    const server = await serve(({ index }) => (index === 0 ? { kind: "disconnect" } : { kind: "message", content: "ok" }));
    const response = await modelFor(server.url).model.generate(ask("Hi"));
    expect(response.content).toBe("ok");
    expect(server.requests).toHaveLength(2);
  });

  it("times out a slow answer, retries, then fails with a timeout", async () => {
    const server = await serve(() => ({ kind: "hang" }));
    const { model, sleeps } = modelFor(server.url, { timeoutMs: 200, maxRetries: 1 });
    const started = Date.now();

    const error = (await rejectionOf(model.generate(ask("Hi")))) as ModelRequestError;

    expect(error).toBeInstanceOf(ModelRequestError);
    expect(error.message).toContain("failed after 2 attempts: timed out after 200 ms");
    expect(error.details).toEqual({ kind: "timeout", attempts: 2, purpose: "agent-turn", retryable: true });
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("times out an answer slower than timeoutMs (server latency)", async () => {
    const server = await serve(() => ({ kind: "message", content: "too late" }), 1_000);
    const { model } = modelFor(server.url, { timeoutMs: 200, maxRetries: 0 });
    const error = (await rejectionOf(model.generate(ask("Hi")))) as Error;
    expect(error.message).toContain("failed after 1 attempt: timed out after 200 ms");
  });

  it("retries a 200 whose body is not JSON, then says so", async () => {
    const server = await serve(() => ({ kind: "invalid-json" }));
    const error = (await rejectionOf(modelFor(server.url, { maxRetries: 1 }).model.generate(ask("Hi")))) as ModelRequestError;
    expect(error.message).toContain("failed after 2 attempts: the answer was not valid JSON");
    expect(server.requests).toHaveLength(2);
  });
});

describe("openai model: cancellation", () => {
  it("throws CancelledError promptly when the signal aborts during a request", async () => {
    const server = await serve(() => ({ kind: "hang" }));
    const { model } = modelFor(server.url, { timeoutMs: 30_000 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);

    const error = await rejectionOf(model.generate(ask("Hi", { signal: controller.signal })));

    expect(error).toBeInstanceOf(CancelledError);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(server.requests).toHaveLength(1);
  });

  it("throws CancelledError promptly when the signal aborts during a backoff wait", async () => {
    const server = await serve(() => ({ kind: "error", status: 429, headers: { "retry-after": "30" } }));
    // The real sleep, not the recording one: it must wake up on abort.
    const model = createOpenAIModel({ model: "test-model", apiKey: API_KEY, baseUrl: server.url, timeoutMs: 5_000, maxRetries: 3 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);

    const error = await rejectionOf(model.generate(ask("Hi", { signal: controller.signal })));

    expect(error).toBeInstanceOf(CancelledError);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(server.requests).toHaveLength(1);
  });

  it("sends nothing when the signal is already aborted", async () => {
    const server = await serve(() => ({ kind: "message", content: "ok" }));
    const error = await rejectionOf(modelFor(server.url).model.generate(ask("Hi", { signal: AbortSignal.abort() })));
    expect(error).toBeInstanceOf(CancelledError);
    expect(server.requests).toHaveLength(0);
  });
});

describe("openai model: streaming", () => {
  it("assembles content, reasoning, tool-call deltas and usage into one response", async () => {
    const argsA = '{"city": "Paris", "unit": "celsius"}';
    const argsB = '{"city": "Tokyo"';
    const server = await serve(() => ({
      kind: "message",
      content: "Let me check the weather for both cities.",
      reasoning: "Two cities, so two calls.",
      toolCalls: [
        { id: "call_1", name: "get_weather", arguments: argsA },
        { id: "call_2", name: "get_weather", arguments: argsB },
      ],
      usage: { prompt_tokens: 40, completion_tokens: 25 },
    }));
    const { model } = modelFor(server.url, { stream: true });

    const response = await model.generate(ask("Weather?", { tools: [weatherTool] }));

    expect(server.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(response).toMatchObject({
      content: "Let me check the weather for both cities.",
      reasoning: "Two cities, so two calls.",
      finishReason: "tool_calls",
      usage: { inputTokens: 40, outputTokens: 25 },
      model: { provider: "openai", model: "test-model" },
    });
    expect(response.toolCalls).toEqual([
      { id: "call_1", type: "function", function: { name: "get_weather", arguments: argsA } },
      { id: "call_2", type: "function", function: { name: "get_weather", arguments: argsB } },
    ]);
  });

  it("streams a plain text answer", async () => {
    const server = await serve(() => ({ kind: "message", content: "Just text, streamed in pieces." }));
    const response = await modelFor(server.url, { stream: true }).model.generate(ask("Hi"));
    expect(response).toMatchObject({ content: "Just text, streamed in pieces.", toolCalls: [], finishReason: "stop" });
    expect(response.reasoning).toBeUndefined();
  });

  it("retries a streamed request that failed with a 500", async () => {
    const server = await serve(({ index }): FakeReply => (index === 0 ? { kind: "error", status: 502 } : { kind: "message", content: "ok" }));
    const { model, sleeps } = modelFor(server.url, { stream: true });
    expect((await model.generate(ask("Hi"))).content).toBe("ok");
    expect(sleeps).toEqual([500]);
  });
});

describe("retry policy", () => {
  it("doubles the backoff from 500 ms up to the cap, with up to 25% jitter off", () => {
    expect([0, 1, 2, 3].map((retry) => backoffDelayMs(retry, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelayMs(20, () => 0)).toBe(MAX_BACKOFF_MS);
    expect(backoffDelayMs(0, () => 0.999)).toBeGreaterThanOrEqual(375);
  });

  it("reads retry-after as seconds or an HTTP date, and retry-after-ms first, capped", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs(new Headers({ "retry-after": "2.5" }), now)).toBe(2500);
    expect(retryAfterMs(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:07 GMT" }), now)).toBe(7000);
    expect(retryAfterMs(new Headers({ "retry-after": "5", "retry-after-ms": "120" }), now)).toBe(120);
    expect(retryAfterMs(new Headers({ "retry-after": "86400" }), now)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterMs(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });
});

describe("fake OpenAI server", () => {
  it("rejects requests without a bearer token", async () => {
    const server = await serve(() => ({ kind: "message", content: "ok" }));
    const response = await fetch(`${server.url}/chat/completions`, { method: "POST", body: "{}" });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_api_key" } });
  });

  it("answers concurrent requests in parallel", async () => {
    // Each answer waits until all 32 requests are in: only a server (and client) that hold them at once get there.
    let arrived = 0;
    let releaseAll: () => void = () => undefined;
    const allIn = new Promise<void>((resolve) => (releaseAll = resolve));
    const server = await serve(async () => {
      if (++arrived === 32) releaseAll();
      await allIn;
      return { kind: "message", content: "ok" };
    });
    const { model } = modelFor(server.url);

    const responses = await Promise.all(Array.from({ length: 32 }, (_, i) => model.generate(ask(`q${i}`))));

    expect(responses.every((response) => response.content === "ok")).toBe(true);
    expect(server.requests).toHaveLength(32);
    expect(server.peakConcurrency()).toBe(32);
  });

  it("closes with a hanging request open", async () => {
    const server = await startFakeOpenAIServer({ handler: () => ({ kind: "hang" }) });
    const pending = fetch(`${server.url}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer x" },
      body: JSON.stringify({ model: "m", messages: [] }),
    }).catch((error: unknown) => error);
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));

    await server.close();

    expect(await pending).toBeInstanceOf(Error);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ChatMessage } from "../../src/domain/message.js";
import type { FunctionTool } from "../../src/domain/tool.js";
import { PipelineConfigSchema } from "../../src/domain/config.js";
import { ConfigError } from "../../src/errors/config-error.js";
import { MissingApiKeyError } from "../../src/errors/missing-api-key-error.js";
import { generateObject } from "../../src/model/generate.js";
import { resolveModelSettings, resolveRemoteSettings } from "../../src/model/model-settings.js";
import { createModels } from "../../src/model/model-set.js";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../helpers/fake-openai-server.js";

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const digitTool: FunctionTool = {
  type: "function",
  function: { name: "21st_lookup", description: "Look a component up", parameters: { type: "object", properties: { id: { type: "string" } } } },
};

describe("presets and per-role defaults", () => {
  it("fills base URL, key variable, token parameter, thinking switch and role defaults from the preset", () => {
    const moonshot = resolveRemoteSettings("judge", { provider: "moonshot", model: "kimi-k2.6" }, { MOONSHOT_API_KEY: "sk-moon" });
    expect(moonshot).toMatchObject({
      baseUrl: "https://api.moonshot.ai/v1",
      apiKey: "sk-moon",
      tokenParameter: "max_completion_tokens",
      temperature: 0,
      maxOutputTokens: 4096,
      extraBody: { thinking: { type: "disabled" } },
      toolNamesStartWithLetter: true,
      reasoningOnToolCalls: true,
    });
    // The generator keeps the provider's thinking default and writes warm.
    const generator = resolveRemoteSettings("generator", { provider: "moonshot", model: "kimi-k2.6" }, { MOONSHOT_API_KEY: "sk-moon" });
    expect(generator.extraBody).toEqual({});
    expect(generator.temperature).toBe(0.8);

    expect(resolveRemoteSettings("toolSimulator", { provider: "deepseek", model: "deepseek-v4-flash" }, { DEEPSEEK_API_KEY: "k" })).toMatchObject({
      baseUrl: "https://api.deepseek.com",
      structuredOutput: "json_object",
      extraBody: { thinking: { type: "disabled" } },
    });
    expect(resolveRemoteSettings("judge", { provider: "vllm", model: "Qwen/Qwen3-32B" }, {})).toMatchObject({
      baseUrl: "http://127.0.0.1:8000/v1",
      apiKey: "EMPTY",
      extraBody: { chat_template_kwargs: { enable_thinking: false } },
    });
    expect(resolveRemoteSettings("agent", { provider: "ollama", model: "qwen3:8b" }, {}).baseUrl).toBe("http://127.0.0.1:11434/v1");
    expect(resolveRemoteSettings("judge", { provider: "openrouter", model: "moonshotai/kimi-k2.6" }, { OPENROUTER_API_KEY: "k" }).extraBody).toEqual({ reasoning: { enabled: false } });
    // The OpenAI API itself wants max_completion_tokens; another compatible server gets max_tokens.
    expect(resolveRemoteSettings("agent", { provider: "openai", model: "gpt-5-mini" }, { OPENAI_API_KEY: "k" }).tokenParameter).toBe("max_completion_tokens");
    expect(resolveRemoteSettings("agent", { provider: "openai", model: "m", baseUrl: "http://127.0.0.1:9/v1" }, { OPENAI_API_KEY: "k" }).tokenParameter).toBe("max_tokens");
  });

  it("lets the role's settings win over the preset, extraBody over the thinking switch", () => {
    const settings = resolveRemoteSettings(
      "judge",
      { provider: "vllm", model: "m", thinking: true, extraBody: { chat_template_kwargs: { thinking: true } }, tokenParameter: "max_completion_tokens", temperature: null, maxOutputTokens: 99 },
      {},
    );
    expect(settings).toMatchObject({ extraBody: { chat_template_kwargs: { thinking: true } }, tokenParameter: "max_completion_tokens", temperature: undefined, maxOutputTokens: 99 });
  });

  it("refuses a temperature outside the provider's range before any work, naming the field", () => {
    const config = PipelineConfigSchema.parse({ models: { default: { provider: "offline", model: "offline" }, agent: { provider: "moonshot", model: "kimi-k2.6", temperature: 1.5 } } });
    let caught: unknown;
    try {
      createModels(config.models, { seed: 1, env: { MOONSHOT_API_KEY: "k" } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message).toContain("models.agent.temperature: expected a number from 0 to 1");
  });

  it("names the preset's key variable when the key is missing", () => {
    expect(() => createModels({ default: { provider: "deepseek", model: "deepseek-v4-flash" } }, { seed: 1, env: {} })).toThrow(MissingApiKeyError);
    expect(() => createModels({ default: { provider: "deepseek", model: "deepseek-v4-flash" } }, { seed: 1, env: {} })).toThrow(/DEEPSEEK_API_KEY/);
  });

  it("takes the role's own settings over default", () => {
    const config = { default: { provider: "openai" as const, model: "a", temperature: 0.2 }, judge: { model: "b" } };
    expect(resolveModelSettings(config, "judge")).toMatchObject({ provider: "openai", model: "b", temperature: 0.2 });
  });
});

describe("a Moonshot-style endpoint on the wire", () => {
  it("sends max_completion_tokens, the thinking switch, a clamped temperature, renamed tools and empty reasoning on tool-call turns, and maps calls back", async () => {
    server = await startFakeOpenAIServer({
      handler: ({ index }) =>
        index === 0 ? { kind: "message", content: null, toolCalls: [{ name: "t_21st_lookup", arguments: '{"id":"a1"}' }] } : { kind: "message", content: '{"verdict":"pass"}' },
    });
    const models = createModels(
      { default: { provider: "offline", model: "offline" }, agent: { provider: "moonshot", model: "kimi-k2.6", baseUrl: server.url, apiKey: "sk-moon" }, judge: { provider: "moonshot", model: "kimi-k2.6", baseUrl: server.url, apiKey: "sk-moon" } },
      { seed: 1, env: {} },
    );
    const history: ChatMessage[] = [
      { role: "user", content: "Find a1" },
      { role: "assistant", content: "", tool_calls: [{ id: "c0", type: "function", function: { name: "21st_lookup", arguments: '{"id":"a0"}' } }] },
      { role: "tool", tool_call_id: "c0", content: "{}" },
    ];
    const response = await models.agent.generate({ purpose: "agent-turn", messages: history, tools: [digitTool], temperature: 1.4 });
    expect(response.toolCalls[0]?.function.name).toBe("21st_lookup");

    const body = server.requests[0]?.body as Record<string, unknown>;
    expect(body.max_completion_tokens).toBe(4096);
    expect(body.max_tokens).toBeUndefined();
    expect(body.temperature).toBe(1);
    expect(body.thinking).toBeUndefined();
    expect((body.tools as FunctionTool[])[0]?.function.name).toBe("t_21st_lookup");
    const assistant = (body.messages as Array<Record<string, unknown>>)[1];
    expect(assistant).toMatchObject({ role: "assistant", content: null, reasoning_content: "", tool_calls: [{ function: { name: "t_21st_lookup" } }] });

    await generateObject(models.judge, { purpose: "judge", messages: [{ role: "user", content: "Grade" }], schema: z.object({ verdict: z.string() }), schemaName: "judgment" });
    const judgeBody = server.requests[1]?.body as Record<string, unknown>;
    expect(judgeBody).toMatchObject({ temperature: 0, thinking: { type: "disabled" }, max_completion_tokens: 4096 });
    expect(models.refs().agent).toEqual({ provider: "moonshot", model: "kimi-k2.6" });
  });
});

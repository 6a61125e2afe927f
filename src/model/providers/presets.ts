import type { JsonObject } from "../../domain/common.js";
import type { ProviderName, StructuredOutput, TokenParameter } from "../../domain/config.js";

/**
 * What agentsynth knows about each kind of OpenAI-compatible endpoint: where it is, which variable holds its
 * key, how it wants the output-token limit, whether it takes JSON Schema response formats, its temperature
 * range, how its thinking is switched, and what it accepts as a tool name. A role's own settings win.
 */
export interface ProviderPreset {
  /** undefined: OPENAI_BASE_URL, else the openai package's default (api.openai.com). */
  baseUrl?: string;
  apiKeyEnv: string;
  /** Local servers accept any key: one is sent when none is configured. */
  keyOptional: boolean;
  tokenParameter: TokenParameter;
  structuredOutput: StructuredOutput;
  temperature: { min: number; max: number };
  /** The body fields that switch thinking on or off; undefined when the preset knows no switch. */
  thinking?: (enabled: boolean) => JsonObject;
  /** Tool names must start with a letter (Moonshot, Gemini through OpenRouter); others are renamed and mapped back. */
  toolNamesStartWithLetter: boolean;
  /** Tool-call turns must carry `reasoning_content`, empty when there was none (Moonshot, DeepSeek thinking modes). */
  reasoningOnToolCalls: boolean;
}

/** A key for servers that ignore it (vLLM without --api-key, SGLang, Ollama). */
export const PLACEHOLDER_API_KEY = "EMPTY";

const OPENAI_COMPATIBLE: ProviderPreset = {
  apiKeyEnv: "OPENAI_API_KEY",
  keyOptional: false,
  tokenParameter: "max_tokens",
  structuredOutput: "json_schema",
  temperature: { min: 0, max: 2 },
  toolNamesStartWithLetter: false,
  reasoningOnToolCalls: false,
};

/** Moonshot's and DeepSeek's switch. */
const thinkingType = (enabled: boolean): JsonObject => ({ thinking: { type: enabled ? "enabled" : "disabled" } });

const VLLM: ProviderPreset = {
  ...OPENAI_COMPATIBLE,
  baseUrl: "http://127.0.0.1:8000/v1",
  apiKeyEnv: "VLLM_API_KEY",
  keyOptional: true,
  // Qwen3-style chat templates; other templates take other keys (give them in extraBody.chat_template_kwargs).
  thinking: (enabled) => ({ chat_template_kwargs: { enable_thinking: enabled } }),
};

const PRESETS: Record<Exclude<ProviderName, "offline">, ProviderPreset> = {
  // Any OpenAI-compatible endpoint: the fields every server accepts (max_tokens rather than max_completion_tokens).
  openai: OPENAI_COMPATIBLE,
  moonshot: {
    ...OPENAI_COMPATIBLE,
    baseUrl: "https://api.moonshot.ai/v1",
    apiKeyEnv: "MOONSHOT_API_KEY",
    tokenParameter: "max_completion_tokens",
    temperature: { min: 0, max: 1 },
    thinking: thinkingType,
    toolNamesStartWithLetter: true,
    reasoningOnToolCalls: true,
  },
  deepseek: {
    ...OPENAI_COMPATIBLE,
    baseUrl: "https://api.deepseek.com",
    apiKeyEnv: "DEEPSEEK_API_KEY",
    // DeepSeek's JSON output is JSON mode only.
    structuredOutput: "json_object",
    thinking: thinkingType,
    reasoningOnToolCalls: true,
  },
  vllm: VLLM,
  // SGLang takes the same request switches as vLLM.
  sglang: { ...VLLM, baseUrl: "http://127.0.0.1:30000/v1", apiKeyEnv: "SGLANG_API_KEY" },
  ollama: { ...OPENAI_COMPATIBLE, baseUrl: "http://127.0.0.1:11434/v1", apiKeyEnv: "OLLAMA_API_KEY", keyOptional: true },
  openrouter: {
    ...OPENAI_COMPATIBLE,
    baseUrl: "https://openrouter.ai/api/v1",
    apiKeyEnv: "OPENROUTER_API_KEY",
    thinking: (enabled) => ({ reasoning: { enabled } }),
    // Some upstream providers (Gemini) refuse names that start with a digit.
    toolNamesStartWithLetter: true,
  },
};

export function presetFor(provider: Exclude<ProviderName, "offline">): ProviderPreset {
  return PRESETS[provider];
}

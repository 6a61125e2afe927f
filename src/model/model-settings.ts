import type { JsonObject, ModelRole } from "../domain/common.js";
import {
  ModelsConfigSchema,
  type ModelSettings,
  type ModelsConfig,
  type ModelsConfigInput,
  type StructuredOutput,
  type TokenParameter,
} from "../domain/config.js";
import { ConfigError } from "../errors/config-error.js";
import { MissingApiKeyError } from "../errors/missing-api-key-error.js";
import { PLACEHOLDER_API_KEY, presetFor } from "./providers/presets.js";

/** What each role gets unless its settings say otherwise: the generator writes warm, the tool simulator and judge near 0. */
export const ROLE_DEFAULTS: Record<ModelRole, { temperature: number; maxOutputTokens: number; thinking?: boolean }> = {
  generator: { temperature: 0.8, maxOutputTokens: 8192 },
  agent: { temperature: 0.6, maxOutputTokens: 4096 },
  userSimulator: { temperature: 0.7, maxOutputTokens: 1024, thinking: false },
  toolSimulator: { temperature: 0, maxOutputTokens: 2048, thinking: false },
  judge: { temperature: 0, maxOutputTokens: 4096, thinking: false },
};

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RETRIES = 4;
const OPENAI_API_URL = "https://api.openai.com/v1";

/** Everything a remote provider needs for one role, with the preset and the role defaults applied. */
export interface RemoteModelSettings {
  role: ModelRole;
  provider: Exclude<ModelSettings["provider"], "offline">;
  model: string;
  baseUrl: string;
  apiKey: string;
  /** undefined: not sent (the model pins it). */
  temperature: number | undefined;
  temperatureRange: { min: number; max: number };
  maxOutputTokens: number;
  tokenParameter: TokenParameter;
  structuredOutput: StructuredOutput;
  /** Sent with every request: the thinking switch, then the role's extraBody over it. */
  extraBody: JsonObject;
  toolNamesStartWithLetter: boolean;
  reasoningOnToolCalls: boolean;
  timeoutMs: number;
  maxRetries: number;
  concurrency: number | undefined;
  requestsPerMinute: number | undefined;
  tokensPerMinute: number | undefined;
  adaptiveConcurrency: boolean;
}

/** A models config with its defaults filled in (accepts an already parsed one). */
export function parseModelsConfig(config: ModelsConfig | ModelsConfigInput): ModelsConfig {
  return ModelsConfigSchema.parse(config);
}

/** The settings a role ends up with: the role's own over `default`. */
export function resolveModelSettings(config: ModelsConfig | ModelsConfigInput, role: ModelRole): ModelSettings {
  const parsed = parseModelsConfig(config);
  return { ...parsed.default, ...(parsed[role] ?? {}) } as ModelSettings;
}

/**
 * A role's settings for a remote provider: the preset fills what the settings leave out; the key comes from the
 * settings, the environment, or (local servers) a placeholder. Fails before any work when a key is missing or
 * a temperature is outside the provider's range.
 */
export function resolveRemoteSettings(role: ModelRole, settings: ModelSettings, env: NodeJS.ProcessEnv): RemoteModelSettings {
  if (settings.provider === "offline") throw new Error("resolveRemoteSettings: the offline engine has no remote settings");
  const preset = presetFor(settings.provider);
  const variable = settings.apiKeyEnv ?? preset.apiKeyEnv;
  const apiKey = settings.apiKey ?? env[variable] ?? (preset.keyOptional ? PLACEHOLDER_API_KEY : undefined);
  if (!apiKey) throw new MissingApiKeyError(role, variable);
  const baseUrl = (settings.baseUrl ?? preset.baseUrl ?? env.OPENAI_BASE_URL ?? OPENAI_API_URL).replace(/\/+$/, "");
  const defaults = ROLE_DEFAULTS[role];
  const temperature = settings.temperature === null ? undefined : (settings.temperature ?? defaults.temperature);
  const range = preset.temperature;
  if (settings.temperature != null && (settings.temperature < range.min || settings.temperature > range.max)) {
    throw new ConfigError(
      `models.${role}: temperature ${settings.temperature} is outside ${settings.provider}'s range ${range.min}–${range.max}`,
      { problems: [`models.${role}.temperature: expected a number from ${range.min} to ${range.max}`] },
    );
  }
  const thinking = settings.thinking ?? defaults.thinking;
  const thinkingBody = thinking !== undefined && preset.thinking ? preset.thinking(thinking) : {};
  // The OpenAI API itself wants max_completion_tokens (its reasoning models refuse max_tokens); compatible servers take max_tokens.
  const tokenParameter = settings.tokenParameter ?? (settings.provider === "openai" && baseUrl === OPENAI_API_URL ? "max_completion_tokens" : preset.tokenParameter);
  return {
    role,
    provider: settings.provider,
    model: settings.model,
    baseUrl,
    apiKey,
    temperature: temperature === undefined ? undefined : clamp(temperature, range.min, range.max),
    temperatureRange: range,
    maxOutputTokens: settings.maxOutputTokens ?? defaults.maxOutputTokens,
    tokenParameter,
    structuredOutput: settings.structuredOutput ?? preset.structuredOutput,
    extraBody: { ...thinkingBody, ...(settings.extraBody ?? {}) },
    toolNamesStartWithLetter: preset.toolNamesStartWithLetter,
    reasoningOnToolCalls: preset.reasoningOnToolCalls,
    timeoutMs: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: settings.maxRetries ?? DEFAULT_MAX_RETRIES,
    concurrency: settings.concurrency,
    requestsPerMinute: settings.requestsPerMinute,
    tokensPerMinute: settings.tokensPerMinute,
    adaptiveConcurrency: settings.adaptiveConcurrency ?? true,
  };
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

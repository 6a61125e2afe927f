import { ModelRoleSchema, type ModelRef, type ModelRole } from "../domain/common.js";
import type { ModelSettings, ModelsConfig } from "../domain/config.js";
import { MissingApiKeyError } from "../errors/missing-api-key-error.js";
import type { LanguageModel, ModelRequest, ModelResponse } from "./language-model.js";
import { createOfflineModel } from "./providers/offline/offline-model.js";
import { createOpenAIModel } from "./providers/openai/openai-model.js";
import { UsageTracker } from "./usage.js";

/** One model per role, each counting its usage into a shared tracker. */
export interface ModelSet {
  generator: LanguageModel;
  agent: LanguageModel;
  userSimulator: LanguageModel;
  toolSimulator: LanguageModel;
  judge: LanguageModel;
  usage: UsageTracker;
  refs(): Record<ModelRole, ModelRef>;
}

export interface CreateModelsOptions {
  seed: number;
  env?: NodeJS.ProcessEnv;
  /** Replace a provider for a role (tests use a scripted model here). */
  override?: Partial<Record<ModelRole, LanguageModel>>;
}

/** The settings a role ends up with: the role's own over `default`. */
export function resolveModelSettings(config: ModelsConfig, role: ModelRole): ModelSettings {
  return { ...config.default, ...(config[role] ?? {}) } as ModelSettings;
}

/**
 * Build the per-role models. Fails fast (before any work) when an openai role has no key.
 */
export function createModels(config: ModelsConfig, options: CreateModelsOptions): ModelSet {
  const env = options.env ?? process.env;
  const usage = new UsageTracker();
  const built = {} as Record<ModelRole, LanguageModel>;
  for (const role of ModelRoleSchema.options) {
    const base = options.override?.[role] ?? buildProvider(role, resolveModelSettings(config, role), options.seed, env);
    built[role] = withUsage(base, role, usage);
  }
  return {
    ...built,
    usage,
    refs: () => Object.fromEntries(ModelRoleSchema.options.map((role) => [role, built[role].ref])) as Record<ModelRole, ModelRef>,
  };
}

/** One more model for a role outside the set (a judge committee member), counting into the set's usage. */
export function createRoleModel(role: ModelRole, settings: ModelSettings, options: { seed: number; env?: NodeJS.ProcessEnv; usage: UsageTracker }): LanguageModel {
  return withUsage(buildProvider(role, settings, options.seed, options.env ?? process.env), role, options.usage);
}

function buildProvider(role: ModelRole, settings: ModelSettings, seed: number, env: NodeJS.ProcessEnv): LanguageModel {
  if (settings.provider === "offline") return createOfflineModel({ seed });
  const variable = settings.apiKeyEnv ?? "OPENAI_API_KEY";
  const apiKey = settings.apiKey ?? env[variable];
  if (!apiKey) throw new MissingApiKeyError(role, variable);
  return createOpenAIModel({
    model: settings.model,
    apiKey,
    baseUrl: settings.baseUrl ?? env.OPENAI_BASE_URL,
    timeoutMs: settings.timeoutMs ?? 60_000,
    maxRetries: settings.maxRetries ?? 4,
    temperature: settings.temperature ?? DEFAULT_TEMPERATURES[role],
    maxOutputTokens: settings.maxOutputTokens,
  });
}

/** A role's temperature when its settings name none: the tool simulator answers as a system would, so low. */
const DEFAULT_TEMPERATURES: Partial<Record<ModelRole, number>> = { toolSimulator: 0.2 };

function withUsage(model: LanguageModel, role: ModelRole, usage: UsageTracker): LanguageModel {
  return {
    ref: model.ref,
    async generate(request: ModelRequest): Promise<ModelResponse> {
      const response = await model.generate(request);
      usage.record(role, request.purpose, response.usage);
      return response;
    },
  };
}

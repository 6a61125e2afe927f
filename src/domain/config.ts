import { z } from "zod";

export const ProviderNameSchema = z.enum(["offline", "openai"]);

const modelSettingsShape = {
  provider: ProviderNameSchema.describe("'offline': the built-in deterministic engine; 'openai': any OpenAI-compatible endpoint"),
  model: z.string().min(1).describe("model name sent to the endpoint"),
  baseUrl: z.url().optional().describe("endpoint base URL; falls back to OPENAI_BASE_URL"),
  apiKey: z.string().min(1).optional().describe("API key; prefer apiKeyEnv so keys stay out of files"),
  apiKeyEnv: z.string().min(1).optional().describe("name of the environment variable holding the key (default OPENAI_API_KEY)"),
  temperature: z.number().min(0).max(2).optional(),
  maxOutputTokens: z.number().int().positive().optional(),
  timeoutMs: z.number().int().positive().optional().describe("per-request timeout (default 60000)"),
  maxRetries: z.number().int().nonnegative().optional().describe("retries on 408/409/429/5xx and connection errors (default 4)"),
};

export const ModelSettingsSchema = z.strictObject(modelSettingsShape);
export type ModelSettings = z.infer<typeof ModelSettingsSchema>;
export const PartialModelSettingsSchema = z.strictObject(modelSettingsShape).partial();

export const ModelsConfigSchema = z.strictObject({
  default: ModelSettingsSchema.default({ provider: "offline", model: "offline" }),
  generator: PartialModelSettingsSchema.optional(),
  agent: PartialModelSettingsSchema.optional(),
  userSimulator: PartialModelSettingsSchema.optional(),
  toolSimulator: PartialModelSettingsSchema.optional(),
  judge: PartialModelSettingsSchema.optional(),
});
export type ModelsConfig = z.infer<typeof ModelsConfigSchema>;

export const PipelineConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().min(1).default("default"),
  seed: z.number().int().nonnegative().default(7),
  models: ModelsConfigSchema.default({ default: { provider: "offline", model: "offline" } }),
  domains: z
    .strictObject({
      taxonomy: z.string().optional().describe("taxonomy file; relative paths resolve from the config file (default: the built-in one)"),
      count: z.number().int().positive().default(20),
    })
    .default({ count: 20 }),
  tools: z.strictObject({ perDomain: z.number().int().min(1).max(50).default(5) }).default({ perDomain: 5 }),
  agents: z
    .strictObject({
      count: z.number().int().positive().default(10),
      minTools: z.number().int().min(1).default(3),
      maxTools: z.number().int().min(1).default(8),
    })
    .refine((agents) => agents.minTools <= agents.maxTools, { message: "minTools must not exceed maxTools", path: ["minTools"] })
    .default({ count: 10, minTools: 3, maxTools: 8 }),
  tasks: z.strictObject({ count: z.number().int().positive().default(30) }).default({ count: 30 }),
  simulation: z
    .strictObject({
      episodesPerTask: z.number().int().positive().default(1),
      maxTurns: z.number().int().positive().default(8).describe("user turns per episode"),
      maxSteps: z.number().int().positive().default(50).describe("messages per episode"),
      maxToolCallsPerTurn: z.number().int().positive().default(10),
      concurrency: z.number().int().positive().max(256).default(8),
    })
    .default({ episodesPerTask: 1, maxTurns: 8, maxSteps: 50, maxToolCallsPerTurn: 10, concurrency: 8 }),
  judge: z.strictObject({ concurrency: z.number().int().positive().max(256).default(8) }).default({ concurrency: 8 }),
  filter: z
    .strictObject({
      minScore: z.number().min(0).max(1).default(0.7),
      requirePass: z.boolean().default(true).describe("keep only episodes whose verdict is pass"),
      dedupe: z.boolean().default(true).describe("drop exact duplicates (same user turns and tool-call sequence)"),
    })
    .default({ minScore: 0.7, requirePass: true, dedupe: true }),
  export: z
    .strictObject({
      format: z.enum(["openai"]).default("openai"),
      includeSystemPrompt: z.boolean().default(true),
    })
    .default({ format: "openai", includeSystemPrompt: true }),
});
export type PipelineConfig = z.infer<typeof PipelineConfigSchema>;
export type PipelineConfigInput = z.input<typeof PipelineConfigSchema>;

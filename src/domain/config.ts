import { z } from "zod";
import { JsonObjectSchema, RateSchema, repeatField } from "./common.js";
import { FaultAttributionSchema, FaultKindSchema } from "./episode.js";
import { ToolSourceSchema } from "./tool.js";

/** Where a role's requests go: the built-in engine, any OpenAI-compatible endpoint, or a preset for a known one. */
export const ProviderNameSchema = z.enum(["offline", "openai", "moonshot", "deepseek", "vllm", "sglang", "ollama", "openrouter"]);
export type ProviderName = z.infer<typeof ProviderNameSchema>;

/** The body field that carries the output-token limit. */
export const TokenParameterSchema = z.enum(["max_tokens", "max_completion_tokens"]);
export type TokenParameter = z.infer<typeof TokenParameterSchema>;

/** How structured answers are asked for: a JSON Schema response format, or JSON mode with the schema written into the prompt. */
export const StructuredOutputSchema = z.enum(["json_schema", "json_object"]);
export type StructuredOutput = z.infer<typeof StructuredOutputSchema>;

const perMinute = z.number().positive();

const modelSettingsShape = {
  provider: ProviderNameSchema.describe(
    "'offline': the built-in deterministic engine; 'openai': any OpenAI-compatible endpoint; moonshot, deepseek, vllm, sglang, ollama, openrouter: presets for those endpoints (base URL, key variable, token parameter, JSON support, temperature range, thinking switch)",
  ),
  model: z.string().min(1).describe("model name sent to the endpoint"),
  baseUrl: z.url().optional().describe("endpoint base URL; default: the preset's, else OPENAI_BASE_URL"),
  apiKey: z.string().min(1).optional().describe("API key; prefer apiKeyEnv so keys stay out of files"),
  apiKeyEnv: z.string().min(1).optional().describe("name of the environment variable holding the key (default: the preset's, e.g. MOONSHOT_API_KEY; OPENAI_API_KEY for openai)"),
  temperature: z.number().min(0).max(2).nullable().optional().describe("sampling temperature (default per role: generator 0.8, agent 0.6, user simulator 0.7, tool simulator and judge 0); null: never sent, for models that pin it"),
  maxOutputTokens: z.number().int().positive().optional().describe("output-token limit of one request (default per role: generator 8192, agent 4096, user simulator 1024, tool simulator 2048, judge 4096); an answer cut at the limit is retried once with twice the limit"),
  thinking: z.boolean().optional().describe("switch the model's thinking on or off where the preset knows how (default: off for the user simulator, tool simulator and judge, the provider's default for the others)"),
  extraBody: JsonObjectSchema.optional().describe("fields merged into every request body, e.g. {\"chat_template_kwargs\": {\"enable_thinking\": false}} or {\"reasoning_effort\": \"low\"}"),
  tokenParameter: TokenParameterSchema.optional().describe("which field carries the output-token limit (default: the preset's)"),
  structuredOutput: StructuredOutputSchema.optional().describe("json_schema or json_object (default: the preset's; an endpoint that refuses json_schema is switched to json_object automatically)"),
  timeoutMs: z.number().int().positive().optional().describe("per-request timeout (default 60000)"),
  maxRetries: z.number().int().nonnegative().optional().describe("retries on 408/409/429/5xx, connection errors, timeouts and garbled answers (default 4)"),
  concurrency: z.number().int().positive().max(1024).optional().describe("most requests of this role in flight at once (default: unlimited; the stage concurrency applies)"),
  requestsPerMinute: perMinute.optional().describe("the endpoint's request rate limit; roles on one endpoint share it (the smallest setting wins)"),
  tokensPerMinute: perMinute.optional().describe("the endpoint's token rate limit (input + output), shared like requestsPerMinute"),
  adaptiveConcurrency: z.boolean().optional().describe("halve the endpoint's requests in flight on 429/503 or a latency surge, and grow them back one by one (default true)"),
};

export const ModelSettingsSchema = z.strictObject(modelSettingsShape);
export type ModelSettings = z.infer<typeof ModelSettingsSchema>;
export const PartialModelSettingsSchema = z.strictObject(modelSettingsShape).partial();
export type PartialModelSettings = z.infer<typeof PartialModelSettingsSchema>;

/** The price of a model in US dollars per million tokens. */
export const ModelPriceSchema = z.strictObject({
  input: z.number().nonnegative().describe("USD per million input (prompt) tokens"),
  output: z.number().nonnegative().describe("USD per million output (completion, reasoning included) tokens"),
});
export type ModelPrice = z.infer<typeof ModelPriceSchema>;

/** The pipeline stages that spend model tokens, for per-stage caps. */
export const SpendingStageSchema = z.enum(["domains", "tools", "agents", "tasks", "simulate", "judge"]);
export type SpendingStage = z.infer<typeof SpendingStageSchema>;

const money = z.number().positive();

export const BudgetConfigSchema = z.strictObject({
  maxCost: money.optional().describe("stop the run (BUDGET_REACHED) once its priced requests cost this many US dollars"),
  stages: z.partialRecord(SpendingStageSchema, money).optional().describe("a cap per stage in US dollars, e.g. {\"simulate\": 20, \"judge\": 5}"),
});
export type BudgetConfig = z.infer<typeof BudgetConfigSchema>;

export const CircuitBreakerConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  window: z.number().int().min(2).max(1000).default(20).describe("the most recent requests to an endpoint that are looked at"),
  failureRatio: RateSchema.default(0.8).describe("the share of those that, failed after their retries, stops the run (MODEL_UNAVAILABLE)"),
});
export type CircuitBreakerConfig = z.infer<typeof CircuitBreakerConfigSchema>;

export const ModelsConfigSchema = z.strictObject({
  default: ModelSettingsSchema.default({ provider: "offline", model: "offline" }),
  generator: PartialModelSettingsSchema.optional(),
  agent: PartialModelSettingsSchema.optional(),
  userSimulator: PartialModelSettingsSchema.optional(),
  toolSimulator: PartialModelSettingsSchema.optional(),
  judge: PartialModelSettingsSchema.optional(),
  prices: z.record(z.string().min(1), ModelPriceSchema).default({}).describe("price per model name, in US dollars per million tokens; requests to unpriced models cost nothing in the budget"),
  budget: BudgetConfigSchema.optional(),
  circuitBreaker: CircuitBreakerConfigSchema.prefault({}),
});
export type ModelsConfig = z.infer<typeof ModelsConfigSchema>;
export type ModelsConfigInput = z.input<typeof ModelsConfigSchema>;

/**
 * A committee of judges: member i uses the judge role's model with `models[i]` over its settings, sampled at
 * `temperatures[i]`. `size` defaults to the length of those lists (or 1).
 */
export const JudgeCommitteeSchema = z
  .strictObject({
    size: z.number().int().min(1).max(15).optional().describe("how many judges score each episode (default: the length of temperatures or models, else 1)"),
    temperatures: z.array(z.number().min(0).max(2)).min(1).optional().describe("one sampling temperature per member"),
    models: z.array(PartialModelSettingsSchema).min(1).optional().describe("one model setting per member, over the judge role's settings ({} keeps them)"),
  })
  .superRefine((committee, context) => {
    const size = committee.size ?? committee.temperatures?.length ?? committee.models?.length ?? 1;
    for (const key of ["temperatures", "models"] as const) {
      const length = committee[key]?.length;
      if (length !== undefined && length !== size) context.addIssue({ code: "custom", path: [key], message: `needs one entry per member: the committee has ${size}, this list ${length}` });
    }
  })
  .transform((committee) => ({ ...committee, size: committee.size ?? committee.temperatures?.length ?? committee.models?.length ?? 1 }));
export type JudgeCommitteeConfig = z.infer<typeof JudgeCommitteeSchema>;

const count = z.number().int().nonnegative();
const cap = z.number().int().positive();

export const FilterConfigSchema = z
  .strictObject({
    minScore: RateSchema.default(0.7),
    requirePass: z.boolean().default(true).describe("keep only episodes whose verdict is pass"),
    requiredCriteria: z.array(z.string().min(1)).default([]).describe("criterion ids that must pass wherever a rubric has them"),
    dedupe: z.boolean().default(true).describe("drop duplicates: exact (same user turns and tool-call sequence) and near (MinHash)"),
    nearDuplicateThreshold: RateSchema.default(0.85).describe("estimated Jaccard similarity of user-turn and tool-call shingles at which an episode is a near duplicate of a kept one"),
    successRate: z
      .strictObject({ min: RateSchema.default(0), max: RateSchema.default(1) })
      .refine((band) => band.min <= band.max, { message: "min must not exceed max", path: ["min"] })
      .optional()
      .describe("difficulty band: keep only tasks whose share of passing episodes lies within [min, max]"),
    caps: z
      .strictObject({ perTask: cap.optional(), perAgent: cap.optional(), perDomain: cap.optional() })
      .optional()
      .describe("diversity caps: at most this many kept episodes per task, agent or domain (the best scores stay)"),
    length: z
      .strictObject({ minMessages: count.optional(), maxMessages: count.optional(), minToolCalls: count.optional(), maxToolCalls: count.optional() })
      .optional()
      .describe("length bounds: messages in the episode (system prompt included) and tool calls"),
    excludeAttributions: z.array(FaultAttributionSchema).default([]).describe("drop episodes whose failure is attributed to one of these"),
  });
export type FilterConfig = z.infer<typeof FilterConfigSchema>;

export const ExportFormatSchema = z.enum(["openai", "hf", "sharegpt"]);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

export const ExportSplitSchema = z.strictObject({
  validationRatio: z.number().gt(0).lt(1).describe("share of records that go to validation.jsonl"),
  seed: z.number().int().nonnegative().optional().describe("seed of the split (default: the pipeline seed)"),
});
export type ExportSplit = z.infer<typeof ExportSplitSchema>;

/** How records are written, whatever the format: what a stored export keeps of its options. */
/**
 * How tool-call ids are written in an export: `openai` as generated (`call_…`); `kimi` as Kimi K2's
 * `functions.{name}:{index}`, the index counting every call of the conversation; `mistral` as 9 alphanumeric
 * characters (what the Mistral chat templates require).
 */
export const CallIdStyleSchema = z.enum(["openai", "kimi", "mistral"]);
export type CallIdStyle = z.infer<typeof CallIdStyleSchema>;

export const ExportOptionsSchema = z.object({
  includeSystemPrompt: z.boolean(),
  includeReasoning: z.boolean(),
  /** Kept for stores and configs written before `callIdStyle`: true means the `kimi` style. */
  kimiToolCallIds: z.boolean(),
  callIdStyle: CallIdStyleSchema.optional(),
});
export type ExportOptions = z.infer<typeof ExportOptionsSchema>;
const exportOption = ExportOptionsSchema.shape;

export const ExportConfigSchema = z.strictObject({
  format: ExportFormatSchema.default("openai").describe("openai: messages/tools/parallel_tool_calls; hf: messages/tools columns with argument objects; sharegpt: conversations with from/value"),
  includeSystemPrompt: exportOption.includeSystemPrompt.default(true),
  includeReasoning: exportOption.includeReasoning.default(false).describe("keep the assistant's reasoning_content"),
  kimiToolCallIds: exportOption.kimiToolCallIds.default(false).describe("an alias of callIdStyle kimi: rewrite tool-call ids as functions.{name}:{index}, the index counting across the conversation"),
  callIdStyle: CallIdStyleSchema.optional().describe("tool-call ids: openai (as generated), kimi (functions.{name}:{index}) or mistral (9 alphanumeric characters); default kimi when kimiToolCallIds, else openai"),
  split: ExportSplitSchema.optional().describe("write train.jsonl and validation.jsonl"),
});
export type ExportConfig = z.infer<typeof ExportConfigSchema>;

/** The call-id style options name: `callIdStyle` when given, else `kimi` when `kimiToolCallIds`, else `openai`. */
export function resolveCallIdStyle(options: { callIdStyle?: CallIdStyle | undefined; kimiToolCallIds?: boolean | undefined }): CallIdStyle {
  return options.callIdStyle ?? (options.kimiToolCallIds ? "kimi" : "openai");
}

/** How a real tool is run: live on its server, by the tool simulator, or `auto` (live only when annotated read-only and not destructive). */
export const ToolPolicySchema = z.enum(["auto", "real", "simulated"]);
export type ToolPolicy = z.infer<typeof ToolPolicySchema>;

export const ToolExecutionConfigSchema = z.strictObject({
  policy: ToolPolicySchema.default("auto").describe("the policy of every real tool without an override"),
  overrides: z
    .record(z.string().min(1), ToolPolicySchema)
    .default({})
    .describe('policy per server ("memory") or per tool ("memory/read_graph", the tool\'s name on its server); a tool entry beats a server entry'),
  allow: z.array(z.string().min(1)).default([]).describe('when not empty, only these servers ("filesystem") or tools ("filesystem/read_text_file") may be called live'),
  deny: z.array(z.string().min(1)).default([]).describe("servers or tools never called live, whatever their policy"),
  callTimeoutMs: z.number().int().positive().default(30_000).describe("timeout of one live call; on timeout the tool simulator answers (execution: fallback)"),
  connectTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(10_000)
    .describe("time a server gets to start and complete the MCP handshake; one that does not is not retried, and its calls go to the tool simulator for 5 minutes or until the next sync"),
  replay: z.boolean().default(false).describe("answer a call from a recorded real call with the same arguments (execution: recorded) instead of calling the server"),
  fewShotExamples: count.default(3).describe("recorded real calls of the same tool shown to the tool simulator"),
  reconnect: z
    .strictObject({
      attempts: count.default(3).describe("reconnects tried after a server crashed, hung or dropped its session"),
      initialDelayMs: z.number().int().nonnegative().default(500),
      maxDelayMs: z.number().int().nonnegative().default(10_000),
    })
    .prefault({}),
});
export type ToolExecutionConfig = z.infer<typeof ToolExecutionConfigSchema>;

export const FaultRatesConfigSchema = z
  .strictObject(repeatField(FaultKindSchema.options, RateSchema.default(0)))
  .refine((rates) => FaultKindSchema.options.reduce((sum, kind) => sum + rates[kind], 0) <= 1, { message: "the fault rates must add up to at most 1" });

export const ContextBudgetSchema = z.strictObject({
  maxTokens: z.number().int().min(1000).default(32_000).describe("the agent's context budget in tokens (estimated); old tool results are shortened as it fills"),
  keepRecentToolResults: count.default(4).describe("the newest tool results that are never shortened"),
  shortenedTokens: z.number().int().positive().default(64).describe("what a shortened tool result keeps"),
});

export const PipelineConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().min(1).default("default"),
  seed: z.number().int().nonnegative().default(7),
  models: ModelsConfigSchema.prefault({}),
  domains: z
    .strictObject({
      taxonomy: z.string().optional().describe("taxonomy file; relative paths resolve from the config file (default: the built-in one)"),
      count: z.number().int().positive().default(20),
    })
    .default({ count: 20 }),
  tools: z
    .strictObject({
      perDomain: z.number().int().min(1).max(50).default(5),
      sources: z.array(ToolSourceSchema).min(1).default(["real", "synthetic", "imported"]).describe("which tools agents are built from"),
      execution: ToolExecutionConfigSchema.prefault({}),
    })
    .prefault({}),
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
      faults: FaultRatesConfigSchema.prefault({}).describe("share of tool calls answered with each kind of injected fault (seeded)"),
      contextBudget: ContextBudgetSchema.prefault({}),
    })
    .prefault({}),
  judge: z
    .strictObject({
      concurrency: z.number().int().positive().max(256).default(8),
      committee: JudgeCommitteeSchema.optional().describe("k judges scoring every episode; their majority decides (default: one judge)"),
    })
    .default({ concurrency: 8 }),
  filter: FilterConfigSchema.prefault({}),
  export: ExportConfigSchema.prefault({}),
});
export type PipelineConfig = z.infer<typeof PipelineConfigSchema>;
export type PipelineConfigInput = z.input<typeof PipelineConfigSchema>;

import { z } from "zod";
import { CountsSchema, IdSchema, ModelRoleSchema, TimestampSchema, TokenUsageSchema, recordBase } from "./common.js";
import { PipelineConfigSchema } from "./config.js";
import { ExportSummarySchema, PassHatKSchema, TaskStatsMapSchema } from "./dataset.js";

export const StageNameSchema = z.enum(["servers", "domains", "tools", "agents", "tasks", "simulate", "judge", "filter", "export"]);
export type StageName = z.infer<typeof StageNameSchema>;

export const RunCountsSchema = z.object({
  domains: z.number().int().nonnegative().default(0),
  tools: z.number().int().nonnegative().default(0),
  agents: z.number().int().nonnegative().default(0),
  tasks: z.number().int().nonnegative().default(0),
  episodes: z.number().int().nonnegative().default(0),
  episodesFailed: z.number().int().nonnegative().default(0),
  judged: z.number().int().nonnegative().default(0),
  passed: z.number().int().nonnegative().default(0),
  kept: z.number().int().nonnegative().default(0),
  rejected: z.number().int().nonnegative().default(0),
  exported: z.number().int().nonnegative().default(0),
});
export type RunCounts = z.infer<typeof RunCountsSchema>;

/** How a set of episodes went: why they ended, who their failures are attributed to, how their tool calls ran, which faults were injected. */
export const SimulationTallySchema = z.object({
  endReasons: CountsSchema.describe("episodes per end reason"),
  faultAttributions: CountsSchema.describe("failed episodes (not completed, or judged fail) per attribution"),
  executions: CountsSchema.describe("tool calls per execution: real, simulated, recorded, fallback"),
  faultsInjected: CountsSchema.describe("injected faults per kind"),
  contextCuts: z.number().int().nonnegative().describe("tool results shortened to fit context budgets"),
});
export type SimulationTally = z.infer<typeof SimulationTallySchema>;

export const UsageByRoleSchema = z.partialRecord(ModelRoleSchema, TokenUsageSchema.extend({ requests: z.number().int().nonnegative() }));
export type UsageByRole = z.infer<typeof UsageByRoleSchema>;

export const RunStatusSchema = z.enum(["running", "completed", "failed", "cancelled"]);
export type RunStatus = z.infer<typeof RunStatusSchema>;

export const RunRecordSchema = z.object({
  ...recordBase,
  kind: z.literal("run"),
  status: RunStatusSchema,
  config: PipelineConfigSchema,
  startedAt: TimestampSchema,
  finishedAt: TimestampSchema.optional(),
  stage: StageNameSchema.optional().describe("the stage running, or where it stopped"),
  counts: RunCountsSchema,
  rejectionCounts: CountsSchema.default({}),
  taskStats: TaskStatsMapSchema.optional().describe("success rate and pass^k per task, once judged"),
  passHatK: PassHatKSchema.optional(),
  usage: UsageByRoleSchema.default({}),
  simulation: SimulationTallySchema.optional().describe("end reasons, failure attributions, tool executions and faults of the run's episodes"),
  datasetId: IdSchema.optional(),
  exportPath: z.string().optional(),
  error: z.string().optional(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

/**
 * What a whole pipeline run returns (MCP `run_pipeline`) and `agentsynth run` prints: the run's figures, its
 * dataset and where the export is.
 */
export const RunSummarySchema = z.object({
  runId: IdSchema,
  status: RunStatusSchema,
  configName: z.string(),
  seed: z.number().int().nonnegative(),
  counts: RunCountsSchema,
  /** Rejected episodes per reason code. */
  rejectionCounts: CountsSchema,
  /** Tokens and requests per model role. */
  usage: UsageByRoleSchema,
  simulation: SimulationTallySchema.optional(),
  /** pass^k averaged over the tasks with at least k judged episodes. */
  passHatK: PassHatKSchema.optional(),
  datasetId: IdSchema,
  export: ExportSummarySchema,
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

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

/** The gate before simulation over generated tasks: how many it checked and passed, how many were written again, and why drafts failed. */
export const TaskGateTallySchema = z.object({
  checked: z.number().int().nonnegative().describe("task drafts the gate checked (first drafts and rewrites)"),
  passed: z.number().int().nonnegative(),
  regenerated: z.number().int().nonnegative().describe("drafts that failed and were asked for again"),
  dropped: z.number().int().nonnegative().describe("rewrites that failed again and were dropped"),
  rejected: CountsSchema.describe("failed drafts per reason code"),
});
export type TaskGateTally = z.infer<typeof TaskGateTallySchema>;

/** The checks of synthesized tools: rejected at synthesis (their effect does not fit) and excluded by the audit. */
export const ToolCheckTallySchema = z.object({
  rejected: CountsSchema.describe("synthesized tools dropped per reason (invalid schema, missing or misfit effect)"),
  audited: z.number().int().nonnegative().describe("tools exercised on a sample state"),
  excluded: CountsSchema.describe("audited tools excluded from agents, per failed check"),
});
export type ToolCheckTally = z.infer<typeof ToolCheckTallySchema>;

export const UsageByRoleSchema = z.partialRecord(
  ModelRoleSchema,
  TokenUsageSchema.extend({
    requests: z.number().int().nonnegative(),
    /** Answers that came from the response cache: not sent, not counted in requests or tokens, not paid. */
    cached: z.number().int().positive().optional(),
  }),
);
export type UsageByRole = z.infer<typeof UsageByRoleSchema>;

/** `interrupted`: left `running` by a process that is gone (killed, crashed); the next run of its config resumes it. */
export const RunStatusSchema = z.enum(["running", "completed", "failed", "cancelled", "interrupted"]);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/** Items lost to a model's bad answers (after their retries), per stage and reason: how many, and the first error's text. */
export const ItemFailureTallySchema = z.partialRecord(
  StageNameSchema,
  z.record(z.string(), z.object({ count: z.number().int().positive(), firstError: z.string() })),
);
export type ItemFailureTally = z.infer<typeof ItemFailureTallySchema>;

/** The process a running run belongs to: when it is gone, the run is marked interrupted. */
export const RunOwnerSchema = z.object({ pid: z.number().int().positive(), host: z.string() });
export type RunOwner = z.infer<typeof RunOwnerSchema>;

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
  toolChecks: ToolCheckTallySchema.optional().describe("synthesized tools rejected for their effect and excluded by the audit"),
  taskGate: TaskGateTallySchema.optional().describe("the gate before simulation over the generated tasks"),
  failures: ItemFailureTallySchema.optional().describe("items (episodes, task batches, tool batches, agents, judgments) lost to bad model answers, per stage and reason"),
  configKey: z.string().optional().describe("a digest of what the config makes (budget and concurrency aside): a run of the same key resumes this one"),
  owner: RunOwnerSchema.optional().describe("the process running it, while it runs"),
  attempts: z.number().int().positive().optional().describe("how many times the run was started (1 + resumes)"),
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
  toolChecks: ToolCheckTallySchema.optional(),
  taskGate: TaskGateTallySchema.optional(),
  /** pass^k averaged over the tasks with at least k judged episodes. */
  passHatK: PassHatKSchema.optional(),
  failures: ItemFailureTallySchema.optional(),
  /** How many times the run was started: more than 1 when this call resumed an unfinished run. */
  attempts: z.number().int().positive().optional(),
  datasetId: IdSchema,
  export: ExportSummarySchema,
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

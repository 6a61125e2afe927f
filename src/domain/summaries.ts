import { z } from "zod";
import { CountsSchema, repeatField } from "./common.js";
import { EffectOperationSchema } from "./effect.js";
import { EndReasonSchema, EpisodeStatusSchema, VerificationOutcomeSchema } from "./episode.js";
import { VerdictSchema } from "./judgment.js";
import { RunStatusSchema, SimulationTallySchema, UsageByRoleSchema } from "./run.js";
import { DifficultySchema } from "./task.js";
import { ToolSourceSchema } from "./tool.js";

/*
 * Compact views of records for lists and operation results (the full record is one `get` away), server
 * statuses and sync reports, and the store's statistics: made by the pipeline, declared as output schemas by
 * the MCP server.
 */

export const ToolSummarySchema = z.object({
  id: z.string(),
  name: z.string().describe("the portable name agents call it by"),
  description: z.string(),
  source: ToolSourceSchema,
  originalName: z.string(),
  domainId: z.string().optional(),
  serverName: z.string().optional(),
  readOnly: z.boolean().optional(),
  effect: EffectOperationSchema.optional().describe("the declared effect's operation: the environment runs the tool"),
  auditPassed: z.boolean().optional().describe("false: the tool failed its audit and is not given to agents"),
});
export type ToolSummary = z.infer<typeof ToolSummarySchema>;

export const DomainSummarySchema = z.object({ id: z.string(), name: z.string(), title: z.string(), category: z.string(), parent: z.string().optional() });
export type DomainSummary = z.infer<typeof DomainSummarySchema>;

export const AgentSummarySchema = z.object({ id: z.string(), name: z.string(), domainId: z.string().optional(), toolIds: z.array(z.string()) });
export type AgentSummary = z.infer<typeof AgentSummarySchema>;

export const TaskSummarySchema = z.object({ id: z.string(), agentId: z.string(), goal: z.string(), difficulty: DifficultySchema, criteria: z.number().int() });
export type TaskSummary = z.infer<typeof TaskSummarySchema>;

export const EpisodeSummarySchema = z.object({
  id: z.string(),
  taskId: z.string(),
  agentId: z.string(),
  runId: z.string().optional(),
  status: EpisodeStatusSchema,
  endReason: EndReasonSchema,
  messages: z.number().int(),
  toolCalls: z.number().int(),
  labels: z.array(z.string()),
  createdAt: z.string(),
});
export type EpisodeSummary = z.infer<typeof EpisodeSummarySchema>;

export const DatasetSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  kept: z.number().int(),
  rejected: z.number().int(),
  rejectionCounts: CountsSchema,
  exports: z.number().int(),
});
export type DatasetSummary = z.infer<typeof DatasetSummarySchema>;

/** A configured (or stored) MCP server as `list_mcp_servers` and `servers list` show it. */
export const ServerStatusSchema = z.object({
  name: z.string(),
  transport: z.string(),
  configured: z.boolean().describe("false when the server is only in the store (removed from the config)"),
  status: z.string(),
  toolCount: z.number().int(),
  serverName: z.string().optional(),
  serverVersion: z.string().optional(),
  lastError: z.string().optional(),
  lastSyncedAt: z.string().optional(),
});
export type ServerStatus = z.infer<typeof ServerStatusSchema>;

/** How syncing one server went. */
export const SyncServerResultSchema = z.object({
  name: z.string(),
  status: z.enum(["synced", "error"]),
  serverId: z.string().optional(),
  domainId: z.string().optional(),
  added: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  stale: z.number().int().describe("tools the server no longer lists (kept, marked stale)"),
  toolCount: z.number().int(),
  skipped: z.array(z.object({ tool: z.string(), reason: z.string() })).optional().describe("tools the server lists that were not imported, with why"),
  error: z.string().optional(),
});
export type SyncServerResult = z.infer<typeof SyncServerResultSchema>;

/** An entry of the MCP config that could not be loaded, and why. */
export const ConfigIssueSchema = z.object({ name: z.string(), message: z.string() });
export type ConfigIssue = z.infer<typeof ConfigIssueSchema>;

export const SyncReportSchema = z.object({
  servers: z.array(SyncServerResultSchema),
  configErrors: z.array(ConfigIssueSchema).describe("entries of the MCP config that could not be loaded"),
  warnings: z.array(z.string()),
});
export type SyncReport = z.infer<typeof SyncReportSchema>;

const count = z.number();

/** What the store holds: counts per stage, per tool source, episode status, verdict and run status, usage and the simulation tally. */
export const WorkspaceStatsSchema = z.object({
  counts: z.object({ domains: count, tools: count, agents: count, tasks: count, episodes: count, judgments: count, datasets: count, runs: count }),
  tools: z.object(repeatField(ToolSourceSchema.options, count)),
  episodes: z.object({ ...repeatField(EpisodeStatusSchema.options, count), live: count }),
  verdicts: z.object({ ...repeatField(VerdictSchema.options, count), unjudged: count }),
  rejectionReasons: CountsSchema.describe("reason codes of failing verdicts, over each episode's newest judgment"),
  latestDataset: DatasetSummarySchema.optional(),
  runs: z.object(repeatField(RunStatusSchema.options, count)),
  usage: UsageByRoleSchema.describe("tokens and requests per model role, over every run in the store"),
  simulation: SimulationTallySchema,
  verification: z.object(repeatField(VerificationOutcomeSchema.options, count)).describe("episodes by their verification against the task's blueprint"),
  toolAudit: z.object({ audited: count, excluded: CountsSchema.describe("tools that failed the audit, per first failed check") }),
});
export type WorkspaceStats = z.infer<typeof WorkspaceStatsSchema>;

import { z } from "zod";
import { CountsSchema, repeatField } from "./common.js";
import { EndReasonSchema, EpisodeStatusSchema } from "./episode.js";
import { VerdictSchema } from "./judgment.js";
import { RunStatusSchema, SimulationTallySchema, UsageByRoleSchema } from "./run.js";
import { DifficultySchema } from "./task.js";
import { ToolSourceSchema } from "./tool.js";

/*
 * Compact views of records for lists and operation results (the full record is one `get` away), and the
 * store's statistics: made by the pipeline, declared as output schemas by the MCP server.
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
});
export type WorkspaceStats = z.infer<typeof WorkspaceStatsSchema>;

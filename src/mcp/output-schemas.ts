import { z } from "zod";
import { CountsSchema } from "../domain/common.js";
import { ChatMessageSchema } from "../domain/message.js";
import { UsageByRoleSchema } from "../domain/run.js";
import {
  AgentSummarySchema,
  DatasetSummarySchema,
  DomainSummarySchema,
  EpisodeSummarySchema,
  ServerStatusSchema,
  SyncReportSchema,
  TaskSummarySchema,
  ToolSummarySchema,
  WorkspaceStatsSchema,
} from "../domain/summaries.js";
import { PassHatKSchema } from "../domain/dataset.js";

export { AgentSummarySchema, DatasetSummarySchema, DomainSummarySchema, EpisodeSummarySchema, ServerStatusSchema, TaskSummarySchema, ToolSummarySchema };

/*
 * Output schemas of the tools that return views rather than whole records (the record views themselves
 * live in src/domain/summaries.ts, which the pipeline builds them by). The pipeline's result types
 * must fit them: each handler returns `z.input` of its schema, so a drift fails the type check.
 */

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().optional().describe("cursor of the next page; absent on the last"),
  });
}

export const ImportToolsOutputSchema = z.object({
  imported: z.array(ToolSummarySchema),
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })).describe("specs that were not imported, and why"),
  domains: z.array(DomainSummarySchema).describe("domains this import created"),
  domain: DomainSummarySchema.extend({ created: z.boolean() }).optional().describe("where tools without a catalog category went"),
});

export const SyncServersOutputSchema = SyncReportSchema;

export const SimulateOutputSchema = z.object({
  runId: z.string(),
  episodeIds: z.array(z.string()),
  summary: z.object({ episodes: z.number().int(), completed: z.number().int(), failed: z.number().int(), endReasons: CountsSchema, labels: CountsSchema }),
});

export const StartEpisodeOutputSchema = z.object({
  episodeId: z.string(),
  runId: z.string(),
  taskId: z.string(),
  agentId: z.string(),
  goal: z.string().describe("the user's goal: speak as this user"),
  tools: z.array(z.string()),
  messages: z.array(ChatMessageSchema),
});

export const EpisodeTurnOutputSchema = z.object({
  episodeId: z.string(),
  newMessages: z.array(ChatMessageSchema).describe("the user message, tool calls and results, and the agent's answer"),
  userTurns: z.number().int(),
  ended: z.boolean().describe("true when a limit ended the episode: call end_episode"),
  endReason: z.string().optional(),
});

export const JudgeOutputSchema = z.object({
  runId: z.string(),
  judgmentIds: z.array(z.string()),
  summary: z.object({ judged: z.number().int(), passed: z.number().int(), failed: z.number().int(), meanScore: z.number(), reasons: CountsSchema }),
});

export const FilterOutputSchema = DatasetSummarySchema.extend({
  keptEpisodeIds: z.array(z.string()),
  passHatK: PassHatKSchema.describe("pass^k by k, averaged over the tasks with at least k judged episodes"),
});

export const StatsOutputSchema = WorkspaceStatsSchema;

import { z } from "zod";
import { ChatMessageSchema } from "../domain/message.js";
import { EndReasonSchema, EpisodeStatusSchema } from "../domain/episode.js";
import { SimulationTallySchema, UsageByRoleSchema } from "../domain/run.js";
import { ToolSourceSchema } from "../domain/tool.js";
import { PassHatKSchema } from "../domain/dataset.js";

/*
 * Output schemas of the tools that return views rather than whole records. The pipeline's result types
 * must fit them: each handler returns `z.input` of its schema, so a drift fails the type check.
 */

const CountsSchema = z.record(z.string(), z.number().int().nonnegative());

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().optional().describe("pass as cursor to get the next page; absent on the last page"),
  });
}

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

export const DomainSummarySchema = z.object({ id: z.string(), name: z.string(), title: z.string(), category: z.string(), parent: z.string().optional() });
export const AgentSummarySchema = z.object({ id: z.string(), name: z.string(), domainId: z.string().optional(), toolIds: z.array(z.string()) });
export const TaskSummarySchema = z.object({ id: z.string(), agentId: z.string(), goal: z.string(), difficulty: z.enum(["easy", "medium", "hard"]), criteria: z.number().int() });

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

export const DatasetSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  kept: z.number().int(),
  rejected: z.number().int(),
  rejectionCounts: CountsSchema,
  exports: z.number().int(),
});

export const ImportToolsOutputSchema = z.object({
  imported: z.array(ToolSummarySchema),
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })).describe("specs that were not imported, and why"),
  domains: z.array(DomainSummarySchema).describe("domains made for the catalog categories of the imported tools"),
});

export const SyncServersOutputSchema = z.object({
  servers: z.array(
    z.object({
      name: z.string(),
      status: z.enum(["synced", "error"]),
      serverId: z.string().optional(),
      domainId: z.string().optional(),
      added: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      stale: z.number().int().describe("tools the server no longer lists (kept, marked stale)"),
      toolCount: z.number().int(),
      error: z.string().optional(),
    }),
  ),
  configErrors: z.array(z.object({ name: z.string(), message: z.string() })).describe("entries of the MCP config that could not be loaded"),
  warnings: z.array(z.string()),
});

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
  newMessages: z.array(ChatMessageSchema).describe("the user message, the agent's tool calls and their results, and the agent's answer"),
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

export const StatsOutputSchema = z.object({
  counts: z.object({ domains: z.number(), tools: z.number(), agents: z.number(), tasks: z.number(), episodes: z.number(), judgments: z.number(), datasets: z.number(), runs: z.number() }),
  tools: z.object({ real: z.number(), synthetic: z.number(), imported: z.number() }),
  episodes: z.object({ completed: z.number(), failed: z.number(), cancelled: z.number(), live: z.number() }),
  verdicts: z.object({ pass: z.number(), fail: z.number(), unjudged: z.number() }),
  rejectionReasons: CountsSchema.describe("reason codes of failing verdicts, over each episode's newest judgment"),
  latestDataset: DatasetSummarySchema.optional(),
  runs: z.object({ running: z.number(), completed: z.number(), failed: z.number(), cancelled: z.number() }),
  usage: UsageByRoleSchema.describe("tokens and requests per model role, over every run in the store"),
  simulation: SimulationTallySchema,
});

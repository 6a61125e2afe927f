import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { EpisodeRecordSchema, EpisodeStatusSchema } from "../../domain/episode.js";
import { VerdictViewSchema } from "../../domain/judgment.js";
import { viewVerdict } from "../../pipeline/judgments.js";
import type { WorkspaceStats } from "../../domain/summaries.js";
import type { Workspace } from "../../pipeline/workspace.js";
import { pageInput } from "../input-schemas.js";
import { EpisodeSummarySchema, pageOf, StatsOutputSchema } from "../output-schemas.js";
import { renderCounts, renderMessage, renderMore, renderVerdict } from "../render.js";
import { defineTool, READ_ONLY } from "../tool-kit.js";

/** Read what the store holds: episodes and statistics. */
export function registerInspectionTools(server: McpServer, workspace: Workspace): void {
  defineTool(
    server,
    "list_episodes",
    {
      title: "List episodes",
      description: "List stored episodes, oldest first, filtered and paginated.",
      input: z.object({
        taskId: z.string().min(1).optional(),
        agentId: z.string().min(1).optional(),
        runId: z.string().min(1).optional(),
        status: EpisodeStatusSchema.optional(),
        ...pageInput,
      }),
      output: pageOf(EpisodeSummarySchema),
      annotations: READ_ONLY,
    },
    async ({ cursor, limit, ...filter }) => {
      const page = await workspace.listEpisodes(filter, { cursor, limit });
      const lines = page.items.map((e) => `- ${e.id} task ${e.taskId}: ${e.status} (${e.endReason}), ${e.messages} messages, ${e.toolCalls} tool call(s)${e.labels.length ? ` [${e.labels.join(", ")}]` : ""}`);
      return { structured: page, text: `${page.items.length ? `${page.items.length} episode(s):\n${lines.join("\n")}` : "no episodes match"}${renderMore(page.nextCursor)}` };
    },
  );

  defineTool(
    server,
    "get_episode",
    {
      title: "Get an episode",
      description: "One stored episode: messages, steps, world state, end reason, labels, newest verdict.",
      input: z.object({ episodeId: z.string().min(1) }),
      output: EpisodeRecordSchema.extend({ judgment: VerdictViewSchema.optional() }),
      annotations: READ_ONLY,
    },
    async ({ episodeId }) => {
      const episode = await workspace.getEpisodeWithVerdict(episodeId);
      const header = `episode ${episode.id} of task ${episode.taskId}: ${episode.status} (${episode.endReason})${episode.labels.length ? `, labels: ${episode.labels.join(", ")}` : ""}`;
      const verdict = episode.judgment ? `\n${renderVerdict(episode.judgment)}` : "\nnot judged yet";
      return { structured: episode, text: `${header}\n${episode.messages.map(renderMessage).join("\n")}${verdict}` };
    },
  );

  defineTool(
    server,
    "get_judgment",
    {
      title: "Get a judgment",
      description: "A judgment (by id, or an episode's newest): verdict, reasons, each criterion's rationale.",
      input: z.object({ judgmentId: z.string().min(1).optional(), episodeId: z.string().min(1).optional() }),
      output: VerdictViewSchema.extend({ episodeId: z.string() }),
      annotations: READ_ONLY,
    },
    async (args) => {
      const judgment = await workspace.getJudgment(args);
      const view = viewVerdict(judgment);
      return { structured: { ...view, episodeId: judgment.episodeId }, text: `judgment ${judgment.id} of episode ${judgment.episodeId} (the whole record, with each judge's answer: agentsynth://judgments/${judgment.id})\n${renderVerdict(view)}` };
    },
  );

  defineTool(
    server,
    "get_stats",
    {
      title: "Get statistics",
      description: "Counts per stage, verdicts, rejection reasons, verification results, the tool audit, runs by status and token usage per model role, over the whole store.",
      input: z.object({}),
      output: StatsOutputSchema,
      annotations: READ_ONLY,
    },
    async () => {
      const stats = await workspace.getStats();
      return { structured: stats, text: renderStats(stats) };
    },
  );
}

function renderStats(stats: WorkspaceStats): string {
  const c = stats.counts;
  const usage = Object.entries(stats.usage).map(([role, u]) => `${role} ${u.inputTokens}+${u.outputTokens} tokens (${u.requests} requests)`);
  return [
    `domains ${c.domains}, tools ${c.tools} (real ${stats.tools.real}, synthetic ${stats.tools.synthetic}, imported ${stats.tools.imported}), agents ${c.agents}, tasks ${c.tasks}`,
    `episodes ${c.episodes} (completed ${stats.episodes.completed}, failed ${stats.episodes.failed}, cancelled ${stats.episodes.cancelled}; ${stats.episodes.live} live)`,
    `verdicts: pass ${stats.verdicts.pass}, fail ${stats.verdicts.fail}, unjudged ${stats.verdicts.unjudged}; failure reasons: ${renderCounts(stats.rejectionReasons)}`,
    `end reasons: ${renderCounts(stats.simulation.endReasons)}; failures attributed to: ${renderCounts(stats.simulation.faultAttributions)}`,
    `tool calls: ${renderCounts(stats.simulation.executions)}; injected faults: ${renderCounts(stats.simulation.faultsInjected)}; context cuts ${stats.simulation.contextCuts}`,
    `verification against the blueprint: ${renderCounts(stats.verification)}; tool audit: ${stats.toolAudit.audited} audited, excluded ${renderCounts(stats.toolAudit.excluded)}`,
    `datasets ${c.datasets}${stats.latestDataset ? ` (latest ${stats.latestDataset.id}: kept ${stats.latestDataset.kept}, rejected ${stats.latestDataset.rejected})` : ""}`,
    `runs ${c.runs}: ${renderCounts(stats.runs)}`,
    `token usage: ${usage.join(", ") || "none"}`,
  ].join("\n");
}

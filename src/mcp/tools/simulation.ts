import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { RateSchema } from "../../domain/common.js";
import { DifficultySchema } from "../../domain/task.js";
import type { Workspace } from "../../pipeline/workspace.js";
import { idList, seedInput } from "../input-schemas.js";
import { EpisodeSummarySchema, EpisodeTurnOutputSchema, SimulateOutputSchema, StartEpisodeOutputSchema } from "../output-schemas.js";
import { renderCounts, renderMessage } from "../render.js";
import { summarizeEpisode } from "../../pipeline/summaries.js";
import { defineTool } from "../tool-kit.js";

const SIMULATES = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true } as const;

/** Batch simulation, and interactive episodes in which the host speaks as the user. */
export function registerSimulationTools(server: McpServer, workspace: Workspace): void {
  defineTool(
    server,
    "simulate",
    {
      title: "Simulate episodes",
      description:
        "Simulate episodes of tasks: a simulated user plays the persona, the agent uses its tools, calls are answered live or simulated. Episodes are stored as they finish; cancelling keeps what finished.",
      input: z.object({
        taskIds: idList.optional(),
        filter: z
          .object({
            agentId: z.string().min(1).optional(),
            domainId: z.string().min(1).optional(),
            difficulty: DifficultySchema.optional(),
          })
          .optional()
          .describe("without taskIds: the tasks matching this (default: all)"),
        episodesPerTask: z.number().int().min(1).max(1000).optional(),
        concurrency: z.number().int().min(1).max(256).optional().describe("episodes at once"),
        maxTurns: z.number().int().min(1).max(100).optional().describe("user turns per episode"),
        maxSteps: z.number().int().min(1).max(10_000).optional().describe("message limit of an episode"),
        faultRate: RateSchema.optional().describe("share of tool calls given an injected fault"),
        seed: seedInput,
      }),
      output: SimulateOutputSchema,
      annotations: SIMULATES,
    },
    async (args, context) => {
      const result = await workspace.simulate(args, context);
      const { summary } = result;
      return {
        structured: result,
        text: `simulated ${summary.episodes} episode(s) in run ${result.runId}: ${summary.completed} completed, ${summary.failed} failed; end reasons: ${renderCounts(summary.endReasons)}\nepisodes: ${result.episodeIds.join(", ")}\nread one with get_episode, then judge them`,
      };
    },
  );

  defineTool(
    server,
    "start_episode",
    {
      title: "Start an interactive episode",
      description: "Start an interactive episode of a task: you speak as the user (send_user_message), the server plays the agent and its tools; end_episode stores it.",
      input: z.object({ taskId: z.string().min(1), seed: seedInput }),
      output: StartEpisodeOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async (args) => {
      const started = await workspace.startEpisode(args);
      return {
        structured: started,
        text: `started episode ${started.episodeId} of task ${started.taskId} (agent ${started.agentId}, tools: ${started.tools.join(", ")}).\nSpeak as the user whose goal is: ${started.goal}\nSend each user message with send_user_message, then end_episode.`,
      };
    },
  );

  defineTool(
    server,
    "send_user_message",
    {
      title: "Send a user message",
      description: "Send the next user message of an interactive episode; the agent acts until it answers. Returns the new messages.",
      input: z.object({ episodeId: z.string().min(1), message: z.string().min(1) }),
      output: EpisodeTurnOutputSchema,
      annotations: SIMULATES,
    },
    async (args, context) => {
      const turn = await workspace.sendUserMessage(args, context);
      const rendered = turn.newMessages.slice(1).map(renderMessage).join("\n");
      return { structured: turn, text: `${rendered}${turn.ended ? `\n(the episode ended: ${turn.endReason}; call end_episode to store it)` : ""}` };
    },
  );

  defineTool(
    server,
    "end_episode",
    {
      title: "End an interactive episode",
      description: "End an interactive episode and store it for get_episode, judge and filter.",
      input: z.object({ episodeId: z.string().min(1) }),
      output: EpisodeSummarySchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async ({ episodeId }) => {
      const summary = summarizeEpisode(await workspace.endEpisode(episodeId));
      return { structured: summary, text: `stored episode ${summary.id}: ${summary.status} (${summary.endReason}), ${summary.messages} messages, ${summary.toolCalls} tool call(s)` };
    },
  );
}


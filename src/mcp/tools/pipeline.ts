import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { RateSchema } from "../../domain/common.js";
import { ToolSourceChoiceSchema } from "../../domain/tool.js";
import type { Workspace } from "../../pipeline/workspace.js";
import { RunSummarySchema } from "../../domain/run.js";
import { renderRunSummary } from "../../pipeline/render-run-summary.js";
import { defineTool } from "../tool-kit.js";

/** The whole pipeline in one call, as `agentsynth run` runs it. */
export function registerPipelineTools(server: McpServer, workspace: Workspace): void {
  defineTool(
    server,
    "run_pipeline",
    {
      title: "Run the whole pipeline",
      description:
        "Run every stage (servers → domains → tools → agents → tasks → simulate → judge → filter → export) as `agentsynth run` does; the export goes to the dataset's own folder under the export root. Keeping nothing is an error with the reason. Cancelling keeps what finished; reruns resume.",
      input: z.object({
        configFile: z.string().min(1).optional().describe("pipeline config (default: the server's)"),
        seed: z.number().int().nonnegative().optional(),
        out: z.string().min(1).optional().describe("folder under the export root that gets the dataset's folder"),
        toolSources: z.array(ToolSourceChoiceSchema).min(1).optional().describe("which tools agents are built from"),
        faultRate: RateSchema.optional().describe("share of tool calls given an injected fault"),
        maxSteps: z.number().int().min(1).max(10_000).optional().describe("message limit of an episode"),
        resume: z.string().min(1).optional().describe("run id to take up"),
        fresh: z.boolean().optional().describe("start a new run"),
      }),
      output: RunSummarySchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async (args, context) => {
      const summary = await workspace.runPipeline(args, context);
      return { structured: summary, text: renderRunSummary(summary) };
    },
  );
}

import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { RateSchema } from "../../domain/common.js";
import { ToolSourceChoiceSchema } from "../../domain/tool.js";
import type { Workspace } from "../../pipeline/workspace.js";
import { RunPipelineOutputSchema } from "../output-schemas.js";
import { renderCounts } from "../render.js";
import { defineTool } from "../tool-kit.js";

/** The whole pipeline in one call, as `agentsynth run` runs it. */
export function registerPipelineTools(server: McpServer, workspace: Workspace): void {
  defineTool(
    server,
    "run_pipeline",
    {
      title: "Run the whole pipeline",
      description:
        "Run every stage (servers → domains → tools → agents → tasks → simulate → judge → filter → export) as `agentsynth run` does; the export goes under the export root. Cancelling keeps what finished.",
      input: z.object({
        configFile: z.string().min(1).optional().describe("pipeline config (default: the server's)"),
        seed: z.number().int().nonnegative().optional(),
        out: z.string().min(1).optional().describe("export directory under the export root"),
        toolSources: z.array(ToolSourceChoiceSchema).min(1).optional().describe("which tools agents are built from"),
        faultRate: RateSchema.optional().describe("share of tool calls given an injected fault"),
        maxSteps: z.number().int().min(1).max(10_000).optional().describe("message limit of an episode"),
      }),
      output: RunPipelineOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async (args, context) => {
      const result = await workspace.runPipeline(args, context);
      const c = result.counts;
      return {
        structured: result,
        text: `run ${result.runId} ${result.status}: domains ${c.domains} → tools ${c.tools} → agents ${c.agents} → tasks ${c.tasks} → episodes ${c.episodes} → judged ${c.judged} (${c.passed} pass) → kept ${c.kept}, rejected ${c.rejected} (${renderCounts(result.rejectionCounts)})\nexport: ${result.exportPath} (${result.records} records), dataset ${result.datasetId}`,
      };
    },
  );
}

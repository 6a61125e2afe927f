import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
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
        "Run every stage (domains → tools → agents → tasks → simulate → judge → filter → export) as `agentsynth run` does, into this server's store; the export goes under the export root. Reports progress per stage; on cancellation what finished stays and the run is marked cancelled.",
      input: z.object({
        configFile: z.string().min(1).optional().describe("a pipeline config file (default: the server's --config)"),
        seed: z.number().int().nonnegative().optional().describe("overrides the config's seed"),
        out: z.string().min(1).optional().describe("export directory under the export root (default: the export root)"),
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

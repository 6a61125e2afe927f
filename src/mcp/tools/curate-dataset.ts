import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { ExportFormatSchema } from "../../domain/config.js";
import { CurationSummarySchema } from "../../domain/curation.js";
import { RateSchema } from "../../domain/common.js";
import type { Workspace } from "../../pipeline/workspace.js";
import { renderCounts } from "../render.js";
import { defineTool } from "../tool-kit.js";

/** curate_dataset: the workspace's curateDataset, as `agentsynth curate`. */
export function registerCurateDatasetTool(server: McpServer, workspace: Workspace): void {
  defineTool(
    server,
    "curate_dataset",
    {
      title: "Curate a dataset",
      description:
        "Check and filter a JSONL file of conversations made elsewhere (in a readable folder): format and rule checks, LLM judge if configured, dedup. Writes kept.jsonl, rejected.jsonl, README.md under the export root.",
      input: z.object({
        file: z.string().min(1),
        format: ExportFormatSchema.optional(),
        out: z.string().min(1).optional(),
        llmJudge: z.boolean().optional(),
        dedupe: z.boolean().optional(),
        minScore: RateSchema.optional(),
        force: z.boolean().optional(),
      }),
      output: CurationSummarySchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    async (args, context) => {
      const result = await workspace.curateDataset(args, context);
      const bad = result.firstBadLines.map((line) => `line ${line.line} (${line.reason})`).join(", ");
      return {
        structured: result,
        text: `curated ${result.lines} line(s) of ${result.source}: kept ${result.kept}, rejected ${result.rejected} (${result.badLines} bad line(s)${bad ? `: ${bad}` : ""}); reasons: ${renderCounts(result.rejectionCounts)}; wrote kept.jsonl, rejected.jsonl and README.md to ${result.directory}`,
      };
    },
  );
}

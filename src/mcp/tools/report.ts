import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { ReportSummarySchema } from "../../domain/report.js";
import type { Workspace } from "../../pipeline/workspace.js";
import { defineTool } from "../tool-kit.js";

/** The dataset report: a self-contained HTML report with charts and a trajectory browser. */
export function registerReportTools(server: McpServer, workspace: Workspace): void {
  defineTool(
    server,
    "write_report",
    {
      title: "Write the dataset report",
      description:
        "Write a browsable HTML report (overview, coverage, trajectories with the judge's rationales) of a dataset (default: the newest) or a run's episodes, to <out>/<dataset name>/report/. It opens from disk, no network; agentsynth://report says where.",
      input: z.object({
        datasetId: z.string().min(1).optional(),
        runId: z.string().min(1).optional().describe("instead of a dataset: the episodes this run simulated"),
        out: z.string().min(1).optional().describe("a folder under the export root (default: the root)"),
      }),
      output: ReportSummarySchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async (input, { signal, onProgress }) => {
      const report = await workspace.writeReport(input, { signal, onProgress });
      return { structured: report, text: `Wrote the report of ${report.episodes} episode(s) (kept ${report.kept}, rejected ${report.rejected}): open ${report.fileUrl}` };
    },
  );
}

import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { CallIdStyleSchema, ExportFormatSchema, ExportSplitSchema } from "../../domain/config.js";
import { ExportSummarySchema } from "../../domain/dataset.js";
import type { Workspace } from "../../pipeline/workspace.js";
import { filterOverrides, idList } from "../input-schemas.js";
import { FilterOutputSchema, JudgeOutputSchema } from "../output-schemas.js";
import { renderCounts } from "../render.js";
import { defineTool } from "../tool-kit.js";

const selection = {
  episodeIds: idList.optional(),
  runId: z.string().min(1).optional().describe("the episodes a run simulated or judged"),
};

/** Judge, filter and export. */
export function registerQualityTools(server: McpServer, workspace: Workspace): void {
  defineTool(
    server,
    "judge",
    {
      title: "Judge episodes",
      description:
        "Judge episodes against their task's rubric: format and rule checks, then the judge model scores llm criteria. Give episodeIds or runId; neither: every unjudged episode.",
      input: z.object({ ...selection, concurrency: z.number().int().min(1).max(256).optional() }),
      output: JudgeOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async (args, context) => {
      const result = await workspace.judge(args, context);
      const { summary } = result;
      return {
        structured: result,
        text: `judged ${summary.judged} episode(s) in run ${result.runId}: ${summary.passed} pass, ${summary.failed} fail, mean score ${summary.meanScore}; failure reasons: ${renderCounts(summary.reasons)}`,
      };
    },
  );

  defineTool(
    server,
    "filter",
    {
      title: "Filter into a dataset",
      description:
        "Store the judged episodes that pass (verdict, score, required criteria, attributions, length, success-rate band, duplicates, diversity caps) as a dataset, with rejection reasons and pass^k. Unset options are the config's. Give episodeIds or runId; neither: every judged episode.",
      input: z.object({
        ...selection,
        ...filterOverrides,
        name: z.string().min(1).optional(),
      }),
      output: FilterOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async (args, context) => {
      const result = await workspace.filter(args, context);
      return {
        structured: result,
        text: `dataset ${result.id} "${result.name}": kept ${result.kept}, rejected ${result.rejected} (${renderCounts(result.rejectionCounts)}); pass^k ${Object.entries(result.passHatK).map(([k, value]) => `pass^${k} ${value}`).join(", ") || "none"}; export it with export_dataset`,
      };
    },
  );

  defineTool(
    server,
    "export_dataset",
    {
      title: "Export a dataset",
      description:
        "Write a dataset as JSONL for a trainer (openai: chat fine-tuning; hf: messages/tools columns; sharegpt: LLaMA-Factory) with a dataset card, optionally split into train and validation. Options not given come from the config's export section. Refuses a folder holding another dataset's export unless force.",
      input: z.object({
        datasetId: z.string().min(1).optional().describe("default: the newest dataset"),
        format: ExportFormatSchema.optional(),
        path: z.string().min(1).optional().describe("the .jsonl file under the export root, e.g. run-3/train.jsonl"),
        out: z.string().min(1).optional().describe("without path: a folder that gets <out>/<dataset name>/train.jsonl"),
        includeSystemPrompt: z.boolean().optional(),
        includeReasoning: z.boolean().optional().describe("keep the assistant's reasoning_content"),
        callIdStyle: CallIdStyleSchema.optional(),
        kimiToolCallIds: z.boolean().optional(),
        split: ExportSplitSchema.optional(),
        force: z.boolean().optional().describe("overwrite a folder holding another dataset's export"),
      }),
      output: ExportSummarySchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async (args, context) => {
      const result = await workspace.exportDataset(args, context);
      return { structured: result, text: `wrote ${result.records} record(s) to ${result.path} (${result.format}) and the dataset card ${result.cardPath}` };
    },
  );
}

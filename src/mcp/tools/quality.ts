import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { ExportFormatSchema, ExportSplitSchema } from "../../domain/config.js";
import { ExportSummarySchema } from "../../domain/dataset.js";
import type { Workspace } from "../../pipeline/workspace.js";
import { filterOverrides, idList } from "../input-schemas.js";
import { FilterOutputSchema, JudgeOutputSchema } from "../output-schemas.js";
import { renderCounts } from "../render.js";
import { defineTool } from "../tool-kit.js";

const selection = {
  episodeIds: idList("episode").optional(),
  runId: z.string().min(1).optional().describe("a run: the episodes it simulated, or the episodes it judged"),
};

/** Judge, filter and export. */
export function registerQualityTools(server: McpServer, workspace: Workspace): void {
  defineTool(
    server,
    "judge",
    {
      title: "Judge episodes",
      description:
        "Judge episodes against their task's rubric: format checks and rule criteria first, then the judge model scores the llm criteria with a rationale each. Give episodeIds or a runId; with neither, every episode not judged yet. Reports progress.",
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
        "Keep the episodes whose newest judgment meets the criteria (verdict pass, minimum score, required criteria, fault attributions, length bounds, the task's success-rate band, no exact or near duplicates, diversity caps per task/agent/domain) and store them as a dataset with the reasons every other episode was rejected and each task's success rate and pass^k. Settings not given are the config's filter section. Give episodeIds or a runId; with neither, every judged episode.",
      input: z.object({
        ...selection,
        ...filterOverrides,
        name: z.string().min(1).optional().describe("the dataset's name"),
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
        "Write a dataset as JSONL in a trainer's format (openai: OpenAI chat fine-tuning records with messages, tools, parallel_tool_calls; hf: messages and tools columns with arguments as objects; sharegpt: LLaMA-Factory conversations) with a dataset card (README.md) beside it, optionally split into train and validation. Options not given are the config's export section. Paths must be under the server's export root; relative paths resolve from it. Refuses a folder that holds another dataset's export unless force. Reports progress.",
      input: z.object({
        datasetId: z.string().min(1).optional().describe("default: the newest dataset"),
        format: ExportFormatSchema.optional(),
        path: z.string().min(1).optional().describe("the .jsonl file to write, e.g. run-3/train.jsonl; validation.jsonl goes beside it when split"),
        out: z.string().min(1).optional().describe("without path: a folder that gets the dataset's own folder, <out>/<dataset name>/train.jsonl (default: the export root)"),
        includeSystemPrompt: z.boolean().optional(),
        includeReasoning: z.boolean().optional().describe("keep the assistant's reasoning_content"),
        kimiToolCallIds: z.boolean().optional().describe("tool-call ids as functions.{name}:{index}, counted across the conversation"),
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

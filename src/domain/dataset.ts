import { z } from "zod";
import { CountsSchema, IdSchema, TimestampSchema, recordBase } from "./common.js";
import { ExportFormatSchema, ExportOptionsSchema, ExportSplitSchema } from "./config.js";

export const RejectionSchema = z.object({ episodeId: IdSchema, reasons: z.array(z.string()).min(1) });

/** pass^k by k ("1", "2", …): the chance that k episodes of a task all pass, as τ-bench defines it. */
export const PassHatKSchema = z.record(z.string().regex(/^[1-9]\d*$/), z.number().min(0).max(1));
export type PassHatK = z.infer<typeof PassHatKSchema>;

/** How reliably a task is solved: of `episodes` judged, `passed` passed. */
export const TaskStatsSchema = z.object({
  episodes: z.number().int().nonnegative(),
  passed: z.number().int().nonnegative(),
  successRate: z.number().min(0).max(1),
  passHatK: PassHatKSchema.describe("C(passed, k) / C(episodes, k) for k = 1..episodes"),
});
export type TaskStats = z.infer<typeof TaskStatsSchema>;
export const TaskStatsMapSchema = z.record(IdSchema, TaskStatsSchema).describe("per task id");

export const SplitNameSchema = z.enum(["train", "validation"]);
export type SplitName = z.infer<typeof SplitNameSchema>;

export const ExportFileSchema = z.object({
  split: SplitNameSchema,
  path: z.string(),
  records: z.number().int().nonnegative(),
  sha256: z.string(),
});
export type ExportFile = z.infer<typeof ExportFileSchema>;

export const ExportRecordSchema = z.object({
  format: ExportFormatSchema,
  path: z.string().describe("the (train) JSONL file"),
  cardPath: z.string(),
  records: z.number().int().nonnegative().describe("records written, over every file"),
  sha256: z.string().describe("of the file at path"),
  exportedAt: TimestampSchema,
  options: ExportOptionsSchema.optional(),
  split: ExportSplitSchema.optional(),
  files: z.array(ExportFileSchema).optional().describe("every file written (train, and validation when split)"),
});
export type ExportInfo = z.infer<typeof ExportRecordSchema>;

/** What an export wrote (MCP export_dataset, `agentsynth export`, and the export of a pipeline run). */
export const ExportSummarySchema = z.object({
  datasetId: IdSchema,
  datasetName: z.string(),
  format: ExportFormatSchema,
  /** The folder holding the files and the card. */
  directory: z.string(),
  /** The (train) JSONL file. */
  path: z.string(),
  /** The dataset card (README.md) beside it. */
  cardPath: z.string(),
  /** Records over every file. */
  records: z.number().int().nonnegative(),
  /** Of the file at path. */
  sha256: z.string(),
  /** Every file written: train, and validation when split. */
  files: z.array(ExportFileSchema),
});
export type ExportSummary = z.infer<typeof ExportSummarySchema>;

export const DatasetRecordSchema = z.object({
  ...recordBase,
  kind: z.literal("dataset"),
  name: z.string().min(1),
  runId: IdSchema.optional(),
  filter: z.record(z.string(), z.unknown()).describe("the filter settings that made it"),
  episodeIds: z.array(IdSchema),
  rejected: z.array(RejectionSchema),
  rejectionCounts: CountsSchema,
  taskStats: TaskStatsMapSchema.optional().describe("success rate and pass^k of every task the filter saw"),
  passHatK: PassHatKSchema.optional().describe("pass^k averaged over the tasks with at least k judged episodes"),
  exports: z.array(ExportRecordSchema).default([]),
});
export type DatasetRecord = z.infer<typeof DatasetRecordSchema>;

import { z } from "zod";
import { IdSchema, TimestampSchema, recordBase } from "./common.js";

export const RejectionSchema = z.object({ episodeId: IdSchema, reasons: z.array(z.string()).min(1) });

export const ExportRecordSchema = z.object({
  format: z.enum(["openai"]),
  path: z.string(),
  cardPath: z.string(),
  records: z.number().int().nonnegative(),
  sha256: z.string(),
  exportedAt: TimestampSchema,
});
export type ExportInfo = z.infer<typeof ExportRecordSchema>;

export const DatasetRecordSchema = z.object({
  ...recordBase,
  kind: z.literal("dataset"),
  name: z.string().min(1),
  runId: IdSchema.optional(),
  filter: z.record(z.string(), z.unknown()).describe("the filter settings that made it"),
  episodeIds: z.array(IdSchema),
  rejected: z.array(RejectionSchema),
  rejectionCounts: z.record(z.string(), z.number().int().nonnegative()),
  exports: z.array(ExportRecordSchema).default([]),
});
export type DatasetRecord = z.infer<typeof DatasetRecordSchema>;

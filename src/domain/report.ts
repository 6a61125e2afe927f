import { z } from "zod";
import { IdSchema } from "./common.js";

/**
 * What a dataset report covers: a stored dataset (the episodes its filter kept and rejected), the episodes one
 * run simulated, or every stored episode (a store that was never filtered).
 */
export const ReportScopeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("dataset"), datasetId: IdSchema, datasetName: z.string(), runId: IdSchema.optional() }),
  z.object({ kind: z.literal("run"), runId: IdSchema, datasetId: IdSchema.optional(), datasetName: z.string().optional() }),
  z.object({ kind: z.literal("all") }),
]);
export type ReportScope = z.infer<typeof ReportScopeSchema>;

/** What `agentsynth report` (MCP `write_report`) wrote: a self-contained HTML report that opens from file://. */
export const ReportSummarySchema = z.object({
  scope: ReportScopeSchema,
  directory: z.string().describe("the report folder: index.html, assets/, data/"),
  indexPath: z.string().describe("the page to open"),
  fileUrl: z.string().describe("index.html as a file:// URL"),
  episodes: z.number().int().nonnegative().describe("episodes in the report"),
  kept: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  judged: z.number().int().nonnegative(),
  pages: z.object({
    index: z.number().int().nonnegative().describe("pages of the episode list"),
    episodes: z.number().int().nonnegative().describe("pages of whole episodes, loaded when one is opened"),
    judgments: z.number().int().nonnegative(),
  }),
  charts: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative().describe("size of the report on disk"),
});
export type ReportSummary = z.infer<typeof ReportSummarySchema>;

/** Where the report of a dataset is (or would be) and whether it has been written: the `agentsynth://report` resource. */
export const ReportLocationSchema = z.object({
  datasetId: IdSchema.optional(),
  datasetName: z.string().optional(),
  directory: z.string(),
  indexPath: z.string(),
  fileUrl: z.string(),
  written: z.boolean().describe("whether index.html exists there"),
  httpUrl: z.string().optional().describe("where `serve --http` serves it (needs the bearer token)"),
  howToWrite: z.string(),
});
export type ReportLocation = z.infer<typeof ReportLocationSchema>;

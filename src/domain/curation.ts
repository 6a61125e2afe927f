import { z } from "zod";
import { CountsSchema } from "./common.js";
import { ExportFormatSchema } from "./config.js";

/** A line of a curated file that holds no conversation (see BadLineReason in export/read-conversation.ts). */
export const CurationBadLineSchema = z.object({
  line: z.number().int().positive().describe("1-based line number in the source file"),
  reason: z.enum(["not_json", "not_an_object", "no_messages", "bad_message", "tool_message_without_call"]),
  detail: z.string(),
});
export type CurationBadLine = z.infer<typeof CurationBadLineSchema>;

/** What `curate` (MCP `curate_dataset`) did with a dataset made elsewhere. */
export const CurationSummarySchema = z.object({
  source: z.string().describe("the file read"),
  format: ExportFormatSchema.describe("the format its lines were read as"),
  directory: z.string(),
  keptPath: z.string(),
  rejectedPath: z.string(),
  cardPath: z.string(),
  lines: z.number().int().nonnegative().describe("non-blank lines read"),
  kept: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative().describe("records rejected by a check, the judge or the filter, and bad lines"),
  badLines: z.number().int().nonnegative().describe("lines that hold no conversation (in rejected.jsonl too)"),
  llmJudge: z.boolean().describe("whether the LLM judge scored the generic rubric (a judge model other than offline, or asked for)"),
  rejectionCounts: CountsSchema.describe("rejected lines per reason code"),
  firstBadLines: z.array(CurationBadLineSchema).describe("the first bad lines, with their line numbers"),
});
export type CurationSummary = z.infer<typeof CurationSummarySchema>;

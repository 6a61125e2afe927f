import { z } from "zod";
import { CountsSchema } from "./common.js";

/** A line of a curated file that holds no conversation (see BadLineReason in export/read-conversation.ts). */
export const CurationBadLineSchema = z.object({
  line: z.number().int().positive(),
  /** not_json, not_an_object, no_messages, bad_message or tool_message_without_call. */
  reason: z.string(),
  detail: z.string(),
});
export type CurationBadLine = z.infer<typeof CurationBadLineSchema>;

/**
 * What `curate` (MCP `curate_dataset`) did with a dataset made elsewhere: the file read; `lines` non-blank lines read; `rejected` counts records a check, the judge or the filter rejected
 * and bad lines (`badLines`, lines that hold no conversation, in rejected.jsonl too); `llmJudge` whether the LLM
 * judge scored the generic rubric; `rejectionCounts` rejected lines per reason code; `firstBadLines` the first
 * bad lines with their 1-based numbers. The folder `directory` holds kept.jsonl, rejected.jsonl and README.md.
 */
export const CurationSummarySchema = z.object({
  source: z.string(),
  directory: z.string(),
  lines: z.number().int().nonnegative(),
  kept: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  badLines: z.number().int().nonnegative(),
  llmJudge: z.boolean(),
  rejectionCounts: CountsSchema,
  firstBadLines: z.array(CurationBadLineSchema),
});
export type CurationSummary = z.infer<typeof CurationSummarySchema>;

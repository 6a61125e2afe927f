import { z } from "zod";
import { IdSchema, recordBase } from "./common.js";

/** Result of one deterministic check (format checks and rule criteria). */
export const CheckResultSchema = z.object({
  id: z.string(),
  passed: z.boolean(),
  reason: z.string().optional().describe("a stable reason code when the check failed, e.g. unknown_tool"),
  detail: z.string().optional(),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;

export const CriterionScoreSchema = z.object({
  criterionId: z.string(),
  kind: z.enum(["rule", "llm"]),
  score: z.number().min(0).max(1),
  rationale: z.string(),
  required: z.boolean().default(false),
  weight: z.number().positive(),
});
export type CriterionScore = z.infer<typeof CriterionScoreSchema>;

export const VerdictSchema = z.enum(["pass", "fail"]);

export const JudgmentRecordSchema = z.object({
  ...recordBase,
  kind: z.literal("judgment"),
  episodeId: IdSchema,
  taskId: IdSchema,
  runId: IdSchema.optional(),
  formatChecks: z.array(CheckResultSchema).describe("tool exists, arguments valid, every call answered, ends with an answer"),
  criteria: z.array(CriterionScoreSchema),
  score: z.number().min(0).max(1),
  verdict: VerdictSchema,
  reasons: z.array(z.string()).default([]).describe("reason codes of what failed"),
  summary: z.string(),
});
export type JudgmentRecord = z.infer<typeof JudgmentRecordSchema>;

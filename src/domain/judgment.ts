import { z } from "zod";
import { IdSchema, ModelRefSchema, recordBase } from "./common.js";
import { CriterionKindSchema } from "./rubric.js";

/** Result of one deterministic check (format checks and rule criteria). */
export const CheckResultSchema = z.object({
  id: z.string(),
  passed: z.boolean(),
  reason: z.string().optional().describe("a stable reason code when the check failed, e.g. unknown_tool"),
  detail: z.string().optional(),
  evidence: z
    .array(z.object({ message: z.number().int().nonnegative().describe("message index"), text: z.string() }))
    .optional()
    .describe("where it failed"),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;

export const CriterionScoreSchema = z.object({
  criterionId: z.string(),
  kind: CriterionKindSchema,
  score: z.number().min(0).max(1),
  rationale: z.string(),
  required: z.boolean().default(false),
  weight: z.number().nonnegative().describe("its share of the weighted score (0: it counts for nothing, e.g. a verification that does not apply)"),
  agreement: z.number().min(0).max(1).optional().describe("llm criteria: share of the committee agreeing with its majority pass/fail"),
});
export type CriterionScore = z.infer<typeof CriterionScoreSchema>;

export const VerdictSchema = z.enum(["pass", "fail"]);
export type Verdict = z.infer<typeof VerdictSchema>;

/** What one judge of the committee said. */
export const JudgeMemberResultSchema = z.object({
  model: ModelRefSchema,
  temperature: z.number().optional(),
  scores: z.array(z.object({ criterionId: z.string(), score: z.number().min(0).max(1), rationale: z.string() })),
  claims: z
    .array(z.object({ claim: z.string(), evidence: z.string(), supported: z.boolean() }))
    .optional()
    .describe("the final answer's claims as this judge checked them against the tool outputs"),
  verdict: VerdictSchema.optional().describe("absent when the member gave no valid answer"),
  summary: z.string().optional(),
  error: z.string().optional().describe("why the member's answer was unusable"),
});
export type JudgeMemberResult = z.infer<typeof JudgeMemberResultSchema>;

export const CommitteeSchema = z.object({
  members: z.array(JudgeMemberResultSchema).min(1),
  agreement: z.object({
    verdict: z.number().min(0).max(1).describe("share of answering members whose verdict is the majority verdict"),
    criteria: z.record(z.string(), z.number().min(0).max(1)).describe("per llm criterion: share agreeing with the majority pass/fail"),
    overall: z.number().min(0).max(1).describe("mean of the verdict and per-criterion agreements"),
  }),
});
export type Committee = z.infer<typeof CommitteeSchema>;

export const JudgmentRecordSchema = z.object({
  ...recordBase,
  kind: z.literal("judgment"),
  episodeId: IdSchema,
  taskId: IdSchema,
  runId: IdSchema.optional(),
  formatChecks: z.array(CheckResultSchema).describe("tools exist, arguments valid, calls answered, an answer at the end"),
  /** The default rules: faithfulness of the final answer, plausible arguments, privacy. */
  ruleChecks: z.array(CheckResultSchema).default([]),
  criteria: z.array(CriterionScoreSchema),
  score: z.number().min(0).max(1),
  verdict: VerdictSchema,
  reasons: z.array(z.string()).default([]).describe("reason codes of what failed"),
  summary: z.string(),
  committee: CommitteeSchema.optional().describe("what each judge of the llm criteria said, and their agreement"),
});
export type JudgmentRecord = z.infer<typeof JudgmentRecordSchema>;

/** What a host reads of an episode's newest judgment: the verdict, the score, the reason codes, per-criterion scores with rationales and the failed checks. */
export const VerdictViewSchema = z.object({
  judgmentId: IdSchema,
  judgedAt: z.string(),
  verdict: VerdictSchema,
  score: z.number().min(0).max(1),
  reasons: z.array(z.string()),
  summary: z.string(),
  criteria: z.array(CriterionScoreSchema),
  failedChecks: z.array(CheckResultSchema),
});
export type VerdictView = z.infer<typeof VerdictViewSchema>;

/**
 * Whether a criterion's score passes it: above "partly met" (0.5). On the judge's anchored levels only 1 (fully
 * met) passes; a rule criterion scores 0 or 1.
 */
export function criterionPasses(score: number): boolean {
  return score > 0.5;
}

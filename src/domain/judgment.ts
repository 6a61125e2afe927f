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
    .array(z.object({ message: z.number().int().nonnegative().describe("index of the message in the transcript"), text: z.string().describe("what in it failed the check") }))
    .optional()
    .describe("where the failure shows, message by message"),
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
  formatChecks: z.array(CheckResultSchema).describe("tool exists, arguments valid, every call answered, ends with an answer"),
  ruleChecks: z
    .array(CheckResultSchema)
    .default([])
    .describe("the default rules, run on every episode before the llm judge: faithfulness of the final answer (grounded claims, no success after failure, counts, done means done, ends with an answer, no call after stop), plausible arguments (real dates, no placeholders, no fabricated ids) and privacy"),
  criteria: z.array(CriterionScoreSchema),
  score: z.number().min(0).max(1),
  verdict: VerdictSchema,
  reasons: z.array(z.string()).default([]).describe("reason codes of what failed"),
  summary: z.string(),
  committee: CommitteeSchema.optional().describe("the judges that scored the llm criteria, what each said, and how far they agreed"),
});
export type JudgmentRecord = z.infer<typeof JudgmentRecordSchema>;

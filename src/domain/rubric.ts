import { z } from "zod";
import { JsonObjectSchema, JsonValueSchema } from "./common.js";

/** Deterministic checks a rule criterion can run against an episode. */
export const RuleCheckSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("tool_called"),
    tool: z.string(),
    args: JsonObjectSchema.optional().describe("a subset of arguments at least one call must carry"),
    min: z.number().int().nonnegative().default(1),
    max: z.number().int().nonnegative().optional(),
  }),
  z.object({ type: z.literal("tool_not_called"), tool: z.string() }),
  z.object({ type: z.literal("call_order"), tools: z.array(z.string()).min(2) }),
  z.object({ type: z.literal("args_valid") }),
  z.object({ type: z.literal("no_fabricated_ids") }),
  z.object({
    type: z.literal("final_state"),
    path: z.string().min(1).describe("dot path into the world state, e.g. entities.order.ORD-1.status"),
    equals: JsonValueSchema.optional(),
    exists: z.boolean().optional(),
  }),
  z.object({ type: z.literal("final_state_matches").describe("the episode's verification: the world state it left is the blueprint's, and its final answer states the answer facts") }),
  z.object({ type: z.literal("no_call_after_stop") }),
  z.object({ type: z.literal("answer_mentions"), text: z.array(z.string().min(1)).min(1) }),
]);
export type RuleCheck = z.infer<typeof RuleCheckSchema>;

const criterionBase = {
  id: z.string().regex(/^[a-z0-9_-]{1,64}$/),
  description: z.string().min(1),
  weight: z.number().positive().default(1),
  required: z.boolean().default(false),
};

/** `rule`: a deterministic check; `llm`: scored by the judge model. */
export const CriterionKindSchema = z.enum(["rule", "llm"]);
export type CriterionKind = z.infer<typeof CriterionKindSchema>;

export const RubricCriterionSchema = z.discriminatedUnion("kind", [
  z.object({ ...criterionBase, kind: z.literal(CriterionKindSchema.enum.rule), check: RuleCheckSchema }),
  z.object({ ...criterionBase, kind: z.literal(CriterionKindSchema.enum.llm) }),
]);
export type RubricCriterion = z.infer<typeof RubricCriterionSchema>;

export const RubricSchema = z
  .object({
    criteria: z.array(RubricCriterionSchema).min(1),
    passThreshold: z.number().min(0).max(1).default(0.7),
  })
  .refine((rubric) => new Set(rubric.criteria.map((c) => c.id)).size === rubric.criteria.length, {
    message: "criterion ids must be unique",
    path: ["criteria"],
  });
export type Rubric = z.infer<typeof RubricSchema>;

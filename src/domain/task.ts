import { z } from "zod";
import { IdSchema, JsonObjectSchema, JsonValueSchema, recordBase } from "./common.js";
import { RubricSchema } from "./rubric.js";

export const PersonaSchema = z.object({
  name: z.string().min(1),
  style: z.string().min(1).describe("how they write, e.g. 'brief and direct'"),
  expertise: z.enum(["novice", "intermediate", "expert"]).default("intermediate"),
  language: z.string().min(2).default("en"),
  patience: z.enum(["low", "medium", "high"]).default("medium"),
  background: z.string().optional(),
});
export type Persona = z.infer<typeof PersonaSchema>;

/** Something the simulated user knows and reveals only when asked. */
export const HiddenFactSchema = z.object({
  key: z.string().min(1).describe("what the fact is about, e.g. 'order_id'"),
  value: JsonValueSchema,
  description: z.string().min(1).describe("how the user thinks of it, e.g. 'your order number'"),
});
export type HiddenFact = z.infer<typeof HiddenFactSchema>;

export const DifficultySchema = z.enum(["easy", "medium", "hard"]);
export type Difficulty = z.infer<typeof DifficultySchema>;

/**
 * What kind of conversation a task is: a single look-up; chained (an id from one result used in a later call);
 * multi-intent (two requests in one conversation); conditional ("if it's over 50, cancel it instead");
 * ambiguous (two records match: the agent must ask); infeasible (against policy or impossible: the agent must
 * refuse, explain and write nothing); no tool fits (answered without tools); change of mind mid-conversation;
 * parallel independent look-ups.
 */
export const TaskShapeSchema = z.enum(["lookup", "chained", "multi_intent", "conditional", "ambiguous", "infeasible", "no_tool", "change_of_mind", "parallel"]);
export type TaskShape = z.infer<typeof TaskShapeSchema>;

/** A call a correct agent makes. */
export const BlueprintActionSchema = z.strictObject({
  tool: z.string().min(1).describe("the tool's name"),
  arguments: JsonObjectSchema,
});
export type BlueprintAction = z.infer<typeof BlueprintActionSchema>;

/** What a model writes of a blueprint: the actions and the facts a correct answer states (the final state is computed). */
export const BlueprintDraftSchema = z.strictObject({
  actions: z.array(BlueprintActionSchema).describe("the calls a correct agent makes, in order"),
  answerFacts: z.array(z.string().min(1)).default([]).describe("facts (values) a correct final answer states, e.g. a status or an amount"),
});
export type BlueprintDraft = z.infer<typeof BlueprintDraftSchema>;

/**
 * The actions a correct agent takes, the world state they leave — computed by executing the actions on the
 * task's initial state with the environment executor, never written by a model — and the facts a correct
 * final answer states.
 */
export const TaskBlueprintSchema = BlueprintDraftSchema.extend({
  finalState: JsonObjectSchema.describe("the world state after the actions, computed by executing them"),
});
export type TaskBlueprint = z.infer<typeof TaskBlueprintSchema>;

/**
 * Why the gate before simulation refuses a task: it has no blueprint; a hidden fact names a record the initial
 * state does not hold; a blueprint action calls a tool the agent lacks, has arguments its schema refuses, or fails;
 * a task that writes leaves the state as it was; a look-up has no answer facts; an infeasible task writes.
 */
export const TaskGateReasonSchema = z.enum([
  "missing_blueprint",
  "unknown_record",
  "action_unknown_tool",
  "action_invalid_arguments",
  "action_error",
  "write_without_change",
  "lookup_without_facts",
  "infeasible_with_writes",
]);
export type TaskGateReason = z.infer<typeof TaskGateReasonSchema>;

/** The gate's verdict on a task: passed, or failed with each reason and what it is about. */
export const TaskGateVerdictSchema = z.object({
  passed: z.boolean(),
  problems: z.array(z.object({ reason: TaskGateReasonSchema, detail: z.string() })),
  verifiable: z.boolean().describe("whether every blueprint action runs in the environment (its episodes can be verified)"),
});
export type TaskGateVerdict = z.infer<typeof TaskGateVerdictSchema>;

export const TaskSpecSchema = z.object({
  agentId: IdSchema,
  goal: z.string().min(1).describe("a one-line summary of what the user wants"),
  scenario: z
    .string()
    .min(1)
    .optional()
    .describe("what the user simulator is told, in the second person: why they contact, what they know and don't, their constraints, how to react"),
  shape: TaskShapeSchema.optional(),
  blueprint: TaskBlueprintSchema.optional(),
  persona: PersonaSchema,
  hiddenFacts: z.array(HiddenFactSchema).default([]),
  rubric: RubricSchema,
  initialState: JsonObjectSchema.default({}).describe("world state the episode starts from"),
  difficulty: DifficultySchema.default("medium"),
  expectedTools: z.array(z.string()).default([]).describe("tool names a good trajectory is expected to use"),
});
export type TaskSpec = z.infer<typeof TaskSpecSchema>;

/**
 * A task as an author writes it (create_task): the spec, but a blueprint gives only its actions and answer facts —
 * the final state is computed by executing them, never taken from the input.
 */
export const TaskInputSchema = TaskSpecSchema.extend({ blueprint: BlueprintDraftSchema.optional() });
export type TaskInput = z.infer<typeof TaskInputSchema>;

export const TaskRecordSchema = z.object({ ...recordBase, kind: z.literal("task"), ...TaskSpecSchema.shape });
export type TaskRecord = z.infer<typeof TaskRecordSchema>;

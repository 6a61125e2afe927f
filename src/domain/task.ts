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

export const TaskSpecSchema = z.object({
  agentId: IdSchema,
  goal: z.string().min(1).describe("what the user wants, in the user's terms"),
  persona: PersonaSchema,
  hiddenFacts: z.array(HiddenFactSchema).default([]),
  rubric: RubricSchema,
  initialState: JsonObjectSchema.default({}).describe("world state the episode starts from"),
  difficulty: DifficultySchema.default("medium"),
  expectedTools: z.array(z.string()).default([]).describe("tool names a good trajectory is expected to use"),
});
export type TaskSpec = z.infer<typeof TaskSpecSchema>;

export const TaskRecordSchema = z.object({ ...recordBase, kind: z.literal("task"), ...TaskSpecSchema.shape });
export type TaskRecord = z.infer<typeof TaskRecordSchema>;

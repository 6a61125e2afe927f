import { z } from "zod";
import { JsonValueSchema } from "./common.js";

/*
 * A synthetic tool's declared effect on its domain's entities: what the environment executor (src/world) runs
 * against an episode's world state, deterministically, instead of asking a model. Everything the executor needs
 * is declared here and in the domain's entity; nothing is guessed from names.
 */

const SnakeNameSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, "a snake_case name");

/** What a tool does to the records of its entity. */
export const EffectOperationSchema = z.enum(["get", "list", "search", "create", "update", "transition", "delete", "compute"]);
export type EffectOperation = z.infer<typeof EffectOperationSchema>;

/** Operations that change the world state. */
export const WRITE_OPERATIONS: ReadonlySet<EffectOperation> = new Set(["create", "update", "transition", "delete"]);

/** How a parameter selects records: by equality of a field (the id for get/update/transition/delete), by text, or as a bound. */
export const SelectMatchSchema = z.enum(["equals", "contains", "min", "max"]);

export const EffectSelectorSchema = z.strictObject({
  parameter: z.string().min(1).describe("the input parameter whose value selects records"),
  field: SnakeNameSchema.describe("the entity field it is compared with ('id' for the record's id)"),
  match: SelectMatchSchema.default("equals"),
});
export type EffectSelector = z.infer<typeof EffectSelectorSchema>;

export const EffectAssignmentSchema = z.strictObject({
  parameter: z.string().min(1).describe("the input parameter whose value is written"),
  field: SnakeNameSchema.describe("the entity field it sets"),
});
export type EffectAssignment = z.infer<typeof EffectAssignmentSchema>;

/** A state the selected record must be in for the call to succeed, e.g. an order is cancelled only while pending. */
export const EffectPreconditionSchema = z.strictObject({
  field: SnakeNameSchema,
  oneOf: z.array(JsonValueSchema).min(1).describe("allowed values of the field"),
  error: z.string().min(1).describe("the code of the declared error raised when the precondition does not hold"),
});
export type EffectPrecondition = z.infer<typeof EffectPreconditionSchema>;

export const EffectErrorWhenSchema = z.enum(["not_found", "precondition", "conflict", "invalid"]);

/** An error the tool can answer with, in the shape `{ error: code, message }`. */
export const EffectErrorSchema = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]*$/),
  message: z.string().min(1).describe("the message; {id} and {field} are filled in"),
  when: EffectErrorWhenSchema,
});
export type EffectError = z.infer<typeof EffectErrorSchema>;

/** A declared computation: over the selected records (count, sum) or over numeric arguments (a formula). */
export const EffectComputationSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("count") }),
  z.strictObject({ kind: z.literal("sum"), field: SnakeNameSchema }),
  z.strictObject({
    kind: z.literal("formula"),
    expression: z.string().min(1).describe("arithmetic over parameter names: + - * / ^, parentheses, numbers, pi, sqrt(), round(), min(), max(), abs()"),
    result: z.string().min(1).describe("the output field the value is returned in"),
  }),
]);
export type EffectComputation = z.infer<typeof EffectComputationSchema>;

export const ToolEffectSchema = z
  .strictObject({
    entity: SnakeNameSchema.optional().describe("the domain entity the tool works on (absent only for a formula over arguments)"),
    operation: EffectOperationSchema,
    select: z.array(EffectSelectorSchema).default([]),
    set: z.array(EffectAssignmentSchema).default([]),
    transition: z.strictObject({ field: SnakeNameSchema, to: JsonValueSchema }).optional().describe("for transition: the field and the value it moves to"),
    preconditions: z.array(EffectPreconditionSchema).default([]),
    errors: z.array(EffectErrorSchema).default([]),
    compute: EffectComputationSchema.optional(),
  })
  .refine((effect) => effect.entity !== undefined || (effect.operation === "compute" && effect.compute?.kind === "formula"), {
    message: "an effect names its entity unless it is a formula over arguments",
    path: ["entity"],
  })
  .refine((effect) => effect.operation !== "transition" || effect.transition !== undefined, { message: "a transition declares the field and the value it moves to", path: ["transition"] })
  .refine((effect) => effect.operation !== "compute" || effect.compute !== undefined, { message: "a compute effect declares its computation", path: ["compute"] });
export type ToolEffect = z.infer<typeof ToolEffectSchema>;

/**
 * What the tool audit exercises on a sample state: the effect fits the domain; a valid call succeeds, changes what a
 * write changes and fits the output schema; the same call gives the same answer; an unknown id is not found; a
 * violated precondition gives its declared error.
 */
export const ToolAuditCheckSchema = z.enum(["effect", "valid_call", "same_answer", "unknown_id", "precondition"]);
export type ToolAuditCheck = z.infer<typeof ToolAuditCheckSchema>;

export const ToolAuditSchema = z.object({
  passed: z.boolean().describe("false: the tool is excluded from agents"),
  checks: z.array(z.object({ check: ToolAuditCheckSchema, passed: z.boolean(), detail: z.string() })),
});
export type ToolAudit = z.infer<typeof ToolAuditSchema>;

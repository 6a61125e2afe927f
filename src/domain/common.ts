import { z } from "zod";

/** Version of the stored record shapes. Bumped when a stored shape changes incompatibly. */
export const SCHEMA_VERSION = 1 as const;

export const IdSchema = z.string().min(1).max(200);
/** A share from 0 to 1. */
export const RateSchema = z.number().min(0).max(1);
export const TimestampSchema = z.iso.datetime();

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValueSchema), z.record(z.string(), JsonValueSchema)]),
);
export const JsonObjectSchema = z.record(z.string(), JsonValueSchema);
export type JsonObject = z.infer<typeof JsonObjectSchema>;

/** A JSON Schema document (kept as data; validated with ajv where it is used). */
export const JsonSchemaSchema = z.record(z.string(), z.unknown());
export type JsonSchema = z.infer<typeof JsonSchemaSchema>;

export const ModelRoleSchema = z.enum(["generator", "agent", "userSimulator", "toolSimulator", "judge"]);
export type ModelRole = z.infer<typeof ModelRoleSchema>;

/** Which model answered, for provenance. `provider: "offline"` marks data made by the built-in engine. */
export const ModelRefSchema = z.object({ provider: z.string(), model: z.string() });
export type ModelRef = z.infer<typeof ModelRefSchema>;

/** Where a record came from: models per role, seed, the hashes of prompts sent to models, the source. */
export const ProvenanceSchema = z.object({
  source: z.string().describe("What made the record, e.g. 'generate:tasks', 'cli:create-task', 'import:openai-functions'"),
  models: z.partialRecord(ModelRoleSchema, ModelRefSchema).default({}),
  seed: z.number().int().optional(),
  promptHashes: z.array(z.string()).default([]),
  runId: z.string().optional(),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

/** Fields every stored record has. */
export const recordBase = {
  id: IdSchema,
  createdAt: TimestampSchema,
  schemaVersion: z.literal(SCHEMA_VERSION),
  provenance: ProvenanceSchema,
};

/** How many of each thing there are, by key (reason code, end reason, label, …). */
export const CountsSchema = z.record(z.string(), z.number().int().nonnegative());
export type Counts = z.infer<typeof CountsSchema>;

export const TokenUsageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
});
export type TokenUsage = z.infer<typeof TokenUsageSchema>;

/**
 * An object shape with one field per key, each with the same schema, in the keys' order: the fields of a
 * record keyed by an enum (`repeatField(FaultKindSchema.options, RateSchema)`), written once with the enum.
 */
export function repeatField<const Key extends string, Field extends z.ZodType>(keys: readonly Key[], field: Field): Record<Key, Field> {
  return Object.fromEntries(keys.map((key) => [key, field])) as Record<Key, Field>;
}

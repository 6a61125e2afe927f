import { z } from "zod";
import { IdSchema, JsonObjectSchema, JsonValueSchema, ModelRefSchema, TokenUsageSchema, recordBase } from "./common.js";
import { ChatMessageSchema } from "./message.js";

export const ExecutionSchema = z.enum(["real", "simulated", "recorded", "fallback"]);
export type Execution = z.infer<typeof ExecutionSchema>;

/** One change to the world state: set or delete the value at a path. */
export const StateOperationSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("set"), path: z.array(z.string()).min(1), value: JsonValueSchema }),
  z.object({ op: z.literal("delete"), path: z.array(z.string()).min(1) }),
]);
export type StateOperation = z.infer<typeof StateOperationSchema>;

export const FaultKindSchema = z.enum(["error", "timeout", "empty", "partial", "rate_limit"]);
export type FaultKind = z.infer<typeof FaultKindSchema>;

/** Who an episode's failure is blamed on, when it failed because of a fault. */
export const FaultAttributionSchema = z.enum(["agent", "user_simulator", "tool_simulator", "infrastructure"]);
export type FaultAttribution = z.infer<typeof FaultAttributionSchema>;

export const ToolStepSchema = z.object({
  toolCallId: z.string(),
  toolName: z.string(),
  toolId: IdSchema.optional(),
  execution: ExecutionSchema,
  outcome: z.enum(["ok", "invalid_call", "tool_error", "fault"]),
  error: z.string().optional().describe("why the call was invalid or failed"),
  fallbackReason: z.string().optional(),
  fault: FaultKindSchema.optional(),
  stateDiff: z.array(StateOperationSchema).default([]),
});
export type ToolStep = z.infer<typeof ToolStepSchema>;

export const ActorSchema = z.enum(["system", "user_simulator", "agent", "tool_executor"]);

/** Metadata of the message at the same index of `messages`. */
export const StepSchema = z.object({
  index: z.number().int().nonnegative(),
  actor: ActorSchema,
  model: ModelRefSchema.optional(),
  latencyMs: z.number().nonnegative().default(0),
  usage: TokenUsageSchema.optional(),
  tool: ToolStepSchema.optional(),
  labels: z.array(z.string()).default([]),
});
export type Step = z.infer<typeof StepSchema>;

export const EndReasonSchema = z.enum(["user_stop", "max_turns", "max_steps", "agent_final", "error", "cancelled"]);
export type EndReason = z.infer<typeof EndReasonSchema>;

export const EpisodeStatusSchema = z.enum(["completed", "failed", "cancelled"]);

export const EpisodeRecordSchema = z.object({
  ...recordBase,
  kind: z.literal("episode"),
  runId: IdSchema.optional(),
  taskId: IdSchema,
  agentId: IdSchema,
  index: z.number().int().nonnegative().describe("episode number within its task"),
  seed: z.number().int(),
  toolIds: z.array(IdSchema),
  messages: z.array(ChatMessageSchema),
  steps: z.array(StepSchema),
  worldState: z.object({ initial: JsonObjectSchema, final: JsonObjectSchema }),
  status: EpisodeStatusSchema,
  endReason: EndReasonSchema,
  error: z.string().optional(),
  labels: z.array(z.string()).default([]),
  faultAttribution: FaultAttributionSchema.optional().describe("who a failure is attributed to, when it is attributed"),
  usage: TokenUsageSchema,
});
export type EpisodeRecord = z.infer<typeof EpisodeRecordSchema>;

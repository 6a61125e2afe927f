import { z } from "zod";
import { IdSchema, JsonObjectSchema, JsonValueSchema, ModelRefSchema, RateSchema, TokenUsageSchema, recordBase, repeatField } from "./common.js";
import { ChatMessageSchema } from "./message.js";

/**
 * How a tool call was answered: `real` (a live MCP server), `environment` (a declared effect run on the world
 * state, no model asked), `simulated` (the LLM tool simulator), `recorded` (a replayed real answer), `fallback`
 * (the simulator after a live call failed).
 */
export const ExecutionSchema = z.enum(["real", "environment", "simulated", "recorded", "fallback"]);
export type Execution = z.infer<typeof ExecutionSchema>;

/** One change to the world state: set or delete the value at a path. */
export const StateOperationSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("set"), path: z.array(z.string()).min(1), value: JsonValueSchema }),
  z.object({ op: z.literal("delete"), path: z.array(z.string()).min(1) }),
]);
export type StateOperation = z.infer<typeof StateOperationSchema>;

/**
 * The kinds of injected fault. Their order is the order of the seeded draw (`simulate/faults.ts`): reordering
 * them changes which fault a seed gives.
 */
export const FaultKindSchema = z.enum(["error", "timeout", "empty", "partial", "rate_limit"]);
export type FaultKind = z.infer<typeof FaultKindSchema>;
/** Faults that stop the call before it runs: the world does not change. */
export const BlockingFaultSchema = FaultKindSchema.extract(["error", "timeout", "rate_limit"]);
export type BlockingFault = z.infer<typeof BlockingFaultSchema>;
/** Faults that let the call run and spoil its answer, as flaky real services do. */
export const DegradingFaultSchema = FaultKindSchema.exclude(BlockingFaultSchema.options);
export type DegradingFault = z.infer<typeof DegradingFaultSchema>;

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
  recordingId: IdSchema.optional().describe("the recording a real call was stored as, or a recorded answer was replayed from"),
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

/** The rate of each fault kind: the share of tool calls that get that fault instead of their normal answer. */
export const FaultRatesSchema = z.object(repeatField(FaultKindSchema.options, RateSchema));
export type FaultRates = z.infer<typeof FaultRatesSchema>;

/** The seeded fault plan of an episode: the rates it was drawn with and the faults it injected, by tool-call ordinal. */
export const FaultPlanSchema = z.object({
  rates: FaultRatesSchema,
  injected: z.array(z.object({ call: z.number().int().nonnegative().describe("tool-call ordinal within the episode"), toolCallId: z.string(), toolName: z.string(), kind: FaultKindSchema })),
});
export type FaultPlan = z.infer<typeof FaultPlanSchema>;

/** A tool result shortened in the agent's context to keep the episode within its token budget (the stored message stays whole). */
export const ContextCutSchema = z.object({
  messageIndex: z.number().int().nonnegative().describe("the tool message that was shortened"),
  atMessage: z.number().int().nonnegative().describe("the episode length when the cut was made"),
  originalTokens: z.number().int().nonnegative(),
  keptTokens: z.number().int().nonnegative(),
});
export type ContextCut = z.infer<typeof ContextCutSchema>;

export const EndReasonSchema = z.enum(["user_stop", "max_turns", "max_steps", "agent_final", "error", "cancelled"]);
export type EndReason = z.infer<typeof EndReasonSchema>;

export const EpisodeStatusSchema = z.enum(["completed", "failed", "cancelled"]);

/** A difference between the world state an episode left and the one its task's blueprint says it should leave. */
export const StateDifferenceSchema = z.object({
  path: z.array(z.string()).describe("where in the world state, e.g. [entities, order, ORD-1, status]"),
  expected: JsonValueSchema.optional().describe("absent: the blueprint has nothing there"),
  actual: JsonValueSchema.optional().describe("absent: the episode left nothing there"),
});
export type StateDifference = z.infer<typeof StateDifferenceSchema>;

/**
 * The episode checked against its task's blueprint: the final world state against the blueprint's on the records
 * the blueprint touches (and everything else unchanged), and the final answer against the answer facts. Not
 * applicable when the episode's tools cannot be verified (free-form tools, real servers without state) or the
 * task has no blueprint.
 */
export const VerificationSchema = z.object({
  applicable: z.boolean(),
  reason: z.string().optional().describe("why it is not applicable"),
  stateMatches: z.boolean().optional(),
  missingFacts: z.array(z.string()).default([]).describe("answer facts the final answer does not state"),
  diff: z.array(StateDifferenceSchema).default([]),
});
export type Verification = z.infer<typeof VerificationSchema>;

/**
 * An episode's verification in one word: `matched` (the blueprint's state and facts), `failed`, `not_applicable`,
 * or `unverified` (recorded without a verification).
 */
export const VerificationOutcomeSchema = z.enum(["matched", "failed", "not_applicable", "unverified"]);
export type VerificationOutcome = z.infer<typeof VerificationOutcomeSchema>;

export function classifyVerification(verification: Verification | undefined): VerificationOutcome {
  if (!verification) return "unverified";
  if (!verification.applicable) return "not_applicable";
  return verification.stateMatches === true && verification.missingFacts.length === 0 ? "matched" : "failed";
}

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
  faultPlan: FaultPlanSchema.optional(),
  contextCuts: z.array(ContextCutSchema).default([]),
  verification: VerificationSchema.optional(),
  usage: TokenUsageSchema,
});
export type EpisodeRecord = z.infer<typeof EpisodeRecordSchema>;

import { z } from "zod";
import { JsonObjectSchema, JsonValueSchema } from "../domain/common.js";
import type { JsonObject, JsonValue } from "../domain/common.js";
import type { Verification } from "../domain/episode.js";
import { DomainSpecSchema, type DomainSpec } from "../domain/domain.js";
import { VerdictSchema, type CheckResult } from "../domain/judgment.js";
import type { ChatMessage } from "../domain/message.js";
import { StateOperationSchema, type FaultKind } from "../domain/episode.js";
import { RubricSchema } from "../domain/rubric.js";
import { AgentBehaviorSchema } from "../domain/agent.js";
import { BlueprintDraftSchema, DifficultySchema, HiddenFactSchema, PersonaSchema, TaskShapeSchema, type HiddenFact, type Persona, type TaskShape } from "../domain/task.js";
import { ToolEffectSchema } from "../domain/effect.js";
import { ToolAnnotationsSchema, ToolNameSchema, type ToolSpec, type ToolWithEffect } from "../domain/tool.js";
import { JsonSchemaSchema } from "../domain/common.js";

/*
 * For each purpose: the structured context a stage sends with its prompt, and the zod schema of the
 * structured answer it expects back. These are the contracts between stages and any model.
 */

export interface DomainEvolutionContext {
  purpose: "domain-evolution";
  seedDomains: DomainSpec[];
  /** How many new domains to evolve from the seeds. */
  count: number;
}
export const DomainEvolutionOutputSchema = z.object({ domains: z.array(DomainSpecSchema).min(1) });
export type DomainEvolutionOutput = z.infer<typeof DomainEvolutionOutputSchema>;

export interface ToolSynthesisContext {
  purpose: "tool-synthesis";
  domain: DomainSpec;
  count: number;
  existingToolNames: string[];
}
export const SynthesizedToolSchema = z.object({
  name: ToolNameSchema,
  description: z.string().min(10),
  inputSchema: JsonSchemaSchema,
  outputSchema: JsonSchemaSchema,
  annotations: ToolAnnotationsSchema,
  effect: ToolEffectSchema.optional().describe("the tool's declared effect on the domain's entities"),
});
export const ToolSynthesisOutputSchema = z.object({ tools: z.array(SynthesizedToolSchema).min(1) });
export type ToolSynthesisOutput = z.infer<typeof ToolSynthesisOutputSchema>;

export interface AgentGenerationContext {
  purpose: "agent-generation";
  /** The agent's main domain. */
  domain: DomainSpec;
  /** Related domains (same category) the agent also serves. */
  relatedDomains?: DomainSpec[];
  tools: ToolWithEffect[];
}
export const AgentGenerationOutputSchema = z.object({
  name: z.string().min(1),
  systemPrompt: z.string().min(40).describe("the prompt without the rules (they are appended as a numbered list)"),
  rules: z.array(z.string().min(1)).default([]).describe("5–10 business rules of the domains: eligibility, limits, identity checks, hand-over"),
  behavior: AgentBehaviorSchema,
});
export type AgentGenerationOutput = z.infer<typeof AgentGenerationOutputSchema>;

export interface TaskGenerationContext {
  purpose: "task-generation";
  domain: DomainSpec;
  /** Related domains the agent also serves. */
  relatedDomains?: DomainSpec[];
  /** The agent's system prompt states its rules too. */
  agent: { name: string; systemPrompt: string };
  tools: ToolWithEffect[];
  count: number;
  /** The shape of each task to write, in order (a shape the toolset cannot support is replaced and the task says which it is). */
  shapes?: TaskShape[];
  /** Goals already written for this agent, to avoid repeats. */
  existingGoals: string[];
  /** What the agent's live (real) tools answered when called, so tasks can name things that exist. */
  liveExamples?: ToolCallRecord[];
  /** Tasks written before that the gate refused, with why: write others that avoid these problems. */
  rejected?: Array<{ goal: string; problems: string[] }>;
}
export const TaskDraftSchema = z.object({
  goal: z.string().min(10),
  scenario: z.string().min(20).optional(),
  shape: TaskShapeSchema.optional(),
  blueprint: BlueprintDraftSchema.optional(),
  persona: PersonaSchema,
  hiddenFacts: z.array(HiddenFactSchema),
  initialState: JsonObjectSchema,
  rubric: RubricSchema,
  difficulty: DifficultySchema,
  expectedTools: z.array(z.string()),
});
export type TaskDraft = z.infer<typeof TaskDraftSchema>;
export const TaskGenerationOutputSchema = z.object({ tasks: z.array(TaskDraftSchema).min(1) });
export type TaskGenerationOutput = z.infer<typeof TaskGenerationOutputSchema>;

/** A turn of the conversation as the simulated user sees it. */
export interface ConversationTurn {
  speaker: "user" | "agent";
  text: string;
}

export interface UserTurnContext {
  purpose: "user-turn";
  /** What the user is told, in the second person: why they contact, what they know and don't, how to react. */
  scenario: string;
  persona: Persona;
  hiddenFacts: HiddenFact[];
  conversation: ConversationTurn[];
  turn: number;
  maxTurns: number;
  /**
   * The reply sampled before for this turn stopped right after the assistant asked for confirmation of an
   * action it has not carried out yet, and was rejected: answer the question (confirm or decline) instead.
   */
  stopRejected?: boolean;
}
export const UserTurnOutputSchema = z.object({
  message: z.string().describe("what the user says next; empty only when stopping"),
  stop: z.boolean().describe("true only when the goal is met or clearly impossible"),
});
export type UserTurnOutput = z.infer<typeof UserTurnOutputSchema>;

export interface ToolCallRecord {
  tool: string;
  arguments: JsonValue;
  result: JsonValue;
}

export interface ToolSimulationContext {
  purpose: "tool-simulation";
  tool: ToolSpec;
  arguments: JsonObject;
  state: JsonObject;
  history: ToolCallRecord[];
  /** Recorded real calls of the same tool (few-shot examples), when there are any. */
  examples?: ToolCallRecord[];
  /** The domain the tool belongs to, with its entities. */
  domain?: DomainSpec;
  /** What was wrong with the previous answer to this call, when it was rejected. */
  feedback?: string[];
}
export const ToolSimulationOutputSchema = z.object({
  result: JsonValueSchema.describe("the tool's response; an object with an 'error' field when the call fails"),
  isError: z.boolean(),
  stateUpdate: z.array(StateOperationSchema),
});
export type ToolSimulationOutput = z.infer<typeof ToolSimulationOutputSchema>;

/** A fault the tool simulator injected on purpose (declared, seeded): the judge must not blame the agent for it. */
export interface InjectedFault {
  toolCallId: string;
  toolName: string;
  fault: FaultKind;
}

export interface JudgeContext {
  purpose: "judge";
  goal: string;
  hiddenFacts: HiddenFact[];
  criteria: Array<{ id: string; description: string }>;
  transcript: ChatMessage[];
  /** The deterministic checks' outcomes: format checks and the default rules, each with its reason code and detail. */
  checks: CheckResult[];
  endReason: string;
  /** Faults injected into the episode's tool results, if any. */
  faults?: InjectedFault[];
  /** The tools the assistant had: name, description, parameters. */
  tools?: Array<{ name: string; description: string; parameters: Record<string, unknown> }>;
  /** How the tool calls changed the world state (path and new value, or deleted). */
  stateChanges?: Array<{ path: string; change: string }>;
  /** The episode checked against its task's blueprint, when there is one. */
  verification?: Verification;
}

/** The levels a criterion is scored on; the judge's prompt defines each. */
export const JUDGE_SCORE_LEVELS = [0, 0.5, 1] as const;

export const JudgeOutputSchema = z.object({
  claims: z
    .array(
      z.object({
        claim: z.string().describe("one thing the final answer states (an id, a number, a name, a date, an action done)"),
        evidence: z.string().describe("the numbered transcript line that supports or contradicts it, or 'none'"),
        supported: z.boolean(),
      }),
    )
    .default([])
    .describe("every claim of the final answer, checked against the tool outputs"),
  criteria: z.array(
    z.object({
      id: z.string(),
      rationale: z.string().min(1).describe("first: the evidence, citing numbered transcript lines"),
      score: z.number().min(0).max(1).describe("then: 0 (not met), 0.5 (partly met) or 1 (fully met)"),
    }),
  ),
  verdict: VerdictSchema,
  summary: z.string(),
});
export type JudgeOutput = z.infer<typeof JudgeOutputSchema>;

export type RequestContext =
  | DomainEvolutionContext
  | ToolSynthesisContext
  | AgentGenerationContext
  | TaskGenerationContext
  | UserTurnContext
  | ToolSimulationContext
  | JudgeContext;

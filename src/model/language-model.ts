import type { JsonSchema, ModelRef, TokenUsage } from "../domain/common.js";
import type { ModelFailureKind } from "../domain/model-usage.js";
import type { ChatMessage, ToolCall } from "../domain/message.js";
import type { FunctionTool } from "../domain/tool.js";
import type { RequestContext } from "./request-context.js";

/** What a request is for; usage and caching are accounted per purpose. */
export type ModelPurpose =
  | "domain-evolution"
  | "tool-synthesis"
  | "agent-generation"
  | "task-generation"
  | "user-turn"
  | "agent-turn"
  | "tool-simulation"
  | "judge";

export interface ResponseFormat {
  type: "json_schema";
  name: string;
  schema: JsonSchema;
}

export interface ModelRequest {
  purpose: ModelPurpose;
  messages: ChatMessage[];
  tools?: FunctionTool[];
  toolChoice?: "auto" | "none" | "required";
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  temperature?: number;
  seed?: number;
  maxOutputTokens?: number;
  signal?: AbortSignal;
  /**
   * The structured inputs the prompt in `messages` was rendered from. Every stage sends it for its
   * purpose; remote providers ignore it (the prompt says the same in words), the offline engine reads it.
   */
  context?: RequestContext;
}

export type FinishReason = "stop" | "tool_calls" | "length" | "content_filter" | "other";

export interface ModelResponse {
  content: string | null;
  toolCalls: ToolCall[];
  reasoning?: string;
  finishReason: FinishReason;
  usage: TokenUsage;
  model: ModelRef;
  latencyMs: number;
}

/** The one seam between agentsynth and any LLM backend. */
export interface LanguageModel {
  readonly ref: ModelRef;
  /**
   * Answer one request. Throws ModelRequestError (item-level: failed after its retries), ModelUnavailableError
   * (systemic), BudgetReachedError (a cap is reached) or CancelledError.
   */
  generate(request: ModelRequest): Promise<ModelResponse>;
  /** Count an answer the helpers rejected (invalid or truncated), where the model set keeps the figures. */
  recordFailure?(purpose: ModelPurpose, kind: ModelFailureKind): void;
}

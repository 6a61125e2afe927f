import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import type { JsonObject } from "../../../domain/common.js";
import type { StructuredOutput, TokenParameter } from "../../../domain/config.js";
import type { ChatMessage } from "../../../domain/message.js";
import type { FunctionTool } from "../../../domain/tool.js";
import type { ModelRequest, ResponseFormat } from "../../language-model.js";
import type { ToolNameMap } from "./tool-names.js";

/** What a provider sends unless the request says otherwise, and how its endpoint wants things said. */
export interface RequestDefaults {
  model: string;
  /** undefined: not sent. */
  temperature?: number | undefined;
  /** Request temperatures are clamped into it (Kimi takes at most 1). */
  temperatureRange?: { min: number; max: number } | undefined;
  maxOutputTokens?: number | undefined;
  /** Default max_tokens (every compatible server takes it). */
  tokenParameter?: TokenParameter | undefined;
  /** Merged over the body last. */
  extraBody?: JsonObject | undefined;
  /** Send `reasoning_content` (empty when there was none) on every assistant turn with tool calls (Moonshot, DeepSeek thinking). */
  reasoningOnToolCalls?: boolean | undefined;
}

/** Per request: JSON mode instead of a JSON Schema response format, and the tool names as the endpoint sees them. */
export interface RequestShape {
  structuredOutput: StructuredOutput;
  toolNames?: ToolNameMap | undefined;
}

type Params = ChatCompletionCreateParamsNonStreaming & Record<string, unknown>;

/** The chat-completions body for a request: only the fields that are set, so strict servers see nothing odd. */
export function toChatCompletionParams(request: ModelRequest, defaults: RequestDefaults, shape: RequestShape = { structuredOutput: "json_schema" }): Params {
  const names = shape.toolNames;
  const jsonMode = request.responseFormat !== undefined && shape.structuredOutput === "json_object";
  const messages = request.messages.map((message) => toMessageParam(message, names, defaults.reasoningOnToolCalls === true));
  const params: Params = {
    model: defaults.model,
    messages: jsonMode && request.responseFormat ? withSchemaInstruction(messages, request.responseFormat) : messages,
  };
  const tools = request.tools ?? [];
  // tool_choice and parallel_tool_calls are rejected by OpenAI when no tools are sent.
  if (tools.length > 0) {
    params.tools = tools.map((tool) => toToolParam(tool, names));
    if (request.toolChoice !== undefined) params.tool_choice = request.toolChoice;
    if (request.parallelToolCalls !== undefined) params.parallel_tool_calls = request.parallelToolCalls;
  }
  if (request.responseFormat) params.response_format = jsonMode ? { type: "json_object" } : toResponseFormat(request.responseFormat);
  const temperature = request.temperature ?? defaults.temperature;
  if (temperature !== undefined) params.temperature = clampTemperature(temperature, defaults.temperatureRange);
  if (request.seed !== undefined) params.seed = request.seed;
  const maxTokens = request.maxOutputTokens ?? defaults.maxOutputTokens;
  if (maxTokens !== undefined) params[defaults.tokenParameter ?? "max_tokens"] = maxTokens;
  return defaults.extraBody ? Object.assign(params, defaults.extraBody) : params;
}

/** The output-token limit a body asks for, and a copy that asks for `limit` instead. */
export function outputLimitOf(params: Params): number | undefined {
  const value = params.max_completion_tokens ?? params.max_tokens;
  return typeof value === "number" ? value : undefined;
}

export function withOutputLimit(params: Params, limit: number): Params {
  const key = params.max_completion_tokens !== undefined ? "max_completion_tokens" : "max_tokens";
  return { ...params, [key]: limit };
}

/** The same body in JSON mode: the schema goes into the prompt (for endpoints that refuse json_schema). */
export function toJsonObjectParams(params: Params, format: ResponseFormat): Params {
  return { ...params, response_format: { type: "json_object" }, messages: withSchemaInstruction(params.messages, format) };
}

function clampTemperature(value: number, range: { min: number; max: number } | undefined): number {
  return range ? Math.min(range.max, Math.max(range.min, value)) : value;
}

const instructionCache = new WeakMap<ResponseFormat, string>();

/** The response format's schema in words, appended to the first system message (or as one of its own). */
function withSchemaInstruction(messages: ChatCompletionMessageParam[], format: ResponseFormat): ChatCompletionMessageParam[] {
  let instruction = instructionCache.get(format);
  if (instruction === undefined) {
    instruction = `Answer with one JSON object (no prose, no code fences) that matches this JSON Schema (${format.name}):\n${JSON.stringify(format.schema)}`;
    instructionCache.set(format, instruction);
  }
  const first = messages[0];
  if (first?.role === "system" && typeof first.content === "string") {
    return [{ role: "system", content: `${first.content}\n\n${instruction}` }, ...messages.slice(1)];
  }
  return [{ role: "system", content: instruction }, ...messages];
}

/** An assistant message that carries the provider's reasoning back (Kimi and DeepSeek thinking modes require it). */
type AssistantMessageParam = ChatCompletionAssistantMessageParam & { reasoning_content?: string };

/** Copies only the protocol fields, so that nothing else a message object may carry leaks into the request. */
export function toMessageParam(message: ChatMessage, names?: ToolNameMap, reasoningOnToolCalls = false): ChatCompletionMessageParam {
  switch (message.role) {
    case "system":
      return { role: "system", content: message.content };
    case "user":
      return { role: "user", content: message.content };
    case "tool":
      return { role: "tool", tool_call_id: message.tool_call_id, content: message.content };
    case "assistant":
      return toAssistantParam(message, names, reasoningOnToolCalls);
  }
}

function toAssistantParam(message: Extract<ChatMessage, { role: "assistant" }>, names: ToolNameMap | undefined, reasoningOnToolCalls: boolean): AssistantMessageParam {
  const calls = message.tool_calls;
  // Moonshot answers 400 "text content is empty" for an empty content next to tool calls.
  const param: AssistantMessageParam = { role: "assistant", content: calls?.length && message.content === "" ? null : message.content };
  if (calls?.length) {
    param.tool_calls = calls.map((call) => ({
      id: call.id,
      type: "function",
      function: { name: names ? names.toEndpoint(call.function.name) : call.function.name, arguments: call.function.arguments },
    }));
  }
  // Moonshot/Kimi and DeepSeek thinking modes answer 400 when a tool-call turn's reasoning is dropped, even an
  // empty one; other endpoints see the field only on messages a reasoning provider produced.
  if (message.reasoning_content !== undefined) param.reasoning_content = message.reasoning_content;
  else if (reasoningOnToolCalls && calls?.length) param.reasoning_content = "";
  return param;
}

function toToolParam(tool: FunctionTool, names: ToolNameMap | undefined): ChatCompletionFunctionTool {
  const { name, description, parameters } = tool.function;
  return { type: "function", function: { name: names ? names.toEndpoint(name) : name, description, parameters } };
}

const formatCache = new WeakMap<ResponseFormat, Params["response_format"]>();

function toResponseFormat(format: ResponseFormat): Params["response_format"] {
  let cached = formatCache.get(format);
  if (cached === undefined) {
    // strict:false: OpenAI's strict mode rejects many ordinary schemas (optional fields, open objects);
    // the answer is validated with zod afterwards anyway.
    cached = { type: "json_schema", json_schema: { name: toSchemaName(format.name), schema: format.schema, strict: false } };
    formatCache.set(format, cached);
  }
  return cached;
}

/** OpenAI requires ^[a-zA-Z0-9_-]{1,64}$ for the schema name. */
function toSchemaName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64) || "response";
}

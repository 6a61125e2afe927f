import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import type { ResponseFormatJSONSchema } from "openai/resources/shared";
import type { ChatMessage } from "../../../domain/message.js";
import type { FunctionTool } from "../../../domain/tool.js";
import type { ModelRequest, ResponseFormat } from "../../language-model.js";

export interface RequestDefaults {
  model: string;
  temperature?: number | undefined;
  maxOutputTokens?: number | undefined;
}

/** The chat-completions body for a request: only the fields that are set, so strict servers see nothing odd. */
export function toChatCompletionParams(request: ModelRequest, defaults: RequestDefaults): ChatCompletionCreateParamsNonStreaming {
  const params: ChatCompletionCreateParamsNonStreaming = {
    model: defaults.model,
    messages: request.messages.map(toMessageParam),
  };
  const tools = request.tools ?? [];
  // tool_choice and parallel_tool_calls are rejected by OpenAI when no tools are sent.
  if (tools.length > 0) {
    params.tools = tools.map(toToolParam);
    if (request.toolChoice !== undefined) params.tool_choice = request.toolChoice;
    if (request.parallelToolCalls !== undefined) params.parallel_tool_calls = request.parallelToolCalls;
  }
  if (request.responseFormat) params.response_format = toResponseFormat(request.responseFormat);
  const temperature = request.temperature ?? defaults.temperature;
  if (temperature !== undefined) params.temperature = temperature;
  if (request.seed !== undefined) params.seed = request.seed;
  // max_tokens rather than max_completion_tokens: vLLM, Ollama, SGLang and Moonshot all accept it.
  const maxTokens = request.maxOutputTokens ?? defaults.maxOutputTokens;
  if (maxTokens !== undefined) params.max_tokens = maxTokens;
  return params;
}

/** An assistant message that carries the provider's reasoning back (Kimi and DeepSeek thinking modes require it). */
type AssistantMessageParam = ChatCompletionAssistantMessageParam & { reasoning_content?: string };

/** Copies only the protocol fields, so that nothing else a message object may carry leaks into the request. */
export function toMessageParam(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case "system":
      return { role: "system", content: message.content };
    case "user":
      return { role: "user", content: message.content };
    case "tool":
      return { role: "tool", tool_call_id: message.tool_call_id, content: message.content };
    case "assistant":
      return toAssistantParam(message);
  }
}

function toAssistantParam(message: Extract<ChatMessage, { role: "assistant" }>): AssistantMessageParam {
  const param: AssistantMessageParam = { role: "assistant", content: message.content };
  if (message.tool_calls?.length) {
    param.tool_calls = message.tool_calls.map((call) => ({
      id: call.id,
      type: "function",
      function: { name: call.function.name, arguments: call.function.arguments },
    }));
  }
  // Moonshot/Kimi and DeepSeek thinking modes answer 400 when a tool-call turn's reasoning is dropped;
  // it is only present when such a provider produced it, so other endpoints never see the field.
  if (message.reasoning_content !== undefined) param.reasoning_content = message.reasoning_content;
  return param;
}

function toToolParam(tool: FunctionTool): ChatCompletionFunctionTool {
  const { name, description, parameters } = tool.function;
  return { type: "function", function: { name, description, parameters } };
}

function toResponseFormat(format: ResponseFormat): ResponseFormatJSONSchema {
  // strict:false: OpenAI's strict mode rejects many ordinary schemas (optional fields, open objects);
  // the answer is validated with zod afterwards anyway.
  return { type: "json_schema", json_schema: { name: toSchemaName(format.name), schema: format.schema, strict: false } };
}

/** OpenAI requires ^[a-zA-Z0-9_-]{1,64}$ for the schema name. */
function toSchemaName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64) || "response";
}

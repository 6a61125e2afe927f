import type { ModelRef } from "../../src/domain/common.js";
import type { ToolCall } from "../../src/domain/message.js";
import type { LanguageModel, ModelRequest, ModelResponse } from "../../src/model/language-model.js";

export type ScriptedReply =
  | { content?: string | null; toolCalls?: Array<{ id?: string; name: string; arguments: string }>; reasoning?: string }
  | Error;

export interface ScriptedModel extends LanguageModel {
  readonly requests: ModelRequest[];
}

/**
 * The model seam for tests: answers come from `script`, called with each request and its number. Objects
 * given as `content` are sent as JSON text, the way a real structured-output answer arrives.
 */
export function createScriptedModel(
  script: (request: ModelRequest, index: number) => ScriptedReply | Record<string, unknown> | Promise<ScriptedReply | Record<string, unknown>>,
  ref: ModelRef = { provider: "scripted", model: "scripted-test-model" },
): ScriptedModel {
  const requests: ModelRequest[] = [];
  let callCounter = 0;
  return {
    ref,
    requests,
    async generate(request) {
      const index = requests.push(request) - 1;
      const reply = await script(request, index);
      if (reply instanceof Error) throw reply;
      const normalized = isReply(reply) ? reply : { content: JSON.stringify(reply) };
      const toolCalls: ToolCall[] = (normalized.toolCalls ?? []).map((call) => ({
        id: call.id ?? `call_scripted_${++callCounter}`,
        type: "function",
        function: { name: call.name, arguments: call.arguments },
      }));
      const response: ModelResponse = {
        content: normalized.content ?? null,
        toolCalls,
        finishReason: toolCalls.length ? "tool_calls" : "stop",
        usage: { inputTokens: 10, outputTokens: 5 },
        model: ref,
        latencyMs: 0,
      };
      if (normalized.reasoning) response.reasoning = normalized.reasoning;
      return response;
    },
  };
}

function isReply(value: object): value is Exclude<ScriptedReply, Error> {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key === "content" || key === "toolCalls" || key === "reasoning");
}

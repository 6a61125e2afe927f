import type { FakeOpenAIRequest, FakeReply } from "./fake-openai-server.js";

/**
 * A fake endpoint's answers for the remote roles of a pipeline run (agent, user simulator, tool simulator,
 * judge), told apart by what the request asks for, read only from what a real model is sent. Cheap, so that a
 * benchmark measures the client. Usage is reported as about four characters a token, as a real endpoint would
 * count it, so that token figures follow the conversation's length.
 *
 * - user simulator (`user_turn`): a request, then stops after `agentTurns` answers of the assistant;
 * - agent (tools, no response format): calls its first tool with its required arguments filled in, then
 *   answers in text once the tool answered;
 * - tool simulator (`tool_result`): a not-found error result;
 * - judge (`judgment`): every criterion listed in the prompt passes.
 */
export function answerPipelineRequest(request: FakeOpenAIRequest, options: { agentTurns?: number } = {}): FakeReply {
  const body = request.body as { messages: Array<{ role: string; content: string | null }>; tools?: Array<{ function: { name: string; parameters?: Record<string, unknown> } }>; response_format?: { json_schema?: { name?: string } } };
  const reply = (content: string | null, toolCalls?: Array<{ name: string; arguments: string }>): FakeReply => ({
    kind: "message",
    content,
    ...(toolCalls ? { toolCalls } : {}),
    usage: { prompt_tokens: Math.ceil(promptLength(body.messages) / 4), completion_tokens: Math.ceil(((content ?? "").length + JSON.stringify(toolCalls ?? []).length) / 4) },
  });
  const format = body.response_format?.json_schema?.name;
  const last = body.messages.at(-1);
  if (format === "user_turn") {
    const agentTurns = (last?.content ?? "").split("\nAssistant:").length - 1 + ((last?.content ?? "").startsWith("Assistant:") ? 1 : 0);
    return reply(JSON.stringify(agentTurns >= (options.agentTurns ?? 2) ? { message: "", stop: true } : { message: "Please go ahead with my request; my reference is in the order I mentioned.", stop: false }));
  }
  if (format === "tool_result") return reply(JSON.stringify({ result: { error: "not_found", message: "No record with that id." }, isError: true, stateUpdate: [] }));
  if (format === "judgment") {
    const criteria = [...(last?.content ?? "").matchAll(/^- ([^:\n]+): /gm)].map((match) => match[1] as string);
    return reply(JSON.stringify({ criteria: criteria.map((id) => ({ id, score: 1, rationale: "The transcript shows it." })), verdict: "pass", summary: "The assistant did what was asked." }));
  }
  const tool = body.tools?.[0];
  if (tool && last?.role === "user") return reply(null, [{ name: tool.function.name, arguments: JSON.stringify(requiredArguments(tool.function.parameters)) }]);
  return reply("I looked that up: there is no record with that reference. Could you check the number?");
}

function promptLength(messages: Array<{ content: string | null }>): number {
  let length = 0;
  for (const message of messages) length += message.content?.length ?? 0;
  return length;
}

/** A value for each required property, by its type. */
function requiredArguments(parameters: Record<string, unknown> | undefined): Record<string, unknown> {
  const properties = (parameters?.properties ?? {}) as Record<string, { type?: unknown }>;
  const required = Array.isArray(parameters?.required) ? (parameters.required as string[]) : [];
  const values: Record<string, unknown> = {};
  for (const name of required) {
    const type = properties[name]?.type;
    values[name] = type === "integer" || type === "number" ? 1 : type === "boolean" ? true : type === "array" ? [] : type === "object" ? {} : "A-1001";
  }
  return values;
}

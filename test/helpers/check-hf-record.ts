import { checkOpenAIRecord } from "./check-openai-record.js";

/**
 * An independent check of one exported Hugging Face chat row (`messages` + `tools` columns): every message
 * has string content, tool-call arguments are plain objects (not JSON strings), every tool message names the tool
 * its call called, and — with the arguments
 * turned back into strings — everything the OpenAI check demands (declared tools, portable names,
 * schema-valid arguments, unique ids, every call answered, ends with an answer). Returns the problems found.
 */
export function checkHfRecord(record: unknown): string[] {
  if (!isObject(record)) return ["record is not an object"];
  const problems: string[] = [];
  const keys = Object.keys(record).sort();
  if (keys.join(",") !== "messages,tools") problems.push(`columns are ${keys.join(", ")}, expected messages and tools`);
  if (!Array.isArray(record.messages)) return [...problems, "messages is not a list"];
  const callNames = new Map<unknown, unknown>();
  const asOpenAI = record.messages.map((message, index) => {
    if (!isObject(message)) return message;
    if (typeof message.content !== "string") problems.push(`message ${index} (${String(message.role)}): content is not a string`);
    if (message.role === "tool") {
      const called = callNames.get(message.tool_call_id);
      if (message.name !== called) problems.push(`message ${index} (tool): name is ${JSON.stringify(message.name)}, the call ${String(message.tool_call_id)} was to ${String(called)}`);
      const { name: _name, ...rest } = message;
      return rest;
    }
    if (message.role === "assistant" && Array.isArray(message.tool_calls)) for (const call of message.tool_calls) if (isObject(call) && isObject(call.function)) callNames.set(call.id, call.function.name);
    if (message.role !== "assistant" || !Array.isArray(message.tool_calls)) return message;
    return {
      ...message,
      tool_calls: message.tool_calls.map((call) => {
        const fn = isObject(call) && isObject(call.function) ? call.function : undefined;
        if (!fn || !isObject(fn.arguments)) {
          problems.push(`message ${index}: the arguments of ${String(fn?.name)} are not an object`);
          return call;
        }
        return { ...call, function: { ...fn, arguments: JSON.stringify(fn.arguments) } };
      }),
    };
  });
  return [...problems, ...checkOpenAIRecord({ messages: asOpenAI, tools: record.tools })];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

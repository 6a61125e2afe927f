import type { ExportFormat } from "../domain/config.js";
import { OBSERVATION_SEPARATOR, type ShareGptTurn } from "./sharegpt-format.js";
import { isObject } from "../support/is-object.js";

/** What a chat template renders: `messages` and `tools` as `apply_chat_template` passes them. */
export interface TemplateInput {
  messages: unknown[];
  tools: unknown[];
}

const THOUGHT = /^<think>\n([\s\S]*?)\n<\/think>\n\n/;

/**
 * A written record as chat-template input. OpenAI and HF records are that already; a ShareGPT record is
 * read back the way LLaMA-Factory reads it: `function_call` → an assistant message with tool calls (ids
 * `call_{n}`), `observation` → one tool message per call, `<think>` → `reasoning_content`.
 */
export function toTemplateInput(format: ExportFormat, record: unknown): TemplateInput {
  if (!isObject(record)) throw new Error("the record is not a JSON object");
  if (format !== "sharegpt") return { messages: asArray(record.messages, "messages"), tools: asArray(record.tools, "tools") };
  const tools = typeof record.tools === "string" && record.tools !== "" ? asArray(JSON.parse(record.tools), "tools") : [];
  return { messages: readShareGptTurns(asArray(record.conversations, "conversations") as ShareGptTurn[]), tools: tools.map((tool) => ({ type: "function", function: tool })) };
}

function readShareGptTurns(turns: readonly ShareGptTurn[]): unknown[] {
  const messages: unknown[] = [];
  let openCalls: string[] = [];
  let callNumber = 0;
  for (const turn of turns) {
    const thought = THOUGHT.exec(turn.value);
    const value = thought ? turn.value.slice(thought[0].length) : turn.value;
    const reasoning = thought ? { reasoning_content: thought[1] } : {};
    switch (turn.from) {
      case "system":
        messages.push({ role: "system", content: value });
        break;
      case "human":
        messages.push({ role: "user", content: value });
        break;
      case "gpt":
        messages.push({ role: "assistant", content: value, ...reasoning });
        break;
      case "function_call": {
        const parsed: unknown = JSON.parse(value);
        const calls = (Array.isArray(parsed) ? parsed : [parsed]) as Array<{ name: string; arguments: unknown }>;
        openCalls = calls.map(() => `call_${callNumber++}`);
        messages.push({ role: "assistant", content: "", tool_calls: calls.map((call, index) => ({ id: openCalls[index], type: "function", function: { name: call.name, arguments: call.arguments } })), ...reasoning });
        break;
      }
      case "observation": {
        const results = openCalls.length > 1 ? value.split(OBSERVATION_SEPARATOR) : [value];
        results.forEach((content, index) => messages.push({ role: "tool", tool_call_id: openCalls[index] ?? `call_${callNumber++}`, content }));
        openCalls = [];
        break;
      }
    }
  }
  return messages;
}

function asArray(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`the record's ${field} is not a list`);
  return value;
}

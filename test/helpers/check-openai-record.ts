import { Ajv } from "ajv";

/**
 * An independent check of one exported OpenAI chat record (written apart from src/, so it can catch the
 * exporter's mistakes): declared tools only, portable names, schema-valid arguments, unique call ids,
 * every call answered before the next turn, ends with an assistant answer. Returns the problems found.
 */
export function checkOpenAIRecord(record: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(record)) return ["record is not an object"];
  const { messages, tools } = record;
  if (!Array.isArray(messages) || messages.length === 0) return ["messages is missing or empty"];
  if (!Array.isArray(tools)) return ["tools is missing"];
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  const declared = new Map<string, (value: unknown) => boolean>();
  for (const tool of tools) {
    const fn = isObject(tool) && tool.type === "function" && isObject(tool.function) ? tool.function : undefined;
    if (!fn || typeof fn.name !== "string") {
      problems.push("a tool is not {type:'function', function:{name,…}}");
      continue;
    }
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(fn.name)) problems.push(`tool name "${fn.name}" is not portable`);
    if (declared.has(fn.name)) problems.push(`tool "${fn.name}" is declared twice`);
    const { $schema: _ignored, ...parameters } = (fn.parameters ?? {}) as Record<string, unknown>;
    declared.set(fn.name, ajv.compile(parameters) as (value: unknown) => boolean);
  }
  const callIds = new Set<string>();
  let pending = new Set<string>();
  messages.forEach((message, index) => {
    if (!isObject(message)) return problems.push(`message ${index} is not an object`);
    const role = message.role;
    if (role !== "tool" && pending.size > 0) problems.push(`message ${index} (${String(role)}) comes before calls ${[...pending].join(", ")} were answered`);
    if (role !== "tool") pending = new Set();
    if (role === "assistant") {
      const calls = message.tool_calls;
      if (calls !== undefined && !Array.isArray(calls)) problems.push(`message ${index}: tool_calls is not an array`);
      for (const call of Array.isArray(calls) ? calls : []) {
        const fn = isObject(call) && isObject(call.function) ? call.function : undefined;
        const id = isObject(call) ? call.id : undefined;
        if (typeof id !== "string" || id === "") problems.push(`message ${index}: a call without id`);
        else if (callIds.has(id)) problems.push(`call id ${id} is used twice`);
        else callIds.add(id);
        if (typeof id === "string") pending.add(id);
        if (!fn || typeof fn.name !== "string") {
          problems.push(`message ${index}: a call without a function name`);
          continue;
        }
        const validate = declared.get(fn.name);
        if (!validate) problems.push(`message ${index}: call to undeclared tool ${fn.name}`);
        if (typeof fn.arguments !== "string") {
          problems.push(`message ${index}: arguments of ${fn.name} are not a JSON string`);
          continue;
        }
        let args: unknown;
        try {
          args = JSON.parse(fn.arguments);
        } catch {
          problems.push(`message ${index}: arguments of ${fn.name} are not JSON`);
          continue;
        }
        if (validate && !validate(args)) problems.push(`message ${index}: arguments of ${fn.name} fail its schema: ${fn.arguments}`);
      }
    } else if (role === "tool") {
      const id = message.tool_call_id;
      if (typeof id !== "string" || !pending.has(id)) problems.push(`message ${index}: tool result for ${String(id)}, which is not an open call`);
      else pending.delete(id);
      if (typeof message.content !== "string") problems.push(`message ${index}: tool content is not a string`);
    } else if (role === "user" || role === "system") {
      if (typeof message.content !== "string" || message.content === "") problems.push(`message ${index}: ${role} content is empty`);
    } else problems.push(`message ${index}: unknown role ${String(role)}`);
  });
  if (pending.size > 0) problems.push(`calls never answered: ${[...pending].join(", ")}`);
  const last = messages[messages.length - 1];
  if (!isObject(last) || last.role !== "assistant" || (Array.isArray(last.tool_calls) && last.tool_calls.length > 0) || typeof last.content !== "string" || last.content.trim() === "") {
    problems.push("the record does not end with an assistant answer");
  }
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

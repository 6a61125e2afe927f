import { Ajv } from "ajv";

const USER_SIDE = new Set(["human", "observation"]);
const ASSISTANT_SIDE = new Set(["gpt", "function_call"]);
const SEPARATOR = "\n</tool_response>\n<tool_response>\n";

/**
 * An independent check of one ShareGPT record as LLaMA-Factory reads it: `conversations` of `{from, value}`
 * strings, an optional leading `system`, then human/observation and gpt/function_call alternating, an even
 * number of turns, ending on a non-empty `gpt`; `tools` a JSON string of `{name, description, parameters}`
 * with portable, unique names; every `function_call` a `{name, arguments}` object (or a list of them) naming
 * a declared tool with object arguments valid against its parameters; every `observation` right after a
 * `function_call`, with one result per call. Returns the problems found.
 */
export function checkShareGptRecord(record: unknown): string[] {
  if (!isObject(record)) return ["record is not an object"];
  const problems: string[] = [];
  const declared = readTools(record.tools, problems);
  if (!Array.isArray(record.conversations) || record.conversations.length === 0) return [...problems, "conversations is missing or empty"];
  let turns = record.conversations;
  if (isObject(turns[0]) && turns[0].from === "system") {
    if (typeof turns[0].value !== "string" || turns[0].value === "") problems.push("the system turn is empty");
    turns = turns.slice(1);
  }
  if (turns.length % 2 !== 0) problems.push(`${turns.length} turns after the system prompt: LLaMA-Factory needs an even number`);
  let lastCalls = 0;
  turns.forEach((turn, index) => {
    if (!isObject(turn) || typeof turn.from !== "string" || typeof turn.value !== "string") return problems.push(`turn ${index} is not {from, value} strings`);
    const side = index % 2 === 0 ? USER_SIDE : ASSISTANT_SIDE;
    if (!side.has(turn.from)) problems.push(`turn ${index} is "${turn.from}" where ${[...side].join(" or ")} belongs`);
    const value = turn.value.replace(/^<think>\n[\s\S]*?\n<\/think>\n\n/, "");
    if (turn.from === "function_call") lastCalls = checkCalls(value, declared, index, problems);
    else if (turn.from === "observation") {
      const previous = turns[index - 1];
      if (!isObject(previous) || previous.from !== "function_call") problems.push(`turn ${index}: an observation that does not follow a function_call`);
      else if (value.split(SEPARATOR).length !== lastCalls) problems.push(`turn ${index}: ${value.split(SEPARATOR).length} result(s) for ${lastCalls} call(s)`);
    } else if (value.trim() === "" && turn.from === "human") problems.push(`turn ${index}: empty human turn`);
  });
  const last = turns.at(-1);
  if (!isObject(last) || last.from !== "gpt" || typeof last.value !== "string" || last.value.trim() === "") problems.push("the record does not end with a gpt answer");
  return problems;
}

function readTools(tools: unknown, problems: string[]): Map<string, (value: unknown) => boolean> {
  const declared = new Map<string, (value: unknown) => boolean>();
  if (typeof tools !== "string") {
    problems.push("tools is not a JSON string");
    return declared;
  }
  let list: unknown;
  try {
    list = JSON.parse(tools);
  } catch {
    problems.push("tools is not JSON");
    return declared;
  }
  if (!Array.isArray(list)) {
    problems.push("tools is not a JSON list");
    return declared;
  }
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  for (const tool of list) {
    if (!isObject(tool) || typeof tool.name !== "string" || !isObject(tool.parameters)) {
      problems.push("a tool is not {name, description, parameters}");
      continue;
    }
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(tool.name)) problems.push(`tool name "${tool.name}" is not portable`);
    if (declared.has(tool.name)) problems.push(`tool "${tool.name}" is declared twice`);
    const { $schema: _ignored, ...parameters } = tool.parameters;
    declared.set(tool.name, ajv.compile(parameters) as (value: unknown) => boolean);
  }
  return declared;
}

function checkCalls(value: string, declared: Map<string, (value: unknown) => boolean>, index: number, problems: string[]): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    problems.push(`turn ${index}: the function_call value is not JSON`);
    return 0;
  }
  const calls = Array.isArray(parsed) ? parsed : [parsed];
  for (const call of calls) {
    if (!isObject(call) || typeof call.name !== "string" || !isObject(call.arguments)) {
      problems.push(`turn ${index}: a call is not {name, arguments: object}`);
      continue;
    }
    const validate = declared.get(call.name);
    if (!validate) problems.push(`turn ${index}: call to undeclared tool ${call.name}`);
    else if (!validate(call.arguments)) problems.push(`turn ${index}: the arguments of ${call.name} fail its schema`);
  }
  return calls.length;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

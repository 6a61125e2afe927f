import type { JsonObject, JsonValue } from "../../../domain/common.js";
import type { BlueprintAction, HiddenFact } from "../../../domain/task.js";
import { validateJsonSchema } from "../../../support/json-schema.js";
import { groundedValue } from "./live-values.js";
import { generateSchemaValue } from "./schema-values.js";
import type { ShapedTask } from "./task-shapes.js";
import type { TaskInput } from "./task-kit.js";
import { calledCriterion, llmCriterion } from "./task-rubrics.js";
import { capitalize, firstSentence, humanize, joinList } from "./text.js";
import { isIdParam, type ToolAnatomy } from "./tool-anatomy.js";
import type { ToolRole } from "./tool-roles.js";

/*
 * Tasks over tools that manage no records of a known entity (real servers, imported function lists): each
 * request asks the assistant to use one tool, the user gives its required values when asked (paths and names
 * real servers reported, when there are any), and the blueprint is that call. Look-ups, parallel and
 * multi-intent shapes are built from such requests.
 */

export interface ToolRequest {
  role: ToolRole;
  /** After "you want to": "have the assistant read a text file". */
  clause: string;
  action: BlueprintAction;
  facts: HiddenFact[];
}

export function planToolRequest(role: ToolRole, input: TaskInput): ToolRequest {
  const args: JsonObject = {};
  const facts: HiddenFact[] = [];
  for (const param of role.anatomy.params.filter((candidate) => candidate.required)) {
    const grounded = groundedValue(input.live, param, input.random, role.name);
    const value: JsonValue = grounded !== undefined && validateJsonSchema(param.schema, grounded).valid ? grounded : generateSchemaValue(param.schema, input.random, param.name);
    args[param.name] = value;
    facts.push({ key: param.name, value, description: `the ${humanize(param.name)}` });
  }
  return { role, clause: `have the assistant ${phraseToolRequest(role.anatomy)}`, action: { tool: role.name, arguments: args }, facts };
}

function toolRequestTask(input: TaskInput, shape: ShapedTask["shape"], requests: readonly ToolRequest[], together: boolean): ShapedTask {
  const clauses = requests.map((request) => request.clause);
  const combined = `have the assistant ${joinList(clauses.map((clause) => clause.replace(/^have the assistant /, "")), "and also")}`;
  return {
    shape,
    goal: `${capitalize(joinList(requests.map((request) => `call ${request.role.name}`), "then"))} (${input.persona.persona.name})`,
    scenario: {
      organization: input.domain.organization,
      requests: together ? [combined] : clauses,
      known: requests.flatMap((request) => request.facts.map((fact) => fact.description)),
      unknown: [],
      constraints: together ? ["you would like both done at once"] : [],
    },
    facts: requests.flatMap((request) => request.facts),
    records: [],
    distractorKits: [],
    actions: requests.map((request) => request.action),
    answerFacts: [],
    criteria: [
      ...requests.map((request) => calledCriterion(request.role.name, request.action.arguments, true)),
      llmCriterion("clear-summary", `The assistant's final message reports what ${joinList(requests.map((request) => request.role.name))} returned, from the tool results.`, 2),
      llmCriterion("asked-for-details", "The assistant asked for the values it needed instead of guessing."),
    ],
    difficulty: requests.length > 1 ? "medium" : "easy",
  };
}

/** Tools to ask for: look-ups first, and among them those that need no id (one the task would have to invent). */
/** A tool its own description retires ("DEPRECATED: use read_text_file instead"): a task asks for its successor. */
const DEPRECATED = /\bdeprecated\b/i;

function readTools(input: TaskInput): ToolRole[] {
  const reads = input.roles.filter((role) => !role.writes && !DEPRECATED.test(role.anatomy.spec.description));
  const pool = reads.length > 0 ? reads : input.roles;
  const withoutIds = pool.filter((role) => !role.anatomy.params.some((param) => param.required && isIdParam(param)));
  return withoutIds.length > 0 ? withoutIds : pool;
}

export function writeToolLookup(input: TaskInput): ShapedTask | undefined {
  const tools = readTools(input);
  if (tools.length === 0) return undefined;
  return toolRequestTask(input, "lookup", [planToolRequest(input.random.pick(tools), input)], false);
}

export function writeToolParallel(input: TaskInput): ShapedTask | undefined {
  const tools = readTools(input).filter((role) => role.anatomy.params.some((param) => param.required));
  if (tools.length === 0) return undefined;
  const [a, b] = input.random.sample(tools, 2);
  if (!a || !b || sharesParameters(a, b)) return undefined;
  return toolRequestTask(input, "parallel", [planToolRequest(a, input), planToolRequest(b, input)], true);
}

export function writeToolMultiIntent(input: TaskInput): ShapedTask | undefined {
  const pool = readTools(input).length >= 2 ? readTools(input) : input.roles;
  const pairs = pool.flatMap((a, index) => pool.slice(index + 1).filter((b) => !sharesParameters(a, b)).map((b) => [a, b] as const));
  if (pairs.length === 0) return undefined;
  const [first, second] = input.random.pick(pairs);
  return toolRequestTask(input, "multi_intent", [planToolRequest(first, input), planToolRequest(second, input)], false);
}

/** Two tools whose required parameters share a word ("path", "paths"): the user's answers for one could be taken for the other. */
function sharesParameters(a: ToolRole, b: ToolRole): boolean {
  const stems = new Set(a.anatomy.params.filter((param) => param.required).flatMap((param) => param.stems));
  return b.anatomy.params.some((param) => param.required && param.stems.some((stem) => stems.has(stem)));
}

const IMPERATIVES = new Set(
  "search get find create list read write fetch send run generate convert analyze analyse check update delete add remove query retrieve translate calculate summarize extract open close book schedule set upload download execute navigate take click fill start stop look show make compare validate track".split(" "),
);

/** What the tool does, as a request: "Searches the web using Exa AI - …" → "search the web using Exa AI". */
export function phraseToolRequest(tool: ToolAnatomy): string {
  const description = tool.spec.description.replace(/^(this|a|an)?\s*([\w-]+\s+){0,2}tool (to|that|which|for) /i, "").trim();
  const clause = (firstSentence(description).split(/\s[-–—]\s|[(;:]|, (?:and|which|with) /)[0] ?? "").replace(/[.!?]+$/, "").trim();
  if (clause.split(/\s+/).length < 2 || clause.length > 110) return `use ${tool.name}`;
  const [first = "", ...rest] = clause.split(/\s+/);
  const word = first.toLowerCase();
  if (/ing$/.test(word)) return `help with ${[word, ...rest].join(" ")}`;
  const verb = toBaseVerb(word);
  return IMPERATIVES.has(verb) || verb === tool.verb ? [verb, ...rest].join(" ") : `help with ${[word, ...rest].join(" ")}`;
}

/** "Retrieves" → "retrieve", "searches" → "search", "lists" → "list". */
function toBaseVerb(word: string): string {
  if (/(ches|shes|sses|xes)$/.test(word)) return word.slice(0, -2);
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/[^s]s$/.test(word) && !/^(is|has|was|does)$/.test(word)) return word.slice(0, -1);
  return word;
}

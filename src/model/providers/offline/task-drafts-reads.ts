import type { JsonObject, JsonValue } from "../../../domain/common.js";
import type { Entity } from "../../../domain/domain.js";
import type { HiddenFact } from "../../../domain/task.js";
import { validateJsonSchema } from "../../../support/json-schema.js";
import { findStatusField, generateFieldValue } from "./entity-records.js";
import { groundedValue } from "./live-values.js";
import { formatDate, generateSchemaValue, readSchemaType } from "./schema-values.js";
import { collectGoalValues, makeIdFact, requireIdParam, makeTargetRecord, type DraftInput, type DraftParts } from "./task-draft-parts.js";
import { findEmailParam } from "./task-plans.js";
import type { ToolAnatomy, ToolParam } from "./tool-anatomy.js";
import { addArticle, firstSentence, humanize, stemWord } from "./text.js";

/** Drafts of tasks that read or add: compare two records, find one by email, check then create, look up, use one tool. */

/** Two fields worth comparing: the status and a number or date. */
function pickComparisonFields(entity: Entity): [string, string] {
  const status = findStatusField(entity)?.name;
  const other = entity.fields.find((field) => field.name !== status && (readSchemaType(field.schema) === "number" || field.schema.format === "date" || readSchemaType(field.schema) === "integer"));
  const names = [status, other?.name, ...entity.fields.map((field) => field.name)].filter((name): name is string => name !== undefined);
  const unique = [...new Set(names)];
  return [unique[0] ?? "status", unique[1] ?? unique[0] ?? "details"];
}

export function draftCompare(input: DraftInput): DraftParts {
  const { entity } = input.plan.group;
  const main = input.plan.main;
  const first = makeTargetRecord(input);
  const second = makeTargetRecord(input, {}, new Set([String(first.id)]));
  const idParam = requireIdParam(main);
  const [field, otherField] = pickComparisonFields(entity);
  const ids = [String(first.id), String(second.id)];
  return {
    goalValues: { ...collectGoalValues(input), field: humanize(field), otherField: humanize(otherField) },
    facts: [makeIdFact(input, idParam, ids[0] as string, "first"), makeIdFact(input, idParam, ids[1] as string, "second")],
    records: [first, second],
    rubric: {
      mainTool: main.name,
      mainArgs: { [idParam.name]: ids[0] as string },
      before: [],
      extraCalls: [{ tool: main.name, args: { [idParam.name]: ids[1] as string } }],
      finalState: undefined,
      mentions: ids,
      outcome: `it reports the ${humanize(field)} and ${humanize(otherField)} of both ${humanize(entity.plural)}.`,
      asksFor: [`${humanize(entity.name)} IDs`],
    },
    expectedTools: [main.name],
    difficulty: "easy",
  };
}

export function draftFindThenInspect(input: DraftInput): DraftParts {
  const { entity, search } = input.plan.group;
  const main = input.plan.main;
  if (!search) throw new Error("task-generation: find_then_inspect needs a search tool");
  const emailParam = findEmailParam(search) as ToolParam;
  const record = makeTargetRecord(input, { [emailParam.name]: input.persona.email });
  const id = String(record.id);
  const idParam = requireIdParam(main);
  return {
    goalValues: collectGoalValues(input),
    facts: [{ key: emailParam.name, value: input.persona.email, description: "the email address you used" }],
    records: [record],
    rubric: {
      mainTool: main.name,
      mainArgs: { [idParam.name]: id },
      before: [search.name],
      extraCalls: [{ tool: search.name, args: { [emailParam.name]: input.persona.email } }],
      finalState: undefined,
      mentions: [id],
      outcome: `it names the ${humanize(entity.name)} it found (${id}) and its current status.`,
      asksFor: ["email address"],
    },
    expectedTools: [search.name, main.name],
    difficulty: "medium",
  };
}

export function draftCheckThenCreate(input: DraftInput): DraftParts {
  const { entity, search } = input.plan.group;
  const main = input.plan.main;
  const facts: HiddenFact[] = [];
  const mainArgs: JsonObject = {};
  for (const param of main.params.filter((candidate) => candidate.required)) {
    const value = pickCreateValue(param, entity, input);
    facts.push({ key: param.name, value, description: param.schema.format === "email" ? "your email address" : `the ${humanize(param.name)} for the new ${humanize(entity.name)}` });
    if (Object.keys(mainArgs).length < 2) mainArgs[param.name] = value;
  }
  const searchEmail = search ? findEmailParam(search) : undefined;
  const useSearch = search !== undefined && searchEmail !== undefined;
  if (useSearch && !facts.some((fact) => fact.key === searchEmail.name)) {
    facts.unshift({ key: searchEmail.name, value: input.persona.email, description: "your email address" });
  }
  const entityStems = new Set(entity.name.split("_").map(stemWord));
  const createVerb = input.random.pick(["open", "create", "set up", "register"].filter((verb) => !entityStems.has(stemWord(verb))));
  return {
    goalValues: { ...collectGoalValues(input), createVerb, article: addArticle(humanize(entity.name)) },
    facts,
    records: [],
    rubric: {
      mainTool: main.name,
      mainArgs,
      before: useSearch ? [search.name] : [],
      extraCalls: [],
      finalState: undefined,
      mentions: [],
      outcome: `it gives the ID of the new ${humanize(entity.name)} and what was recorded.`,
      asksFor: facts.map((fact) => humanize(fact.key)),
    },
    expectedTools: useSearch ? [search.name, main.name] : [main.name],
    difficulty: "hard",
  };
}

function pickCreateValue(param: ToolParam, entity: Entity, input: DraftInput): JsonValue {
  if (param.schema.format === "email" || /email/.test(param.name)) return input.persona.email;
  if (/^(full_)?name$|^(customer|patient|guest|passenger|holder|employee|student|driver|owner|requester|member|account_holder)_name$/.test(param.name)) return input.persona.persona.name;
  if (param.schema.format === "date") return formatDate(input.random.int(7, 40));
  const field = entity.fields.find((candidate) => candidate.name === param.name);
  const value = field ? generateFieldValue(field, input.random) : (groundedValue(input.live, param, input.random) ?? generateSchemaValue(param.schema, input.random, param.name));
  return validateJsonSchema(param.schema, value).valid ? value : generateSchemaValue(param.schema, input.random, param.name);
}

export function draftLookup(input: DraftInput): DraftParts {
  const { entity } = input.plan.group;
  const main = input.plan.main;
  const record = makeTargetRecord(input);
  const id = String(record.id);
  const idParam = requireIdParam(main);
  const status = findStatusField(entity);
  const statusValue = status ? record[status.name] : undefined;
  return {
    goalValues: collectGoalValues(input),
    facts: [makeIdFact(input, idParam, id)],
    records: [record],
    rubric: {
      mainTool: main.name,
      mainArgs: { [idParam.name]: id },
      before: [],
      extraCalls: [],
      finalState: undefined,
      mentions: typeof statusValue === "string" ? [statusValue] : [id],
      outcome: `it reports the current details of ${humanize(entity.name)} ${id}.`,
      asksFor: [humanize(idParam.name)],
    },
    expectedTools: [main.name],
    difficulty: "easy",
  };
}

const IMPERATIVES = new Set(
  "search get find create list read write fetch send run generate convert analyze analyse check update delete add remove query retrieve translate calculate summarize extract open close book schedule set upload download execute navigate take click fill start stop look show make compare validate track".split(" "),
);

/** What the tool does, as a request: "Searches the web using Exa AI - …" → "search the web using Exa AI". */
function phraseToolRequest(tool: ToolAnatomy): string {
  const description = tool.spec.description.replace(/^(this|a|an)?\s*([\w-]+\s+){0,2}tool (to|that|which|for) /i, "").trim();
  const clause = (firstSentence(description).split(/\s[-–—]\s|[(;:]|, (?:and|which|with) /)[0] ?? "").replace(/[.!?]+$/, "").trim();
  if (clause.split(/\s+/).length < 2 || clause.length > 110) return `use ${tool.name}`;
  const [first = "", ...rest] = clause.split(/\s+/);
  const word = first.toLowerCase();
  if (/ing$/.test(word)) return `help me with ${[word, ...rest].join(" ")}`;
  const verb = toBaseVerb(word);
  return IMPERATIVES.has(verb) || verb === tool.verb ? [verb, ...rest].join(" ") : `help me with ${[word, ...rest].join(" ")}`;
}

/** "Retrieves" → "retrieve", "searches" → "search", "lists" → "list". */
function toBaseVerb(word: string): string {
  if (/(ches|shes|sses|xes)$/.test(word)) return word.slice(0, -2);
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/[^s]s$/.test(word) && !/^(is|has|was|does)$/.test(word)) return word.slice(0, -1);
  return word;
}

export function draftSingleTool(input: DraftInput): DraftParts {
  const main = input.plan.main;
  const record = input.plan.group.known && main.idParam ? makeTargetRecord(input) : undefined;
  const facts: HiddenFact[] = main.params
    .filter((param) => param.required)
    .map((param) =>
      record && param === main.idParam
        ? makeIdFact(input, param, String(record.id))
        : { key: param.name, value: groundedValue(input.live, param, input.random) ?? generateSchemaValue(param.schema, input.random, param.name), description: `the ${humanize(param.name)}` },
    );
  const mainArgs: JsonObject = {};
  for (const fact of facts.slice(0, 2)) mainArgs[fact.key] = fact.value;
  return {
    goalValues: { ...collectGoalValues(input), toolPhrase: phraseToolRequest(main) },
    facts,
    records: record ? [record] : [],
    rubric: { mainTool: main.name, mainArgs, before: [], extraCalls: [], finalState: undefined, mentions: [], outcome: `it reports what ${main.name} returned.`, asksFor: facts.map((fact) => humanize(fact.key)) },
    expectedTools: [main.name],
    difficulty: facts.length > 1 ? "medium" : "easy",
  };
}

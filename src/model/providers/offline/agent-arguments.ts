import type { JsonObject, JsonValue } from "../../../domain/common.js";
import { validateJsonSchema } from "../../../support/json-schema.js";
import { asObject, asSchema, readSchemaEnum, readSchemaType } from "./schema-values.js";
import { isIdParam, extractIdPrefix, type ToolAnatomy, type ToolParam } from "./tool-anatomy.js";
import { firstSentence, humanize, splitWords, stemWord, truncateText } from "./text.js";
import { extractDates, extractDateTimes, extractEmails, extractIds, extractLabeledValues, extractNumbers, findEnumValue, isAffirmative, type LabeledValue } from "./value-extraction.js";
import { isObject } from "../../../support/is-object.js";

/*
 * Filling a tool's arguments from what the conversation holds: ids the user gave or earlier results
 * returned, emails, dates, enum words, numbers and labelled statements. Nothing is invented: a required
 * value that cannot be found is reported missing, so the agent asks for it.
 */

export interface Evidence {
  /** User messages of the current request, oldest first. */
  userTexts: string[];
  /** Results of successful calls, oldest first. */
  results: JsonValue[];
  /** Ids to use first for an id parameter (e.g. the record a search found). */
  preferredIds: string[];
  /** Ids not to use again (a comparison's first record). */
  excludedIds: ReadonlySet<string>;
}

export interface FilledArguments {
  args: JsonObject;
  missing: ToolParam[];
}

const SKIPPED_OPTIONAL = /^(limit|offset|page|page_size|per_page|cursor|sort|sort_by|order_by|note|notes|comment|reason|justification)$/;
const FREE_TEXT = /^(reason|note|notes|comment|justification|description|details|message|summary)$/;

export function fillArguments(anatomy: ToolAnatomy, evidence: Evidence): FilledArguments {
  const args: JsonObject = {};
  const missing: ToolParam[] = [];
  const labeled = evidence.userTexts.flatMap(extractLabeledValues);
  for (const param of anatomy.params) {
    if (!param.required && SKIPPED_OPTIONAL.test(param.name)) continue;
    const value = findParamValue(param, anatomy, evidence, labeled);
    if (value !== undefined && validateJsonSchema(param.schema, value).valid) args[param.name] = value;
    else if (param.required) missing.push(param);
  }
  return { args, missing };
}

function findParamValue(param: ToolParam, anatomy: ToolAnatomy, evidence: Evidence, labeled: readonly LabeledValue[]): JsonValue | undefined {
  const type = readSchemaType(param.schema) ?? "string";
  const newestFirst = [...evidence.userTexts].reverse();
  if (isIdParam(param) && type === "string") return findIdValue(param, anatomy, evidence);
  const choices = readSchemaEnum(param.schema);
  if (choices) return findEnumChoice(param, anatomy.params, choices, newestFirst, labeled);
  const fromLabel = findLabeledValue(param, anatomy.params, labeled);
  if (fromLabel !== undefined) return coerce(fromLabel, type);
  // A new value is one the user said as the new one ("the new date is …"), never a value they named for something else.
  if (param.name.startsWith("new_")) return undefined;
  if (param.schema.format === "email" || /email/.test(param.name)) return param.required || anatomy.operation === "search" ? newestFirst.flatMap(extractEmails)[0] : undefined;
  if (!param.required) return undefined;
  if (param.schema.format === "date-time") return newestFirst.flatMap(extractDateTimes)[0] ?? toDateTime(newestFirst.flatMap(extractDates)[0]);
  if (param.schema.format === "date" || /(^|_)date$/.test(param.name)) return newestFirst.flatMap(extractDates)[0];
  if (type === "number" || type === "integer") return findLoneNumber(newestFirst.find((text) => extractNumbers(text).length > 0) ?? "", type);
  if (type === "string" && FREE_TEXT.test(param.name)) return truncateText(firstSentence(evidence.userTexts[0] ?? ""), 200);
  if (type === "array") {
    const items = asSchema(param.schema.items);
    if (items && extractIdPrefix(items.pattern)) return newestFirst.flatMap(extractIds).filter((id) => validateJsonSchema(items, id).valid);
  }
  return undefined;
}

function findIdValue(param: ToolParam, anatomy: ToolAnatomy, evidence: Evidence): string | undefined {
  const prefix = extractIdPrefix(param.schema.pattern) ?? (param === anatomy.idParam ? anatomy.idPrefix : undefined);
  const fits = (id: string): boolean => !evidence.excludedIds.has(id) && (prefix ? id.startsWith(`${prefix}-`) : true) && validateJsonSchema(param.schema, id).valid;
  const fromUser = [...evidence.userTexts].reverse().flatMap(extractIds);
  const fromResults = evidence.results.flatMap((result) => collectRecordIds(result));
  const candidates = [...evidence.preferredIds, ...fromUser, ...fromResults];
  return candidates.find(fits) ?? [...evidence.userTexts].reverse().flatMap((text) => findLabeledId(param, text)).find(fits);
}

/** A value the user labelled with the parameter's words ("Policy number: POL551200"). */
function findLabeledId(param: ToolParam, text: string): string[] {
  const value = findLabeledValue(param, [param], extractLabeledValues(text));
  return value ? [value] : [];
}

/** Every `id` of the records inside a result, in order. */
export function collectRecordIds(value: JsonValue | undefined): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => collectRecordIds(item));
  const object = asObject(value);
  if (!object) return [];
  const own = typeof object.id === "string" ? [object.id] : [];
  return [...own, ...Object.entries(object).filter(([key]) => key !== "id").flatMap(([, item]) => collectRecordIds(item))];
}

function findEnumChoice(param: ToolParam, params: readonly ToolParam[], choices: JsonValue[], newestFirst: readonly string[], labeled: readonly LabeledValue[]): JsonValue | undefined {
  const fromLabel = findLabeledValue(param, params, labeled);
  if (fromLabel !== undefined) {
    const match = findEnumValue(fromLabel, choices);
    if (match !== undefined) return match;
  }
  if (!param.required) {
    for (const text of newestFirst) {
      const match = enumNextToParam(text, param, choices);
      if (match !== undefined) return match;
    }
    return undefined;
  }
  for (const text of newestFirst) {
    const match = findEnumValue(text, choices, true);
    if (match !== undefined) return match;
  }
  // A new value must be said as one ("to premium"); other mentions count, the request first, but bare
  // confirmations ("Confirmed, do it.") say nothing.
  if (param.name.startsWith("new_")) return undefined;
  for (const text of [...newestFirst].reverse().filter((entry) => !isBareConfirmation(entry))) {
    const match = findEnumValue(text, choices);
    if (match !== undefined) return match;
  }
  return undefined;
}

function isBareConfirmation(text: string): boolean {
  return isAffirmative(text) && text.length < 80 && extractLabeledValues(text).length === 0;
}

/** An enum value said right next to the parameter's name ("status pending", "pending status"), for optional filters. */
function enumNextToParam(text: string, param: ToolParam, choices: readonly JsonValue[]): JsonValue | undefined {
  const words = splitWords(text);
  const head = param.stems[param.stems.length - 1];
  for (const [index, word] of words.entries()) {
    if (stemWord(word) !== head) continue;
    const window = words.slice(Math.max(0, index - 3), index + 4).join(" ");
    const match = findEnumValue(window, choices);
    if (match !== undefined) return match;
  }
  return undefined;
}

/**
 * The best labelled statement for the parameter: the label holds the parameter's head word and most of
 * its name words, and fits no other parameter of the tool better ("new reporter email" goes to
 * `reporter_email`, not `assignee_email`).
 */
function findLabeledValue(param: ToolParam, params: readonly ToolParam[], labeled: readonly LabeledValue[]): string | undefined {
  let best: { value: string; score: number } | undefined;
  for (const entry of labeled) {
    const score = scoreLabel(param, entry);
    if (score === 0 || params.some((other) => other !== param && scoreLabel(other, entry) > score)) continue;
    if (!best || score >= best.score) best = { value: entry.value, score };
  }
  return best?.value;
}

function scoreLabel(param: ToolParam, entry: LabeledValue): number {
  const wanted = param.stems.filter((stem) => stem !== "new");
  const head = wanted[wanted.length - 1];
  const label = new Set(entry.stems);
  if (head === undefined || !label.has(head)) return 0;
  const score = wanted.filter((stem) => label.has(stem)).length / wanted.length;
  // A new value needs its whole name said ("the new assignee email"), not only its kind ("my email").
  if (param.name.startsWith("new_") && score < 1) return 0;
  return score >= 0.5 ? score : 0;
}

function coerce(text: string, type: string): JsonValue | undefined {
  if (type === "object" || type === "array") return parseJsonText(text, type);
  if (type === "number" || type === "integer") {
    const number = extractNumbers(text)[0];
    return number === undefined ? undefined : type === "integer" ? Math.round(number) : number;
  }
  if (type === "boolean") return /^(yes|true|y|on)\b/i.test(text) ? true : /^(no|false|n|off)\b/i.test(text) ? false : undefined;
  return text;
}

function parseJsonText(text: string, type: string): JsonValue | undefined {
  try {
    const value = JSON.parse(text) as JsonValue;
    if (type === "array") return Array.isArray(value) ? value : [value];
    return isObject(value) ? value : undefined;
  } catch {
    if (type !== "array") return undefined;
    const items = text.split(/\s*,\s*/).filter((item) => item.length > 0);
    return items.length > 0 ? items : undefined;
  }
}

function findLoneNumber(text: string, type: string): number | undefined {
  const numbers = extractNumbers(text);
  if (numbers.length !== 1) return undefined;
  const value = numbers[0] as number;
  return type === "integer" ? Math.round(value) : value;
}

function toDateTime(date: string | undefined): string | undefined {
  return date ? `${date}T09:00:00Z` : undefined;
}

/** How the agent names a parameter when asking for it: "order ID", "new appointment date". */
export function describeParam(param: ToolParam): string {
  const words = humanize(param.name);
  if (/email$/.test(param.name)) return `${words} address`;
  return words;
}

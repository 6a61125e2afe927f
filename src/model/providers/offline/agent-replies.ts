import type { JsonObject, JsonValue } from "../../../domain/common.js";
import type { Random } from "../../../support/random.js";
import { describeParam } from "./agent-arguments.js";
import type { CallRecord } from "./agent-conversation.js";
import type { Verbosity } from "./agent-prompt.js";
import { asObject } from "./schema-values.js";
import { findStatusParam, isIdParam, type ToolAnatomy, type ToolParam } from "./tool-anatomy.js";
import { firstSentence, formatValue, humanize, joinList, lowerFirst, pickPhrase, pluralize, splitSentences, truncateText } from "./text.js";

/*
 * What the agent says: questions for missing details, confirmations before writes, error explanations
 * and the final summary, which quotes ids, statuses and fields from the actual tool results.
 */

export function describeEntity(anatomy: ToolAnatomy): string {
  return humanize(anatomy.entityName);
}

function labelParam(param: ToolParam, newValue = false): string {
  if (isIdParam(param)) return `your ${describeParam(param)}`;
  return newValue && !param.name.startsWith("new_") ? `the new ${describeParam(param)}` : `the ${describeParam(param)}`;
}

/** Ask for missing details in one question; `newValues` when they are values to change a record to. */
export function askForDetails(params: readonly ToolParam[], random: Random, newValues = false): string {
  const labels = joinList(params.map((param) => labelParam(param, newValues)));
  return params.length === 1
    ? pickPhrase(random, ["Could you give me {labels}?", "Happy to help with that. What's {labels}?", "Sure — could you tell me {labels}?", "To do that I'll need {labels}. Could you share it?"], { labels })
    : pickPhrase(random, ["Could you give me {labels}?", "To go ahead I'll need {labels}. Could you share them?", "Sure — could you tell me {labels}?"], { labels });
}

/**
 * Ask for the ids of the records a request is about (one per tool, or several of one when `plural`), and for
 * the email address on the account when the rules check identity.
 */
export function askForIds(tools: readonly ToolAnatomy[], plural: boolean, withEmail: boolean, random: Random): string {
  const ids = tools.map((tool) => (tool.idParam ? describeParam(tool.idParam) : `${describeEntity(tool)} details`));
  const labels = plural && ids.length === 1 ? [`the ${pluralize(ids[0] as string).replace(/IDs?s$/, "IDs")}`] : ids.map((label) => `your ${label}`);
  const all = withEmail ? [...labels, "the email address on your account"] : labels;
  const list = joinList(all);
  return all.length === 1 && !plural
    ? pickPhrase(random, ["Could you give me {list}?", "Happy to help with that. What's {list}?", "Sure — could you tell me {list}?"], { list })
    : pickPhrase(random, ["Could you give me {list}?", "To go ahead I'll need {list}. Could you share them?", "Sure — could you tell me {list}?"], { list });
}

/** Several records matched: list them with what tells them apart and ask which one. */
export function askWhichRecord(search: ToolAnatomy, records: readonly JsonObject[], random: Random): string {
  const keys = Object.keys(records[0] ?? {}).filter((key) => key !== "id" && !/email/.test(key) && new Set(records.map((record) => JSON.stringify(record[key]))).size > 1);
  const items = records.slice(0, 5).map((record) => `${String(record.id)} (${describeRecord(record, 3, keys)})`);
  return pickPhrase(random, ["I found {count} {plural} under that email: {items}. Which one do you mean?", "There are {count} {plural} on your account: {items}. Which of them do you mean?"], {
    count: String(records.length),
    plural: pluralize(describeEntity(search)),
    items: joinList(items),
  });
}

export function phraseNoMatch(search: ToolAnatomy, call: CallRecord, random: Random): string {
  const filters = Object.entries(call.args ?? {}).filter(([key]) => key !== "limit").map(([, value]) => formatValue(value));
  return pickPhrase(random, ["I couldn't find any {plural} for {filters}. Could you check the details?", "I searched but found no {plural} for {filters}. Could the details be different?"], {
    plural: pluralize(describeEntity(search)),
    filters: joinList(filters) || "those details",
  });
}

/** What the record says about the user's condition, and what the agent will therefore do. */
export function phraseConditionChoice(condition: { field: string; over: boolean; threshold: number; alternative: string }, record: JsonObject, holds: boolean, random: Random): string {
  const key = Object.keys(record).find((name) => humanize(name).toLowerCase() === condition.field.toLowerCase()) ?? condition.field;
  const value = formatValue(record[key]);
  const side = condition.over ? "over" : "under";
  return holds
    ? pickPhrase(random, ["Its {field} is {value}, which is {side} {threshold}, so as you asked I'll {alternative} instead.", "The {field} is {value} — {side} {threshold} — so, as you asked, I'll {alternative} instead."], { field: condition.field, value, side, threshold: String(condition.threshold), alternative: condition.alternative.replace(/\bmy\b/g, "your") })
    : pickPhrase(random, ["Its {field} is {value}, not {side} {threshold}, so I'll go ahead with your first request.", "The {field} is {value}, which is not {side} {threshold}; so I'll do what you first asked."], { field: condition.field, value, side, threshold: String(condition.threshold) });
}

export function askForSearchFilter(param: ToolParam, search: ToolAnatomy, random: Random): string {
  const plural = pluralize(describeEntity(search));
  return pickPhrase(random, ["No problem. Could you tell me {label}, so I can search for your {plural}?", "I can look that up. What's {label} I should search your {plural} by?"], { label: labelParam(param), plural });
}

/** "change the status of order ORD-10442 from pending to shipped" */
function describeAction(anatomy: ToolAnatomy, args: JsonObject, current: JsonObject | undefined): string {
  const noun = describeEntity(anatomy);
  const id = anatomy.idParam ? formatValue(args[anatomy.idParam.name]) : "";
  const status = findStatusParam(anatomy);
  const details = Object.entries(args)
    .filter(([key]) => key !== anatomy.idParam?.name && key !== status?.name)
    .map(([key, value]) => `${humanize(key)} ${formatValue(value)}`);
  const withDetails = details.length ? ` (${joinList(details)})` : "";
  if (anatomy.operation === "create") return `create a new ${noun} with ${joinList(details) || "the details you gave"}`;
  if (status && args[status.name] !== undefined) {
    const from = typeof current?.[status.name] === "string" ? ` from ${String(current[status.name])}` : "";
    return `change the status of ${noun} ${id}${from} to ${formatValue(args[status.name])}`;
  }
  if (anatomy.operation === "update") {
    const changes = Object.entries(args)
      .filter(([key]) => key !== anatomy.idParam?.name)
      .map(([key, value]) => `the ${humanize(key.replace(/^new_/, ""))} to ${formatValue(value)}`);
    return `update ${noun} ${id}, setting ${joinList(changes)}`;
  }
  const verb = humanize(anatomy.actionWords.join("_") || anatomy.verb);
  return `${verb} ${noun} ${id}${withDetails}`;
}

export function askConfirmation(anatomy: ToolAnatomy, args: JsonObject, current: JsonObject | undefined, random: Random): string {
  const action = describeAction(anatomy, args, current);
  const state = current && typeof current.status === "string" && !findStatusParam(anatomy) ? ` It is currently ${current.status}.` : "";
  return pickPhrase(random, [
    "Just to confirm: I'll {action}.{state} Shall I go ahead?",
    "I'm about to {action}.{state} Do you want me to proceed?",
    "Before I make the change: I will {action}.{state} Is that correct?",
  ], { action, state });
}

export function phraseDecline(random: Random): string {
  return pickPhrase(random, ["Understood — I won't make any changes. Is there anything else I can help you with?", "No problem, I've left everything as it is. Anything else I can do for you?"]);
}

export function phraseCannotProceed(params: readonly ToolParam[], main: ToolAnatomy, random: Random): string {
  const labels = joinList(params.map((param) => labelParam(param)));
  const verb = humanize(main.actionWords.join("_") || main.verb);
  return pickPhrase(random, [
    "I'm sorry — without {labels} I can't {verb} the {noun}, and I don't want to guess. If you find it, I'll gladly help.",
    "Unfortunately {labels} is required to {verb} the {noun}, and I can't look it up another way. Please come back once you have it.",
  ], { labels, verb, noun: describeEntity(main) });
}

export function phraseNotFound(call: CallRecord, anatomy: ToolAnatomy, repeated: boolean, random: Random): string {
  if (!anatomy.idParam) {
    const asked = joinList(Object.values(call.args ?? {}).map((value) => formatValue(value)));
    return repeated
      ? pickPhrase(random, ["I'm sorry, {tool} still finds nothing for {asked} (\"{message}\"), so I can't continue with it."], { tool: call.name, asked: asked || "that", message: call.errorMessage ?? "not found" })
      : pickPhrase(random, ["{tool} found nothing for {asked} (\"{message}\"). Could you double-check it?"], { tool: call.name, asked: asked || "that", message: call.errorMessage ?? "not found" });
  }
  const id = call.args ? formatValue(call.args[anatomy.idParam.name]) : "that record";
  const values = { noun: describeEntity(anatomy), id, label: anatomy.idParam ? describeParam(anatomy.idParam) : "details", message: call.errorMessage ?? "not found" };
  return repeated
    ? pickPhrase(random, ["I'm sorry, I still can't find {noun} {id}, so I can't continue. Please check the number on your confirmation and contact us again."], values)
    : pickPhrase(random, ["I couldn't find {noun} {id} (\"{message}\"). Could you double-check your {label}?", "The system has no {noun} {id}. Could you check your {label} again?"], values);
}

/** A call that failed and will not be tried again; says how many times it was tried, as it was. */
export function phraseFailure(call: CallRecord, attempts: number, random: Random): string {
  const tried = attempts >= 2 ? `I tried ${attempts === 2 ? "twice" : `${attempts} times`}` : "the system rejected the request";
  return pickPhrase(random, [
    "I'm sorry — {tool} did not go through ({message}); {tried}. Please try again a little later.",
    "Unfortunately {tool} returned an error ({message}), so I couldn't finish; {tried}. Please try again later.",
  ], { tool: call.name, message: call.errorMessage ?? call.errorCode ?? "unknown error", tried });
}

export function phraseUnconfirmedWrite(call: CallRecord, random: Random): string {
  return pickPhrase(random, [
    "I sent the request ({tool}), but the system sent back an empty response, so I can't confirm it went through. I won't send it twice; please check again later before trying again.",
    "The system accepted the {tool} request but returned nothing, so I can't confirm the change was made. To avoid doing it twice I'll leave it there; please try again later.",
  ], { tool: call.name });
}

export function phraseNoTools(userText: string, random: Random): string {
  const sentence = splitSentences(userText).find((candidate) => candidate.split(/\s+/).length >= 4) ?? firstSentence(userText);
  const topic = truncateText(lowerFirst(sentence.replace(/[.!?]$/, "")), 120);
  return pickPhrase(random, [
    "Thanks for explaining. I don't have access to any tools in this conversation, so I can't look up or change records myself regarding \"{topic}\". Please use the self-service portal or contact the team directly.",
    "I understand you'd like help with \"{topic}\". I can't access any systems from here, so I can't check or change anything myself; the support team can do it for you.",
  ], { topic });
}

export function phraseClarification(tools: readonly ToolAnatomy[], random: Random): string {
  const abilities = joinList(tools.slice(0, 5).map(describeAbility), "or");
  return pickPhrase(random, ["I'm not sure which of my tools fits that. I can help with: {abilities}. Which of these would you like?", "Could you tell me a bit more? I can help with: {abilities}."], { abilities });
}

/** A tool's purpose in a few words: the first clause of its description, else its name. */
function describeAbility(tool: ToolAnatomy): string {
  const clause = (firstSentence(tool.spec.description).split(/\s[-–—]\s|[(;:,]/)[0] ?? "").replace(/[.!?]+$/, "").trim();
  return clause.length > 0 && clause.length <= 70 ? `${clause.charAt(0).toLowerCase()}${clause.slice(1)} (${tool.name})` : humanize(tool.name).toLowerCase();
}

export function prefaceFor(anatomy: ToolAnatomy, random: Random): string | null {
  if (!random.chance(0.3)) return null;
  return anatomy.readOnly ? pickPhrase(random, ["Let me look that up.", "One moment while I check.", "Checking that for you now."]) : pickPhrase(random, ["Making the change now.", "On it.", "Processing that now."]);
}

/** The record inside a result: the result itself, a wrapped record, or the first of a list. */
export function unwrapRecord(result: JsonValue | undefined): JsonObject | undefined {
  const object = asObject(result);
  if (!object) return undefined;
  if (typeof object.id === "string") return object;
  for (const value of Object.values(object)) {
    const nested = asObject(value);
    if (nested && typeof nested.id === "string") return nested;
  }
  return undefined;
}

export function unwrapList(result: JsonValue | undefined): JsonObject[] {
  const object = asObject(result);
  if (Array.isArray(result)) return result.map(asObject).filter((item): item is JsonObject => item !== undefined);
  if (!object) return [];
  const list = Object.values(object).find(Array.isArray);
  return (list ?? []).map(asObject).filter((item): item is JsonObject => item !== undefined);
}

/** Fields an API adds about the response itself (a partial answer's markers), not about the record. */
const RESPONSE_META = /^(truncated|has_more|omitted_fields|next_cursor)$/;

/** "status shipped, total amount 89.9 and shipping city Portland" */
export function describeRecord(record: JsonObject, limit: number, prefer: readonly string[] = []): string {
  const keys = Object.keys(record).filter((key) => key !== "id" && !isNested(record[key]) && !RESPONSE_META.test(key));
  const ordered = [...new Set([...prefer.filter((key) => keys.includes(key)), ...keys.filter((key) => /status|state/.test(key)), ...keys])];
  return joinList(ordered.slice(0, limit).map((key) => `${humanize(key)} ${formatValue(record[key])}`));
}

function isNested(value: JsonValue | undefined): boolean {
  return value !== null && typeof value === "object";
}

export function pickClosingLine(verbosity: Verbosity, random: Random): string {
  if (verbosity === "terse" || random.chance(0.35)) return "";
  return ` ${pickPhrase(random, ["Is there anything else I can help you with?", "Anything else I can do for you?", "Let me know if there's anything else."])}`;
}

export function pickFieldLimit(verbosity: Verbosity): number {
  return verbosity === "terse" ? 2 : verbosity === "detailed" ? 5 : 3;
}

export function readStatus(record: JsonObject): string | undefined {
  const key = Object.keys(record).find((name) => /(^|_)(status|state)$/.test(name) && typeof record[name] === "string");
  return key ? String(record[key]) : undefined;
}



import type { JsonObject } from "../../../domain/common.js";
import type { Random } from "../../../support/random.js";
import type { CallRecord, ConversationView } from "./agent-conversation.js";
import type { AgentPlan } from "./agent-planner.js";
import type { Verbosity } from "./agent-prompt.js";
import { pickClosingLine, describeRecord, pickFieldLimit, describeEntity, readStatus, unwrapList, unwrapRecord } from "./agent-replies.js";
import { hasPartialData } from "./agent-recovery.js";
import { stableStringify } from "../../../support/hash.js";
import { describeFreeResult } from "./free-results.js";
import { capitalize, formatValue, humanize, joinList, pastTense, pickPhrase, pluralize, splitWords } from "./text.js";
import { isObject } from "../../../support/is-object.js";

/*
 * The final answer: one summary of what happened, built from the results of the calls made for this
 * request (ids, statuses and the fields that changed), never from what the agent meant to do.
 */

export function summarizeOutcome(plan: AgentPlan, view: ConversationView, verbosity: Verbosity, random: Random, requestText = view.goalText): string {
  const ok = view.calls.filter((call) => call.ok);
  const limit = pickFieldLimit(verbosity);
  let body: string;
  switch (plan.shape) {
    case "write":
      body = summarizeWrite(plan, view, limit, random);
      break;
    case "reads":
      body = summarizeReads(plan, view, ok, requestText, limit);
      break;
    case "search":
      body = summarizeSearch(plan, ok, limit);
      break;
    case "read":
      body = summarizeRead(plan, ok, limit, requestText);
      break;
  }
  return `${body}${hasPartialData(view) ? " Note: the system returned only part of the data, so some details may be missing." : ""}${pickClosingLine(verbosity, random)}`;
}

function findLastCall(calls: readonly CallRecord[], name: string): CallRecord | undefined {
  return [...calls].reverse().find((call) => call.name === name);
}

function describeSearch(plan: AgentPlan, ok: readonly CallRecord[]): string {
  const search = plan.searchFirst ? plan.steps[0] : undefined;
  const call = search ? findLastCall(ok, search.name) : undefined;
  if (!search || !call) return "";
  const found = unwrapList(call.result);
  const filters = describeFilters(call);
  const plural = pluralize(describeEntity(search));
  if (plan.main.operation !== "create") return found.length > 0 ? `I searched your ${plural}${filters} and found ${joinList(found.slice(0, 3).map((record) => String(record.id)))}. ` : "";
  if (found.length === 0) return `I checked first: there are no existing ${plural}${filters}. `;
  return `I checked first: you already have ${found.length} ${found.length === 1 ? describeEntity(search) : plural}${filters} (${joinList(found.slice(0, 3).map((record) => String(record.id)))}). `;
}

function describeFilters(call: CallRecord): string {
  const entries = Object.entries(call.args ?? {}).filter(([key]) => key !== "limit");
  return entries.length ? ` for ${joinList(entries.map(([, value]) => formatValue(value)))}` : "";
}

function summarizeWrite(plan: AgentPlan, view: ConversationView, limit: number, random: Random): string {
  const ok = view.calls.filter((call) => call.ok);
  const call = [...view.calls].reverse().find((entry) => entry.name === plan.main.name && (entry.ok || entry.errorCode === "empty_response"));
  if (!call) return "I wasn't able to complete the change.";
  const noun = describeEntity(plan.main);
  const id = plan.main.idParam ? call.args?.[plan.main.idParam.name] : undefined;
  const later = typeof id === "string" ? [...ok].reverse().find((entry) => entry.turnIndex > call.turnIndex && unwrapRecord(entry.result)?.id === id) : undefined;
  const record = unwrapRecord(later?.result) ?? (call.ok ? unwrapRecord(call.result) : undefined);
  const result = call.ok && isObject(call.result) ? call.result : undefined;
  const done = random.pick(["Done — ", "All set: "]);
  if (!call.ok) return summarizeUnclearWrite(plan, call, record, ok, random);
  if (result?.deleted === true) return `${done}${noun} ${formatValue(result.id)} has been deleted and no longer appears in our records.`;
  if (!record) {
    const free = describeFreeResult(call.result);
    return `${done}${plan.main.name} went through${free ? `: ${free}` : result ? `: ${describeRecord(result, limit)}` : ""}.`;
  }
  const recordId = String(record.id);
  const lookedAgain = typeof id === "string" && view.calls.some((entry) => entry.turnIndex > call.turnIndex && entry.name !== plan.main.name && Object.values(entry.args ?? {}).includes(id));
  const checked = later
    ? ` ${pickPhrase(random, ["I looked it up again to confirm.", "I checked the record again afterwards."])}`
    : lookedAgain
      ? " I couldn't look it up again just now, so this is what the change itself returned."
      : "";
  if (plan.main.operation === "create") {
    return `${describeSearch(plan, ok)}${pickPhrase(random, ["I've created {noun} {id}", "Your new {noun} is {id}"], { noun, id: recordId })}${readStatus(record) ? ` (status ${readStatus(record)})` : ""}, with ${describeRecord(omitStatus(record), limit + 1, Object.keys(call.args ?? {}))}.`;
  }
  const status = readStatus(record);
  const verb = pastTense(splitWords(plan.main.actionWords.join("_") || plan.main.verb)[0] ?? plan.main.verb);
  const before = ok.filter((entry) => entry.turnIndex < call.turnIndex).map((entry) => unwrapRecord(entry.result) ?? unwrapList(entry.result).find((item) => item.id === record.id)).find((earlier) => earlier?.id === record.id);
  const statusChanged = status !== undefined && (!before || readStatus(before) !== status);
  if (status && !statusChanged) {
    const amounts = Object.entries(call.args ?? {})
      .filter(([key]) => key !== plan.main.idParam?.name && !(key.replace(/^new_/, "") in record))
      .map(([key, value]) => `${humanize(key)} ${formatValue(value)}`);
    const detail = amounts.length ? ` (${joinList(amounts)})` : "";
    return `${describeSearch(plan, ok)}${pickPhrase(random, ["Done — I've {verb} {noun} {id}{detail}. Its status is still {status}.", "All set: {noun} {id} has been {verb}{detail}; it remains {status}."], { verb, noun, id: recordId, detail, status })}${describeChangedFields(call, record, plan) ? ` ${describeChangedFields(call, record, plan)}` : ""}${checked}`;
  }
  const opener = status
    ? pickPhrase(random, ["Done — {noun} {id} is now {status}.", "All set: {noun} {id} now has status {status}.", "That's taken care of. {Noun} {id} is now {status}."], { noun, Noun: capitalize(noun), id: recordId, status })
    : pickPhrase(random, ["Done — I've {verb} {noun} {id}.", "All set: {noun} {id} has been {verb}."], { noun, id: recordId, verb });
  const changes = describeChangedFields(call, record, plan);
  const details = limit >= 5 ? ` Current details: ${describeRecord(omitStatus(record), limit)}.` : "";
  return `${describeSearch(plan, ok)}${opener}${changes ? ` ${changes}` : ""}${details}${checked}`;
}

/** A change whose answer came back empty: what the record shows now, if it was looked up again. */
function summarizeUnclearWrite(plan: AgentPlan, call: CallRecord, record: JsonObject | undefined, ok: readonly CallRecord[], random: Random): string {
  const noun = describeEntity(plan.main);
  if (!record) return phraseUnconfirmed(call, random);
  const before = ok.filter((entry) => entry.turnIndex < call.turnIndex).map((entry) => unwrapRecord(entry.result)).find((earlier) => earlier?.id === record.id);
  const status = readStatus(record);
  const changed = before ? stableStringify(omitKeys(before)) !== stableStringify(omitKeys(record)) : true;
  if (changed) return `The system's answer to the change was empty, so I looked ${noun} ${String(record.id)} up again: the change went through${status ? ` and it is now ${status}` : ""}.`;
  return `The system's answer to the change was empty, and when I looked ${noun} ${String(record.id)} up again it was unchanged${status ? ` (still ${status})` : ""}, so the change did not go through. Please try again a little later.`;
}

function phraseUnconfirmed(call: CallRecord, random: Random): string {
  return pickPhrase(random, ["I sent the request ({tool}), but the system sent back an empty response, so I can't confirm it went through. Please check again later before trying again."], { tool: call.name });
}

function omitKeys(record: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !/(updated_at|modified)/.test(key)));
}

function describeChangedFields(call: CallRecord, record: JsonObject, plan: AgentPlan): string {
  const parts = Object.keys(call.args ?? {})
    .filter((key) => key !== plan.main.idParam?.name && !/^(status|state|note|notes|reason|comment)$/.test(key))
    .map((key) => key.replace(/^new_/, ""))
    .filter((field) => field in record)
    .map((field) => `its ${humanize(field)} is now ${formatValue(record[field])}`);
  if (parts.length === 0) return "";
  return `${capitalize(joinList(parts))}.`;
}

function omitStatus(record: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !/(^|_)(status|state)$/.test(key)));
}

function findMentionedFields(record: JsonObject, goalText: string): string[] {
  const text = ` ${splitWords(goalText).join(" ")} `;
  return Object.keys(record).filter((key) => key !== "id" && text.includes(` ${humanize(key).toLowerCase()} `));
}

function summarizeReads(plan: AgentPlan, view: ConversationView, ok: readonly CallRecord[], requestText: string, limit: number): string {
  const names = new Set((plan.reads ?? [{ tool: plan.main }]).map((read) => read.tool.name));
  const records = new Map<string, JsonObject>();
  for (const call of ok.filter((entry) => names.has(entry.name))) {
    const record = unwrapRecord(call.result);
    if (record) records.set(String(record.id), record);
  }
  const lines = [...records.values()].map((record) => {
    const mentioned = findMentionedFields(record, requestText);
    return `${String(record.id)}: ${describeRecord(record, mentioned.length > 0 ? mentioned.length : limit, mentioned)}`;
  });
  const missed = [...new Set(view.calls.filter((call) => !call.ok && names.has(call.name)).flatMap((call) => Object.values(call.args ?? {}).filter((value): value is string => typeof value === "string")))].filter((id) => !records.has(id));
  const note = missed.length ? ` I couldn't retrieve ${joinList(missed)} just now (the system did not answer); please ask again a little later for ${missed.length === 1 ? "it" : "them"}.` : "";
  if (lines.length === 0) return `I couldn't retrieve those records.${note}`;
  return `${names.size === 1 ? `Here's where your ${pluralize(describeEntity(plan.main))} stand — ${lines.join("; ")}.` : `Here's what I found — ${lines.join("; ")}.`}${note}`;
}

function summarizeSearch(plan: AgentPlan, ok: readonly CallRecord[], limit: number): string {
  const call = findLastCall(ok, plan.main.name);
  const plural = pluralize(describeEntity(plan.main));
  if (!call) return `I couldn't search the ${plural} just now.`;
  const found = unwrapList(call.result);
  if (found.length === 0) {
    const free = describeFreeResult(call.result);
    return free ? `Here's what I found${describeFilters(call)}: ${free}.` : `I couldn't find any ${plural}${describeFilters(call)}.`;
  }
  // A record without an id ("a node") is named by its name or title, and described by its other fields.
  const items = found.slice(0, 5).map((record) => {
    const label = ["id", "name", "title"].find((key) => typeof record[key] === "string" || typeof record[key] === "number");
    if (!label) return describeRecord(record, Math.max(1, limit - 1));
    const { [label]: name, ...rest } = record;
    return `${String(name)} (${describeRecord(rest, Math.max(1, limit - 1))})`;
  });
  return `I found ${found.length} ${found.length === 1 ? describeEntity(plan.main) : plural}${describeFilters(call)}: ${items.join("; ")}.`;
}

function summarizeRead(plan: AgentPlan, ok: readonly CallRecord[], limit: number, goalText: string): string {
  const call = findLastCall(ok, plan.main.name);
  if (!call) return "I couldn't retrieve that record.";
  const record = unwrapRecord(call.result);
  if (!record) return `Here's what I found: ${describeFreeResult(call.result) ?? describeRecord((call.result ?? {}) as JsonObject, limit + 1)}.`;
  const noun = describeEntity(plan.main);
  const found = plan.searchFirst ? `I found your ${noun} using the details you gave. ` : "";
  const status = readStatus(record);
  const rest = describeRecord(omitStatus(record), limit, findMentionedFields(record, goalText));
  return `${found}${capitalize(noun)} ${String(record.id)}${status ? ` is currently ${status}` : " details"}${rest ? `; ${rest}` : ""}.`;
}

import type { JsonObject } from "../../../domain/common.js";
import type { Random } from "../../../support/random.js";
import type { CallRecord, ConversationView } from "./agent-conversation.js";
import type { AgentPlan } from "./agent-planner.js";
import type { Verbosity } from "./agent-prompt.js";
import { pickClosingLine, describeRecord, pickFieldLimit, describeEntity, readStatus, unwrapList, unwrapRecord } from "./agent-replies.js";
import { describeFreeResult } from "./free-results.js";
import { capitalize, formatValue, humanize, joinList, pastTense, pickPhrase, pluralize, splitWords } from "./text.js";
import { isObject } from "../../../support/is-object.js";

/*
 * The final answer: one summary of what happened, built from the results of the calls made for this
 * request (ids, statuses and the fields that changed), never from what the agent meant to do.
 */

export function summarizeOutcome(plan: AgentPlan, view: ConversationView, verbosity: Verbosity, random: Random): string {
  const ok = view.calls.filter((call) => call.ok);
  const limit = pickFieldLimit(verbosity);
  let body: string;
  switch (plan.shape) {
    case "write":
      body = summarizeWrite(plan, ok, limit, random);
      break;
    case "compare":
      body = summarizeComparison(plan, ok, view.goalText, limit);
      break;
    case "search":
      body = summarizeSearch(plan, ok, limit);
      break;
    case "read":
      body = summarizeRead(plan, ok, limit, view.goalText);
      break;
  }
  return `${body}${pickClosingLine(verbosity, random)}`;
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

function summarizeWrite(plan: AgentPlan, ok: readonly CallRecord[], limit: number, random: Random): string {
  const call = findLastCall(ok, plan.main.name);
  if (!call) return "I wasn't able to complete the change.";
  const noun = describeEntity(plan.main);
  const record = unwrapRecord(call.result);
  const result = isObject(call.result) ? call.result : undefined;
  const done = random.pick(["Done — ", "All set: "]);
  if (result?.deleted === true) return `${done}${noun} ${formatValue(result.id)} has been deleted and no longer appears in our records.`;
  if (!record) {
    const free = describeFreeResult(call.result);
    return `${done}${plan.main.name} went through${free ? `: ${free}` : result ? `: ${describeRecord(result, limit)}` : ""}.`;
  }
  const id = String(record.id);
  if (plan.main.operation === "create") {
    return `${describeSearch(plan, ok)}${pickPhrase(random, ["I've created {noun} {id}", "Your new {noun} is {id}"], { noun, id })}${readStatus(record) ? ` (status ${readStatus(record)})` : ""}, with ${describeRecord(omitStatus(record), limit + 1, Object.keys(call.args ?? {}))}.`;
  }
  const status = readStatus(record);
  const verb = pastTense(splitWords(plan.main.actionWords.join("_") || plan.main.verb)[0] ?? plan.main.verb);
  const before = ok.filter((entry) => entry !== call).map((entry) => unwrapRecord(entry.result)).find((earlier) => earlier?.id === record.id);
  const statusChanged = status !== undefined && (!before || readStatus(before) !== status);
  if (status && !statusChanged) {
    const amounts = Object.entries(call.args ?? {})
      .filter(([key]) => key !== plan.main.idParam?.name && !(key.replace(/^new_/, "") in record))
      .map(([key, value]) => `${humanize(key)} ${formatValue(value)}`);
    const detail = amounts.length ? ` (${joinList(amounts)})` : "";
    return `${describeSearch(plan, ok)}${pickPhrase(random, ["Done — I've {verb} {noun} {id}{detail}. Its status is still {status}.", "All set: {noun} {id} has been {verb}{detail}; it remains {status}."], { verb, noun, id, detail, status })}${describeChangedFields(call, record, plan) ? ` ${describeChangedFields(call, record, plan)}` : ""}`;
  }
  const opener = status
    ? pickPhrase(random, ["Done — {noun} {id} is now {status}.", "All set: {noun} {id} now has status {status}.", "That's taken care of. {Noun} {id} is now {status}."], { noun, Noun: capitalize(noun), id, status })
    : pickPhrase(random, ["Done — I've {verb} {noun} {id}.", "All set: {noun} {id} has been {verb}."], { noun, id, verb });
  const changes = describeChangedFields(call, record, plan);
  const details = limit >= 5 ? ` Current details: ${describeRecord(omitStatus(record), limit)}.` : "";
  return `${describeSearch(plan, ok)}${opener}${changes ? ` ${changes}` : ""}${details}`;
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

function summarizeComparison(plan: AgentPlan, ok: readonly CallRecord[], goalText: string, limit: number): string {
  const records = new Map<string, JsonObject>();
  for (const call of ok.filter((entry) => entry.name === plan.main.name)) {
    const record = unwrapRecord(call.result);
    if (record) records.set(String(record.id), record);
  }
  const lines = [...records.values()].map((record) => {
    const mentioned = findMentionedFields(record, goalText);
    return `${String(record.id)}: ${describeRecord(record, mentioned.length > 0 ? mentioned.length : limit, mentioned)}`;
  });
  if (lines.length === 0) return "I couldn't retrieve either record.";
  return `Here's how your ${pluralize(describeEntity(plan.main))} compare — ${lines.join("; ")}.`;
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
  const items = found.slice(0, 5).map((record) => `${String(record.id)} (${describeRecord(record, Math.max(1, limit - 1))})`);
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

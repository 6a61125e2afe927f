import type { JsonObject } from "../../../domain/common.js";
import type { ModelRequest } from "../../language-model.js";
import type { Random } from "../../../support/random.js";
import { say, type AgentDecision, type PlannedCall } from "./agent-decision.js";
import { fillArguments, type Evidence } from "./agent-arguments.js";
import { answerFromRules, findEligibilityViolation, findLimitViolation, holdRefusal, refuseForIdentity, refuseForLimit, refuseForStatus, violatesIdentity } from "./agent-checks.js";
import { readConversation, type CallRecord, type ConversationView } from "./agent-conversation.js";
import { planRequest, type AgentPlan } from "./agent-planner.js";
import { readVerbosity, wantsConfirmation } from "./agent-prompt.js";
import { recoverFromFailure, refetchTruncated } from "./agent-recovery.js";
import {
  askConfirmation,
  askForDetails,
  askForIds,
  askForSearchFilter,
  askWhichRecord,
  describeRecord,
  phraseCannotProceed,
  phraseClarification,
  phraseConditionChoice,
  phraseDecline,
  phraseFailure,
  phraseNoMatch,
  phraseNoTools,
  prefaceFor,
  unwrapList,
  unwrapRecord,
} from "./agent-replies.js";
import { conditionHolds, findUserEmail, readRequest, withoutCondition, type RequestReading } from "./agent-requests.js";
import { summarizeOutcome } from "./agent-summary.js";
import { readBusinessRules, type RuleBook } from "./business-rules.js";
import { findEmailParam, analyzeTool, isWriteOperation, type ToolAnatomy, type ToolParam } from "./tool-anatomy.js";
import { formatValue, humanize, splitWords } from "./text.js";
import { extractIds, isAffirmative, isNegative, saysUnknown } from "./value-extraction.js";
import { readSchemaEnum } from "./schema-values.js";
import { isObject } from "../../../support/is-object.js";

/*
 * The agent: a competent tool user that sees only its system prompt, the conversation and the tool list, like
 * a real model. Each turn it re-reads the conversation and its rules, works out the current request (the
 * latest change of mind wins; a condition picks between two changes; several requests said together are
 * handled in order), and takes the next step: ask for a missing detail, look records up (independent look-ups
 * in parallel), ask which record when two match, refuse what a rule forbids and say why, confirm before a
 * write when its rules say so, write, look the record up again when its rules say so, recover from a tool
 * error — or answer, from the tool results alone (or from its rules, when no tool is needed).
 */

const CONFIRMATION_ASKED = /(shall i go ahead|do you want me to proceed|is that correct\?)/i;
const REFUSED = /(i haven't changed anything|i haven't made any change|i haven't shared or changed anything|can't share or change anything)/i;
const PUSH_BACK = /(way around|make an exception|anything you can do)/i;
const MAX_QUESTIONS = 5;

interface TurnContext {
  view: ConversationView;
  tools: ToolAnatomy[];
  book: RuleBook;
  reading: RequestReading;
  confirm: boolean;
  parallel: boolean;
  email: string | undefined;
  random: Random;
}

/** A request's next step: calls to make, words to say, or its outcome when it is done. */
/** A step; a question for records' ids says which look-ups it asks for (`asks`), so two requests' questions become one. */
type Step = { kind: "calls"; calls: PlannedCall[]; preface?: string | null | undefined } | { kind: "say"; text: string; asks?: ToolAnatomy[] } | { kind: "done"; summary: string };

export function decideAgentTurn(request: ModelRequest, random: Random): AgentDecision {
  const view = readConversation(request.messages);
  const tools = (request.tools ?? []).map(analyzeTool);
  if (tools.length === 0 || request.toolChoice === "none") return say(phraseNoTools(view.lastUserText, random));
  const book = readBusinessRules(view.systemPrompt);
  const reading = readRequest(view);
  const context: TurnContext = { view, tools, book, reading, confirm: wantsConfirmation(view.systemPrompt), parallel: request.parallelToolCalls !== false, email: findUserEmail(view), random };
  const recovery = recoverFromFailures(view.lastBatch.filter((call) => !call.ok), context);
  if (recovery) return recovery;
  const refetch = refetchTruncated(view, tools, random);
  if (refetch) return refetch;
  const last = view.lastAssistantText;
  const pushedBack = Boolean(last?.answered && REFUSED.test(last.text) && PUSH_BACK.test(view.lastUserText));
  if (last?.answered && CONFIRMATION_ASKED.test(last.text) && !reading.changedMindNow && isNegative(view.lastUserText) && !isAffirmative(view.lastUserText)) return say(phraseDecline(random));
  if (reading.policyQuestion) {
    const answer = answerFromRules(reading.text, book, tools, random);
    if (answer) return say(answer);
  }
  const everything = [...view.earlierUserTexts, ...view.userTexts].join(" ");
  const plans = reading.parts.map((part) => planRequest(part, everything, tools)).filter((plan): plan is AgentPlan => plan !== undefined);
  if (plans.length === 0) return say(answerFromRules(reading.text, book, tools, random) ?? phraseClarification(tools, random));
  const { done, ...decision } = combineSteps(plans.map((plan) => nextStep(plan, context)), context);
  if (pushedBack) return say(holdRefusal(book, decision.calls.length === 0 && decision.content && REFUSED.test(decision.content) ? decision.content : undefined, random));
  if (!done || view.requestStart === 0) return decision;
  const recap = recapEarlierRequests(request.messages, view.requestStart, random);
  return recap ? { ...decision, content: `${decision.content ?? ""} ${recap}`.trim() } : decision;
}

/**
 * When the user made earlier requests in this conversation, the answer to the last one ends with where each
 * record they touched stands now, from the latest tool results, so the final message sums up the conversation.
 */
function recapEarlierRequests(messages: ModelRequest["messages"], requestStart: number, random: Random): string | undefined {
  const whole = readConversation(messages, true);
  const earlier = whole.calls.filter((call) => call.ok && call.turnIndex < requestStart);
  const ids = [...new Set(earlier.flatMap((call) => [unwrapRecord(call.result)?.id, ...unwrapList(call.result).map((record) => record.id)]).filter((id): id is string => typeof id === "string"))];
  const current = new Set(whole.calls.filter((call) => call.turnIndex >= requestStart).flatMap((call) => Object.values(call.args ?? {})));
  const asked = splitWords(whole.userTexts.slice(0, whole.userTexts.length).join(" ")).join(" ");
  const lines = ids.filter((id) => !current.has(id) && earlier.some((call) => Object.values(call.args ?? {}).includes(id))).flatMap((id) => {
    const record = [...whole.calls].reverse().filter((call) => call.ok).map((call) => unwrapRecord(call.result) ?? unwrapList(call.result).find((item) => item.id === id)).find((found) => found?.id === id);
    if (!record) return [];
    const status = Object.keys(record).filter((key) => /(^|_)(status|state)$/.test(key));
    const changed = earlier.filter((call) => Object.values(call.args ?? {}).includes(id)).flatMap((call) => Object.keys(call.args ?? {}).map((key) => key.replace(/^new_/, "")));
    const mentioned = Object.keys(record).filter((key) => key !== "id" && !status.includes(key) && (changed.includes(key) || (!/email/.test(key) && ` ${asked} `.includes(` ${humanize(key).toLowerCase()} `))));
    const shown = [...status, ...mentioned];
    return [`${id}: ${describeRecord(record, Math.max(1, shown.length), shown)}`];
  });
  if (lines.length === 0) return undefined;
  return `${random.pick(["To sum up your earlier request:", "As for what we did earlier:", "And from earlier:"])} ${lines.join("; ")}.`;
}

/** After failed calls: retry those worth retrying together, else the first one's answer; undefined to carry on. */
function recoverFromFailures(failed: readonly CallRecord[], context: TurnContext): AgentDecision | undefined {
  const decisions = failed.map((call) => recoverFromFailure(call, context.view, context.tools, context.book, context.random)).filter((decision): decision is AgentDecision => decision !== undefined);
  const [first] = decisions;
  if (!first) return undefined;
  if (decisions.every((decision) => decision.calls.length > 0)) {
    const calls = decisions.flatMap((decision) => decision.calls);
    return { content: first.content, calls: context.parallel ? calls : calls.slice(0, 1) };
  }
  return decisions.find((decision) => decision.calls.length === 0) ?? first;
}

/** The first unfinished request's step; look-ups of the requests after it join it when they are ready too. */
/** The turn's decision; `done` when it is the outcome of every request (nothing left to ask or call). */
function combineSteps(steps: Step[], context: TurnContext): AgentDecision & { done?: boolean } {
  const summaries: string[] = [];
  for (const [index, step] of steps.entries()) {
    if (step.kind === "done") {
      summaries.push(step.summary);
      continue;
    }
    if (step.kind === "say") {
      // Two requests made at once whose records are both unknown: ask for both ids in one question.
      const asks = step.asks ? [...step.asks, ...steps.slice(index + 1).flatMap((later) => (later.kind === "say" && later.asks ? later.asks : []))] : [];
      const distinct = [...new Map(asks.map((tool) => [tool.entityName, tool])).values()];
      return say(distinct.length > 1 ? askForIds(distinct, false, asksIdentity(context), context.random) : step.text);
    }
    const calls = [...step.calls];
    if (context.parallel) {
      for (const later of steps.slice(index + 1)) if (later.kind === "calls" && later.calls.every((call) => isReadCall(call, context))) calls.push(...later.calls);
    }
    return { content: step.preface ?? null, calls: context.parallel ? calls : calls.slice(0, 1) };
  }
  return { ...say(summaries.join(" ")), done: true };
}

function isReadCall(call: PlannedCall, context: TurnContext): boolean {
  const tool = context.tools.find((candidate) => candidate.name === call.name);
  return tool !== undefined && !isWriteOperation(tool.operation);
}

function nextStep(plan: AgentPlan, context: TurnContext): Step {
  if (plan.shape === "reads") return readsStep(plan, context);
  if (plan.shape === "write") return writeStep(plan, context);
  return readStep(plan, context);
}

function okCalls(context: TurnContext, name?: string): CallRecord[] {
  return context.view.calls.filter((call) => call.ok && (name === undefined || call.name === name));
}

function calledWith(call: CallRecord, tool: ToolAnatomy, id: string): boolean {
  return call.name === tool.name && tool.idParam !== undefined && call.args?.[tool.idParam.name] === id;
}

/** The latest record with this id among successful results (a look-up, a change, a search); `first`: the earliest, as it was before any change. */
function latestRecord(context: TurnContext, id: string, first = false): JsonObject | undefined {
  const calls = okCalls(context);
  for (const call of first ? calls : [...calls].reverse()) {
    const record = unwrapRecord(call.result);
    if (record?.id === id) return record;
    const listed = unwrapList(call.result).find((item) => item.id === id);
    if (listed) return listed;
  }
  return undefined;
}

/** What the conversation gives for arguments; `extra` is a request's own words (a condition's alternative). */
function evidenceFor(context: TurnContext, preferredIds: string[] = [], extra: string[] = []): Evidence {
  const results = okCalls(context).map((call) => call.result).filter((result) => result !== undefined);
  return { userTexts: [...context.view.earlierUserTexts, ...context.view.userTexts.map(withoutCondition), ...extra], results, preferredIds, excludedIds: context.view.earlierCallIds };
}

/** Ids the user named for this tool's entity, the current request's first, never ones an earlier request was about. */
function namedIds(context: TurnContext, tool: ToolAnatomy): string[] {
  const prefix = tool.idPrefix;
  const fits = (id: string): boolean => (prefix ? id.startsWith(`${prefix}-`) : true) && !context.view.earlierCallIds.has(id);
  const current = context.view.userTexts.flatMap(extractIds).filter(fits);
  const earlier = context.view.earlierUserTexts.flatMap(extractIds).filter(fits);
  return [...new Set([...current, ...earlier])];
}

/** Look a record up, unless that look-up already failed twice: then say so. */
function lookUp(tool: ToolAnatomy, id: string, context: TurnContext): Step {
  const failures = context.view.calls.filter((call) => !call.ok && calledWith(call, tool, id));
  const last = failures[failures.length - 1];
  if (last && failures.length >= 2) return { kind: "say", text: phraseFailure(last, failures.length, context.random) };
  return { kind: "calls", calls: [{ name: tool.name, args: { [tool.idParam?.name ?? "id"]: id } }], preface: prefaceFor(tool, context.random) };
}

function asksIdentity(context: TurnContext): boolean {
  return context.book.identity && context.email === undefined;
}

/** Ask for what is missing: the record ids (and the email, when the rules check identity). */
function askForRecord(tools: readonly ToolAnatomy[], context: TurnContext, plural = false): Step {
  if (context.view.questionsAsked >= MAX_QUESTIONS || (context.view.lastAssistantText?.answered && saysUnknown(context.view.lastUserText) && context.view.questionsAsked > 0 && !tools.some((tool) => tool.operation === "search"))) {
    const main = tools[0] as ToolAnatomy;
    return { kind: "say", text: phraseCannotProceed(main.idParam ? [main.idParam] : [], main, context.random) };
  }
  return { kind: "say", text: askForIds(tools, plural, asksIdentity(context), context.random), asks: plural ? undefined : [...tools] };
}

/** The record a write or look-up is about: an id the user gave, else the one a search found (asking which when several match). */
function findTarget(plan: AgentPlan, tool: ToolAnatomy, context: TurnContext): { id: string } | { step: Step } {
  const named = namedIds(context, tool);
  if (named[0]) return { id: named[0] };
  // An id without a pattern ("The library ID is react-docs") is found by its label.
  const labelled = tool.idParam && !tool.idPrefix ? fillArguments(tool, evidenceFor(context)).args[tool.idParam.name] : undefined;
  if (typeof labelled === "string") return { id: labelled };
  const search = plan.searchFirst ? plan.steps[0] : undefined;
  if (!search || search.operation !== "search") return named[0] ? { id: named[0] } : { step: askForRecord([tool], context) };
  const done = [...okCalls(context, search.name)].reverse()[0];
  if (!done) {
    const filled = fillArguments(search, evidenceFor(context));
    if (Object.keys(filled.args).length === 0) {
      const filter = findEmailParam(search) ?? search.params.find((param) => /name/.test(param.name)) ?? search.params.find((param) => param.name !== "limit" && !readSchemaEnum(param.schema));
      return { step: { kind: "say", text: filter ? askForSearchFilter(filter, search, context.random) : askForDetails(search.params.slice(0, 1), context.random) } };
    }
    return { step: { kind: "calls", calls: [{ name: search.name, args: filled.args }], preface: prefaceFor(search, context.random) } };
  }
  const found = unwrapList(done.result).filter((record) => typeof record.id === "string");
  if (found.length === 0) return { step: { kind: "say", text: phraseNoMatch(search, done, context.random) } };
  if (found.length === 1) return { id: String((found[0] as JsonObject).id) };
  const opened = okCalls(context).find((call) => call.turnIndex > done.turnIndex && found.some((record) => calledWith(call, tool, String(record.id))));
  if (opened && tool.idParam) return { id: String(opened.args?.[tool.idParam.name]) };
  const chosen = context.view.userTurns.filter((turn) => turn.index > done.turnIndex).map((turn) => chooseRecord(found, turn.text)).find((id) => id !== undefined);
  return chosen ? { id: chosen } : { step: { kind: "say", text: askWhichRecord(search, found, context.random) } };
}

/** The record a user's words point at among several: by id, or by a value only it has. */
function chooseRecord(records: readonly JsonObject[], text: string): string | undefined {
  const byId = records.find((record) => text.includes(String(record.id)));
  if (byId) return String(byId.id);
  const distinct = Object.keys(records[0] ?? {}).filter((key) => key !== "id" && new Set(records.map((record) => JSON.stringify(record[key]))).size === records.length);
  const lowered = text.toLowerCase();
  const matches = records.filter((record) => distinct.some((key) => {
    const value = formatValue(record[key] as never).toLowerCase();
    return value.length >= 2 && (lowered.includes(value) || lowered.includes(humanize(value).toLowerCase()));
  }));
  return matches.length === 1 ? String((matches[0] as JsonObject).id) : undefined;
}

function readStep(plan: AgentPlan, context: TurnContext): Step {
  const tool = plan.main;
  if (!tool.idParam) return freeStep(plan, tool, context);
  const target = findTarget(plan, tool, context);
  if ("step" in target) return target.step;
  if (asksIdentity(context)) return { kind: "say", text: askForIds([], false, true, context.random) };
  if (!okCalls(context).some((call) => calledWith(call, tool, target.id))) return lookUp(tool, target.id, context);
  if (violatesIdentity(context.book, latestRecord(context, target.id, true), context.email)) return { kind: "say", text: refuseForIdentity(tool, target.id, context.random) };
  return { kind: "done", summary: summarizeOutcome({ ...plan, main: tool }, context.view, readVerbosity(context.view.systemPrompt), context.random, context.reading.text) };
}

/** A tool that selects no record by id (a search, a free function): fill its arguments, ask for what is missing, call it, report. */
function freeStep(plan: AgentPlan, tool: ToolAnatomy, context: TurnContext): Step {
  if (okCalls(context, tool.name).length > 0) return { kind: "done", summary: summarizeOutcome(plan, context.view, readVerbosity(context.view.systemPrompt), context.random, context.reading.text) };
  const filled = fillArguments(tool, evidenceFor(context));
  if (filled.missing.length > 0) return { kind: "say", text: askMissing(filled.missing, tool, context) };
  if (tool.operation === "search" && Object.keys(filled.args).length === 0) {
    const filter = findEmailParam(tool);
    const askedBefore = context.view.assistantTexts.some((text) => text.includes("?"));
    if (filter && !askedBefore) return { kind: "say", text: askForSearchFilter(filter, tool, context.random) };
  }
  if (!tool.readOnly && context.confirm && !isConfirmed(context)) return { kind: "say", text: askConfirmation(tool, filled.args, undefined, context.random) };
  return { kind: "calls", calls: [{ name: tool.name, args: filled.args }], preface: prefaceFor(tool, context.random) };
}

function askMissing(missing: readonly ToolParam[], tool: ToolAnatomy, context: TurnContext, newValues = false): string {
  const last = context.view.lastAssistantText;
  const askedThese = last?.answered === true && missing.some((param) => last.text.toLowerCase().includes(humanize(param.name).toLowerCase()));
  const gaveUp = (askedThese && saysUnknown(context.view.lastUserText)) || context.view.questionsAsked >= MAX_QUESTIONS;
  return gaveUp ? phraseCannotProceed(missing, tool, context.random) : askForDetails(missing, context.random, newValues);
}

function joinSentences(...parts: string[]): string {
  return parts.filter((part) => part.length > 0).join(" ");
}

function readsStep(plan: AgentPlan, context: TurnContext): Step {
  const reads = plan.reads ?? [{ tool: plan.main, count: 0 }];
  const wanted = reads.map(({ tool, count }) => ({ tool, ids: namedIds(context, tool), count }));
  const short = wanted.filter((entry) => entry.ids.length === 0 || entry.ids.length < entry.count);
  if (short.length > 0) return askForRecord(short.map((entry) => entry.tool), context, reads.length === 1);
  if (asksIdentity(context)) return { kind: "say", text: askForIds([], false, true, context.random) };
  const givenUp = (tool: ToolAnatomy, id: string): boolean => context.view.calls.filter((call) => !call.ok && calledWith(call, tool, id)).length >= 2;
  const pending = wanted.flatMap(({ tool, ids }) => ids.filter((id) => !givenUp(tool, id) && !okCalls(context).some((call) => calledWith(call, tool, id))).map((id) => ({ name: tool.name, args: { [tool.idParam?.name ?? "id"]: id } })));
  if (pending.length > 0) return { kind: "calls", calls: pending, preface: prefaceFor(plan.main, context.random) };
  const mismatched = wanted.flatMap(({ tool, ids }) => ids.filter((id) => violatesIdentity(context.book, latestRecord(context, id, true), context.email)).map((id) => ({ tool, id })));
  const first = mismatched[0];
  if (first) return { kind: "say", text: refuseForIdentity(first.tool, first.id, context.random) };
  return { kind: "done", summary: summarizeOutcome(plan, context.view, readVerbosity(context.view.systemPrompt), context.random, context.reading.text) };
}

function writeStep(plan: AgentPlan, context: TurnContext): Step {
  const { book, reading, random } = context;
  const get = plan.steps.find((step) => step.operation === "read" && step.idParam);
  let write = plan.main;
  if (!write.idParam) return freeStep(plan, write, context);
  const target = findTarget(plan, get ?? write, context);
  if ("step" in target) return target.step;
  const id = target.id;
  if (asksIdentity(context)) return { kind: "say", text: askForIds([], false, true, random) };
  const early = findLimitViolation(book, write, fillArguments(write, evidenceFor(context, [id])).args);
  if (early) return { kind: "say", text: refuseForLimit(early, write, random) };
  if (get && !okCalls(context).some((call) => calledWith(call, get, id))) return lookUp(get, id, context);
  const record = latestRecord(context, id);
  if (violatesIdentity(book, latestRecord(context, id, true), context.email)) return { kind: "say", text: refuseForIdentity(write, id, random) };
  let preface = "";
  let alternativeWords: string[] = [];
  if (reading.condition && record) {
    const holds = conditionHolds(reading.condition, record);
    if (holds) {
      const sameEntity = context.tools.filter((tool) => tool.idPrefix === undefined || tool.idPrefix === write.idPrefix);
      const alternative = planRequest(reading.condition.alternative, reading.condition.alternative, sameEntity);
      if (alternative?.shape === "write" && alternative.main.idParam) {
        write = alternative.main;
        alternativeWords = [reading.condition.alternative];
      }
    }
    if (holds !== undefined) preface = phraseConditionChoice(reading.condition, record, holds, random);
  }
  const written = context.view.calls.filter((call) => calledWith(call, write, id) && (call.ok || call.errorCode === "empty_response"));
  if (reading.leave || (written.length === 0 && writeAbandoned(context))) {
    return { kind: "done", summary: summarizeOutcome({ shape: "read", main: get ?? write, steps: [get ?? write], searchFirst: false }, context.view, readVerbosity(context.view.systemPrompt), random, reading.text) };
  }
  if (written.length === 0) {
    const violation = findEligibilityViolation(book, write, record);
    if (violation && record) return { kind: "say", text: refuseForStatus(violation, write, record, random) };
    const filled = keepRequested(write, fillArguments(write, evidenceFor(context, [id], alternativeWords)), [reading.text, ...alternativeWords].join(" "));
    const idParam = write.idParam;
    if (idParam) filled.args[idParam.name] = id;
    const missing = [...filled.missing.filter((param) => param !== idParam), ...unfilledMentionedFields(write, filled.args, context.reading.text)];
    if (missing.length > 0) return { kind: "say", text: joinSentences(preface, askMissing(missing, write, context, write.operation === "update")) };
    const limit = findLimitViolation(book, write, filled.args);
    if (limit) return { kind: "say", text: refuseForLimit(limit, write, random) };
    if (context.confirm && !isConfirmed(context)) return { kind: "say", text: joinSentences(preface, askConfirmation(write, filled.args, record, random)) };
    return { kind: "calls", calls: [{ name: write.name, args: filled.args }], preface: (!context.confirm && preface) || prefaceFor(write, random) };
  }
  const lastWrite = written[written.length - 1] as CallRecord;
  const removed = isObject(lastWrite.result) && lastWrite.result.deleted === true;
  const readBacks = context.view.calls.filter((call) => get !== undefined && calledWith(call, get, id) && call.turnIndex > lastWrite.turnIndex);
  const readBackDone = readBacks.some((call) => call.ok) || readBacks.length >= 2;
  if (book.readBack && get && !removed && !readBackDone) {
    return { kind: "calls", calls: [{ name: get.name, args: { [get.idParam?.name ?? "id"]: id } }], preface: random.chance(0.5) ? "Let me check the record again to confirm the change." : null };
  }
  return { kind: "done", summary: summarizeOutcome({ ...plan, main: write }, context.view, readVerbosity(context.view.systemPrompt), random, reading.text) };
}

/** An edit changes only the fields the request names (and the required ones): details said for other things stay out. */
function keepRequested(tool: ToolAnatomy, filled: ReturnType<typeof fillArguments>, requestText: string): ReturnType<typeof fillArguments> {
  if (tool.operation !== "update") return filled;
  const words = ` ${splitWords(requestText).join(" ")} `;
  const named = (param: ToolParam): boolean => param.required || param === tool.idParam || words.includes(` ${humanize(param.name.replace(/^new_/, "")).toLowerCase()} `) || (readSchemaEnum(param.schema) !== undefined && /(status|state)$/.test(param.name));
  const args = Object.fromEntries(Object.entries(filled.args).filter(([name]) => tool.params.some((param) => param.name === name && named(param))));
  return { ...filled, args };
}

/** Fields of an update tool the user named ("change the shipping city") but gave no value for yet. */
function unfilledMentionedFields(tool: ToolAnatomy, args: JsonObject, text: string): ToolParam[] {
  if (tool.operation !== "update") return [];
  const words = ` ${splitWords(text).join(" ")} `;
  return tool.params.filter((param) => !param.required && param !== tool.idParam && !/^(note|notes|reason)$/.test(param.name) && words.includes(` ${humanize(param.name).toLowerCase()} `) && args[param.name] === undefined);
}

/** The user declined the change they were asked to confirm (and did not ask for another). */
function writeAbandoned(context: TurnContext): boolean {
  const last = context.view.lastAssistantText;
  return Boolean(last?.answered && CONFIRMATION_ASKED.test(last.text) && !context.reading.changedMindNow && isNegative(context.view.lastUserText) && !isAffirmative(context.view.lastUserText));
}

function isConfirmed(context: TurnContext): boolean {
  const last = context.view.lastAssistantText;
  return Boolean(last?.answered && CONFIRMATION_ASKED.test(last.text) && !context.reading.changedMindNow && isAffirmative(context.view.lastUserText));
}

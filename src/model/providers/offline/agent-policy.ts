import type { JsonObject } from "../../../domain/common.js";
import type { ModelRequest } from "../../language-model.js";
import type { Random } from "../../../support/random.js";
import { say, type AgentDecision, type PlannedCall } from "./agent-decision.js";
import { collectRecordIds, fillArguments, type Evidence } from "./agent-arguments.js";
import { readConversation, type CallRecord, type ConversationView } from "./agent-conversation.js";
import { planRequest, type AgentPlan } from "./agent-planner.js";
import { readVerbosity, wantsConfirmation } from "./agent-prompt.js";
import {
  askConfirmation,
  askForBothIds,
  askForDetails,
  askForSearchFilter,
  phraseCannotProceed,
  phraseClarification,
  phraseDecline,
  phraseNoTools,
  prefaceFor,
  unwrapList,
  unwrapRecord,
} from "./agent-replies.js";
import { hasPartialData, recoverFromFailure, refetchTruncated } from "./agent-recovery.js";
import { summarizeOutcome } from "./agent-summary.js";
import { findEmailParam } from "./task-plans.js";
import { analyzeTool, isWriteOperation, type ToolAnatomy, type ToolParam } from "./tool-anatomy.js";
import { humanize, splitWords } from "./text.js";
import { isAffirmative, isNegative, saysUnknown } from "./value-extraction.js";
import { readSchemaEnum } from "./schema-values.js";
import { stableStringify } from "../../../support/hash.js";

/*
 * The agent: a competent tool user that sees only the messages and the tool list, like a real model.
 * Each turn it re-reads the conversation, plans the request (which tool, which chain), and takes the
 * next step: call the next tool (independent look-ups in parallel), ask for a missing detail, confirm
 * before a write when its prompt says so, recover from a tool error, or summarise the results.
 */

const CONFIRMATION_ASKED = /(shall i go ahead|do you want me to proceed|is that correct\?)/i;
const MAX_QUESTIONS = 5;

export function decideAgentTurn(request: ModelRequest, random: Random): AgentDecision {
  const view = readConversation(request.messages);
  const tools = (request.tools ?? []).map(analyzeTool);
  if (tools.length === 0 || request.toolChoice === "none") return say(phraseNoTools(view.lastUserText, random));
  const plan = planRequest(view.goalText, view.userTexts.join(" "), tools) ?? planRequest(view.userTexts.join(" "), view.userTexts.join(" "), tools);
  if (!plan) return say(phraseClarification(tools, random));
  const failed = view.lastBatch.filter((call) => !call.ok);
  if (failed.length > 0) return recoverFromFailure(failed[0] as CallRecord, view, tools, random);
  const refetch = refetchTruncated(view, tools, random);
  if (refetch) return refetch;
  if (view.lastAssistantText?.answered && CONFIRMATION_ASKED.test(view.lastAssistantText.text) && isNegative(view.lastUserText) && !isAffirmative(view.lastUserText)) {
    return say(phraseDecline(random));
  }
  const pending = skipNeedlessSearch(plan, pendingSteps(plan, view), view);
  const step = pending[0];
  if (!step) return say(`${summarizeOutcome(plan, view, readVerbosity(view.systemPrompt), random)}${hasPartialData(view) ? " Note: the system returned only part of the data, so some details may be missing." : ""}`);
  return takeStep(plan, step, view, request.parallelToolCalls !== false, random);
}

/** Steps of the plan without a successful call yet (a comparison needs two distinct records). */
function pendingSteps(plan: AgentPlan, view: ConversationView): ToolAnatomy[] {
  const ok = view.calls.filter((call) => call.ok);
  if (plan.shape === "compare") {
    const fetched = new Set(ok.filter((call) => call.name === plan.main.name).map((call) => stableStringify(call.args)));
    return plan.steps.slice(Math.min(fetched.size, plan.steps.length));
  }
  let cursor = 0;
  const pending: ToolAnatomy[] = [];
  for (const step of plan.steps) {
    const index = ok.findIndex((call, position) => position >= cursor && call.name === step.name);
    if (index < 0) pending.push(step);
    else cursor = index + 1;
  }
  return pending;
}

/** A search planned because the id seemed unknown is skipped once the user gave the id after all. */
function skipNeedlessSearch(plan: AgentPlan, pending: ToolAnatomy[], view: ConversationView): ToolAnatomy[] {
  const [first, next] = pending;
  if (!plan.searchFirst || first !== plan.steps[0] || !next?.idParam || plan.main.operation === "create") return pending;
  const known = fillArguments(next, { userTexts: view.userTexts, results: [], preferredIds: [], excludedIds: new Set() });
  return known.args[next.idParam.name] !== undefined ? pending.slice(1) : pending;
}

function takeStep(plan: AgentPlan, step: ToolAnatomy, view: ConversationView, parallel: boolean, random: Random): AgentDecision {
  const evidence = gatherEvidence(plan, step, view);
  if (plan.shape === "compare") return takeComparisonStep(plan, step, view, evidence, parallel, random);
  const filled = fillArguments(step, evidence);
  if (step.operation === "search" && Object.keys(filled.args).length === 0) {
    const filter = pickSearchFilter(step);
    const askedBefore = view.assistantTexts.some((text) => text.includes("?") && /\bsearch\b/i.test(text));
    if (filter && !askedBefore && view.questionsAsked < MAX_QUESTIONS) return say(askForSearchFilter(filter, step, random));
  }
  const missing = [...filled.missing, ...unfilledMentionedFields(step, filled.args, view)];
  if (missing.length > 0) {
    const gaveUp = (view.lastAssistantText?.answered && saysUnknown(view.lastUserText)) || view.questionsAsked >= MAX_QUESTIONS;
    return say(gaveUp ? phraseCannotProceed(missing, plan.main, random) : askForDetails(missing, random, step.operation === "update"));
  }
  if (isWriteOperation(step.operation) && wantsConfirmation(view.systemPrompt) && !isConfirmed(view)) {
    return say(askConfirmation(step, filled.args, findCurrentRecord(view, step), random));
  }
  return { content: prefaceFor(step, random), calls: [{ name: step.name, args: filled.args }] };
}

function takeComparisonStep(plan: AgentPlan, step: ToolAnatomy, view: ConversationView, evidence: Evidence, parallel: boolean, random: Random): AgentDecision {
  const first = fillArguments(step, evidence);
  if (first.missing.length > 0) return say(view.questionsAsked >= MAX_QUESTIONS ? phraseCannotProceed(first.missing, plan.main, random) : askForBothIds(step, random));
  const idName = step.idParam?.name;
  const firstId = idName ? String(first.args[idName]) : "";
  const second = fillArguments(step, { ...evidence, excludedIds: new Set([...evidence.excludedIds, firstId]) });
  const remaining = pendingSteps(plan, view).length;
  if (remaining >= 2 && second.missing.length > 0 && evidence.excludedIds.size === 0) return say(askForBothIds(step, random));
  const calls: PlannedCall[] = [{ name: step.name, args: first.args }];
  if (remaining >= 2 && parallel && second.missing.length === 0) calls.push({ name: step.name, args: second.args });
  return { content: prefaceFor(step, random), calls };
}

function gatherEvidence(plan: AgentPlan, step: ToolAnatomy, view: ConversationView): Evidence {
  const ok = view.calls.filter((call) => call.ok);
  const results = ok.map((call) => call.result).filter((result) => result !== undefined);
  const preferredIds: string[] = [];
  const searchStep = plan.searchFirst ? plan.steps[0] : undefined;
  if (searchStep && step !== searchStep) {
    const search = [...ok].reverse().find((call) => call.name === searchStep.name);
    preferredIds.push(...rankSearchResults(search, view.goalText));
  }
  const excludedIds = new Set<string>();
  if (plan.shape === "compare" && step.idParam) {
    for (const call of ok.filter((entry) => entry.name === step.name)) {
      const id = call.args?.[step.idParam.name];
      if (typeof id === "string") excludedIds.add(id);
    }
  }
  return { userTexts: view.userTexts, results, preferredIds, excludedIds };
}

/** Ids from a search result, records with a value the user mentioned (e.g. a status) first. */
function rankSearchResults(search: CallRecord | undefined, goalText: string): string[] {
  if (!search) return [];
  const goal = goalText.toLowerCase();
  const records = unwrapList(search.result);
  const mentioned = records.filter((record) => Object.entries(record).some(([key, value]) => key !== "id" && typeof value === "string" && value.length >= 3 && goal.includes(value.toLowerCase().replace(/_/g, " "))));
  return [...mentioned, ...records].flatMap((record) => collectRecordIds(record).slice(0, 1));
}

/** Fields of an update tool the user named ("change the shipping city") but gave no value for. */
function unfilledMentionedFields(step: ToolAnatomy, args: JsonObject, view: ConversationView): ToolParam[] {
  if (step.operation !== "update") return [];
  const text = ` ${splitWords(view.userTexts.join(" ")).join(" ")} `;
  return step.params.filter(
    (param) => !param.required && param !== step.idParam && !/^(note|notes|reason)$/.test(param.name) && text.includes(` ${humanize(param.name).toLowerCase()} `) && args[param.name] === undefined,
  );
}

function pickSearchFilter(search: ToolAnatomy): ToolParam | undefined {
  return findEmailParam(search) ?? search.params.find((param) => /name/.test(param.name)) ?? search.params.find((param) => param.name !== "limit" && !readSchemaEnum(param.schema));
}

function isConfirmed(view: ConversationView): boolean {
  const last = view.lastAssistantText;
  return Boolean(last?.answered && CONFIRMATION_ASKED.test(last.text) && isAffirmative(view.lastUserText));
}

/** The record an earlier look-up returned for the step's id, to describe the change against. */
function findCurrentRecord(view: ConversationView, step: ToolAnatomy): JsonObject | undefined {
  return [...view.calls].reverse().filter((call) => call.ok).map((call) => unwrapRecord(call.result)).find((record) => record !== undefined && (!step.idPrefix || String(record.id).startsWith(step.idPrefix)));
}

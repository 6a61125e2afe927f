import type { JsonValue } from "../../../domain/common.js";
import type { CheckResult } from "../../../domain/judgment.js";
import type { JudgeContext } from "../../request-context.js";
import { readConversation, type CallRecord } from "./agent-conversation.js";
import { asObject } from "./schema-values.js";
import { classifyToolName, isWriteOperation } from "./tool-anatomy.js";
import { toContentStems, formatValue } from "./text.js";
import { isAffirmative } from "./value-extraction.js";

/*
 * Observable evidence in an episode, for the heuristic judge: calls and their errors, which errors were
 * left unhandled, what the final reply quotes from the results, which hidden facts reached a call,
 * whether writes were confirmed first and looked up first, and how the episode ended.
 */

export interface JudgeSignals {
  calls: CallRecord[];
  errors: CallRecord[];
  unhandledErrors: CallRecord[];
  finalText: string | undefined;
  resultValues: string[];
  quotedValues: string[];
  factsUsed: string[];
  factsTotal: number;
  writes: CallRecord[];
  confirmedWrites: CallRecord[];
  lookedUpFirst: boolean;
  askedBeforeFirstCall: boolean;
  failedChecks: CheckResult[];
  userStopped: boolean;
  endReason: string;
  transcriptStems: Set<string>;
  /** Names of the tools called, for criteria that name them. */
  toolNames: string[];
  /** The assistant's text messages with their place in the transcript. */
  assistantTurns: Array<{ index: number; text: string }>;
  assistantTexts: string[];
  /** Where the user changed their mind, if they did. */
  changeOfMindAt?: number | undefined;
  /** Assistant turns that made more than one call. */
  parallelTurns: number;
}

const CONFIRMATION_CUE = /(shall i|should i|do you want me to|would you like me to|can i go ahead|\bconfirm\b|proceed\?|is that correct\?)/i;
const CHANGE_OF_MIND = /(changed my mind|change of plan|on second thought|scratch that|disregard that|on reflection|\brather\b[^.?!]*\binstead\b)/i;
const ACKNOWLEDGES_ERROR = /(sorry|couldn't|could not|can't|cannot|unable|error|failed|not found|try again|unfortunately)/i;

export function collectSignals(context: JudgeContext): JudgeSignals {
  const view = readConversation(context.transcript, true);
  const calls = view.calls;
  const errors = calls.filter((call) => !call.ok);
  const assistantTexts = context.transcript.flatMap((message, index) => (message.role === "assistant" && message.content && !message.tool_calls?.length ? [{ index, text: message.content }] : []));
  const lastAssistant = [...context.transcript].reverse().find((message) => message.role === "assistant");
  const finalText = lastAssistant?.role === "assistant" && !lastAssistant.tool_calls?.length && lastAssistant.content ? lastAssistant.content : undefined;
  const resultValues = [...new Set(calls.filter((call) => call.ok).flatMap((call) => collectScalarStrings(call.result)))];
  const quotedValues = finalText ? resultValues.filter((value) => finalText.toLowerCase().includes(value.toLowerCase())) : [];
  const argumentText = calls.map((call) => JSON.stringify(call.args ?? {})).join(" ").toLowerCase();
  const factsUsed = context.hiddenFacts.map((fact) => formatValue(fact.value)).filter((value) => value.length > 0 && argumentText.includes(value.toLowerCase()));
  const writes = calls.filter((call) => isWriteOperation(classifyToolName(call.name)));
  const messageIndex = (call: CallRecord): number => call.turnIndex;
  const confirmedWrites = writes.filter((write) => wasConfirmed(context, messageIndex(write)));
  const firstWrite = writes[0];
  const lookedUpFirst = firstWrite ? calls.some((call) => call.turnIndex < firstWrite.turnIndex && !isWriteOperation(classifyToolName(call.name))) : false;
  const firstCall = calls[0];
  const askedBeforeFirstCall = assistantTexts.some((entry) => entry.text.includes("?") && (!firstCall || entry.index < firstCall.turnIndex));
  const unhandledErrors = errors.filter((error) => {
    const recovered = calls.some((call) => call.ok && call.name === error.name && call.turnIndex > error.turnIndex);
    return !recovered && !(finalText && ACKNOWLEDGES_ERROR.test(finalText));
  });
  const changeOfMindAt = context.transcript.findIndex((message) => message.role === "user" && CHANGE_OF_MIND.test(message.content));
  const transcriptStems = new Set(toContentStems(context.transcript.map((message) => ("content" in message && message.content ? message.content : "")).join(" ")));
  return {
    calls,
    errors,
    unhandledErrors,
    finalText,
    resultValues,
    quotedValues,
    factsUsed,
    factsTotal: context.hiddenFacts.length,
    writes,
    confirmedWrites,
    lookedUpFirst,
    askedBeforeFirstCall,
    failedChecks: context.checks.filter((check) => !check.passed),
    userStopped: context.endReason === "user_stop",
    endReason: context.endReason,
    transcriptStems,
    toolNames: [...new Set(calls.map((call) => call.name))],
    assistantTurns: assistantTexts,
    assistantTexts: assistantTexts.map((entry) => entry.text),
    changeOfMindAt: changeOfMindAt >= 0 ? changeOfMindAt : undefined,
    parallelTurns: context.transcript.filter((message) => message.role === "assistant" && (message.tool_calls?.length ?? 0) > 1).length,
  };
}

/** A write counts as confirmed when the assistant asked for confirmation before it and the user said yes. */
function wasConfirmed(context: JudgeContext, writeIndex: number): boolean {
  for (let index = writeIndex - 1; index >= 0; index--) {
    const message = context.transcript[index];
    if (!message) continue;
    if (message.role === "assistant" && message.tool_calls?.some((call) => isWriteOperation(classifyToolName(call.function.name)))) return false;
    if (message.role === "assistant" && message.content && CONFIRMATION_CUE.test(message.content)) {
      return context.transcript.slice(index + 1, writeIndex).some((later) => later.role === "user" && isAffirmative(later.content));
    }
  }
  return false;
}

/** Scalar values of a result worth quoting: ids, statuses, names, numbers. */
function collectScalarStrings(value: JsonValue | undefined): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((item) => collectScalarStrings(item));
  const object = asObject(value);
  if (object) return Object.entries(object).flatMap(([key, item]) => (key === "message" ? [] : collectScalarStrings(item)));
  if (typeof value === "boolean") return [];
  const text = formatValue(value);
  return text.length >= 3 ? [text] : [];
}

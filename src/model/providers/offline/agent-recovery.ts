import { stableStringify } from "../../../support/hash.js";
import type { Random } from "../../../support/random.js";
import { fillArguments } from "./agent-arguments.js";
import type { CallRecord, ConversationView } from "./agent-conversation.js";
import { say, type AgentDecision } from "./agent-decision.js";
import { askForDetails, phraseFailure, phraseNotFound, phraseUnconfirmedWrite } from "./agent-replies.js";
import type { RuleBook } from "./business-rules.js";
import { sameEntity, type ToolAnatomy } from "./tool-anatomy.js";
import { pickPhrase } from "./text.js";

/*
 * How the agent recovers when a tool answer goes wrong, as a careful human operator would: a wrong id is
 * reported, bad arguments are fixed, a timeout, rate limit or server error is retried once and then
 * reported to the user, an empty answer to a look-up is retried once, an empty answer to a change is not
 * repeated (it may have gone through: the record is looked up to see, when there is a look-up), and a
 * look-up that came back cut short is fetched once more.
 */

function isSameCall(a: CallRecord, b: CallRecord): boolean {
  return a.name === b.name && stableStringify(a.args) === stableStringify(b.args);
}

const RETRY_PHRASES: Record<string, string[]> = {
  timeout: ["The request timed out; let me try once more.", "That timed out on the system's side. Trying again."],
  rate_limited: ["The system asked me to slow down for a moment; I'll retry.", "The service is rate-limiting requests right now; trying again in a moment."],
  empty_response: ["The system sent back an empty response; let me check again.", "That came back empty, which looks wrong. Let me try again."],
};
const GENERIC_RETRY = ["That didn't go through; let me try once more.", "The system returned an error; I'll retry once."];

/**
 * The next step after a failed call; undefined when there is nothing left to recover and the request goes on
 * (a look-up after a change that failed twice: the change's own answer is reported).
 */
export function recoverFromFailure(call: CallRecord, view: ConversationView, tools: readonly ToolAnatomy[], book: RuleBook, random: Random): AgentDecision | undefined {
  const anatomy = tools.find((tool) => tool.name === call.name);
  const lastSuccess = view.calls.findLastIndex((entry) => isSameCall(entry, call) && entry.ok);
  const attempts = view.calls.slice(lastSuccess + 1).filter((entry) => isSameCall(entry, call) && !entry.ok).length;
  // A look-up that failed twice, when the request has other results (a change it checks, records looked up with it): carry on and say so.
  if (anatomy?.operation === "read" && attempts >= 2 && view.calls.some((entry) => entry.ok && !isSameCall(entry, call))) return undefined;
  if (!anatomy) return say(phraseFailure(call, attempts, random));
  if (call.errorCode === "not_found") return say(phraseNotFound(call, anatomy, attempts >= 2, random));
  if (/invalid/.test(call.errorCode ?? "")) {
    const retry = fillArguments(anatomy, { userTexts: view.userTexts, results: [], preferredIds: [], excludedIds: new Set() });
    const differs = stableStringify(retry.args) !== stableStringify(call.args);
    if (retry.missing.length === 0 && differs && attempts < 2) return { content: null, calls: [{ name: anatomy.name, args: retry.args }] };
    if (retry.missing.length > 0) return say(askForDetails(retry.missing, random));
    return say(phraseFailure(call, attempts, random));
  }
  if (call.errorCode === "empty_response" && !anatomy.readOnly) {
    const lookUp = findLookUp(anatomy, tools);
    const id = anatomy.idParam ? call.args?.[anatomy.idParam.name] : undefined;
    if (book.readBack && lookUp?.idParam && typeof id === "string") {
      return { content: pickPhrase(random, ["The system's reply to the change came back empty, so let me check the record to see whether it went through.", "That answer was empty; I'll look the record up to see whether the change was made."]), calls: [{ name: lookUp.name, args: { [lookUp.idParam.name]: id } }] };
    }
    return say(phraseUnconfirmedWrite(call, random));
  }
  if (attempts < 2 && call.args) return { content: pickPhrase(random, RETRY_PHRASES[call.errorCode ?? ""] ?? GENERIC_RETRY), calls: [{ name: call.name, args: call.args }] };
  return say(phraseFailure(call, attempts, random));
}

function findLookUp(write: ToolAnatomy, tools: readonly ToolAnatomy[]): ToolAnatomy | undefined {
  return tools.find((tool) => tool.operation === "read" && tool.idParam !== undefined && sameEntity(tool, write));
}

/** Fetch a look-up again once when its answer was cut short (marked truncated). */
export function refetchTruncated(view: ConversationView, tools: readonly ToolAnatomy[], random: Random): AgentDecision | undefined {
  const cut = view.lastBatch.find((call) => call.ok && call.truncated && tools.find((tool) => tool.name === call.name)?.readOnly);
  if (!cut?.args || view.calls.filter((entry) => isSameCall(entry, cut) && entry.truncated).length >= 2) return undefined;
  return { content: pickPhrase(random, ["The response came back incomplete; let me fetch it again.", "Only part of the data came back. Let me request it once more."]), calls: [{ name: cut.name, args: cut.args }] };
}

/** Whether the answer the agent is about to summarise is still a cut-short one (no complete answer came after it). */
export function hasPartialData(view: ConversationView): boolean {
  return view.calls.some((call) => call.ok && call.truncated && !view.calls.some((later) => later.turnIndex > call.turnIndex && isSameCall(later, call) && later.ok && !later.truncated));
}

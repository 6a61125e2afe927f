import type { JsonObject } from "../../../domain/common.js";
import type { ConversationView } from "./agent-conversation.js";
import { splitWords } from "./text.js";
import { extractEmails } from "./value-extraction.js";

/*
 * What the user wants in the current request, read from their words as a model would: the request itself
 * (after a change of mind, the new one), the parts said together ("… and also …"), a condition it comes
 * with ("but if its total is over 100, cancel it instead"), a wish to leave things as they are, and whether
 * it is a question about policy rather than about one of their records.
 */

export interface Condition {
  /** The field's words: "fare paid". */
  field: string;
  over: boolean;
  threshold: number;
  /** What to do when the condition holds: "cancel it". */
  alternative: string;
}

export interface RequestReading {
  /** What to plan from: the request, or the latest change of mind. */
  text: string;
  /** Requests said together in one message. */
  parts: string[];
  condition?: Condition | undefined;
  /** The user asked to leave the record as it is. */
  leave: boolean;
  /** The user's latest message changed their mind. */
  changedMindNow: boolean;
  policyQuestion: boolean;
}

const CHANGE_CUE = /(changed my mind|change of plan|on second thought|scratch that|disregard that|on reflection|\brather\b[^.?!]*\binstead\b)/i;
const CHANGE_CLAUSE = /(?:rather|like to|want to|let's|could i)\s+(.+?)(?:\s+instead)?\s*[.!?]/i;
const CONDITION = /\s*\bbut if (?:its|the) ([a-z][a-z ]*?) is (over|above|more than|under|below|less than) (-?\d+(?:\.\d+)?),?\s*(?:please\s+)?(.+?)\s+instead[.!]?/i;
const LEAVE = /\bleave (?:it|my [a-z ]+?) as it is\b/i;
const POLICY = /\bknow (whether|what you need|what to|the most|how (much|many|long))\b|\b(can|could) (you|i) (still )?arrange\b.*\?|\b(can|could) i (still )?get\b.*\?|\bis it possible to\b/i;

export function readRequest(view: ConversationView): RequestReading {
  const changeIndex = view.userTexts.findLastIndex((text) => CHANGE_CUE.test(text));
  const changed = changeIndex >= 0 ? view.userTexts[changeIndex] ?? "" : undefined;
  const changeClause = changed ? (CHANGE_CLAUSE.exec(changed.slice(changed.search(CHANGE_CUE)))?.[1] ?? changed) : undefined;
  const base = changeClause ?? view.goalText;
  const condition = changeClause ? undefined : readCondition(base);
  const text = condition ? base.replace(CONDITION, " ").trim() : base;
  const parts = text.split(/,?\s+and also\s+/i).map((part) => part.trim()).filter((part) => part.length > 0);
  return {
    text,
    parts: parts.length > 1 ? parts : [text],
    condition,
    leave: LEAVE.test(text),
    changedMindNow: changeIndex >= 0 && changeIndex === view.userTexts.length - 1,
    policyQuestion: POLICY.test(text) && !/\b(of|on) my\b/i.test(text),
  };
}

/** A user message without the condition it states: its threshold is no value for a tool argument. */
export function withoutCondition(text: string): string {
  return text.replace(CONDITION, " ");
}

function readCondition(text: string): Condition | undefined {
  const match = CONDITION.exec(text);
  if (!match?.[1] || !match[2] || !match[3] || !match[4]) return undefined;
  return { field: match[1].trim(), over: /over|above|more/i.test(match[2]), threshold: Number(match[3]), alternative: match[4].trim() };
}

/** Whether the record meets the condition: the field whose name has the condition's words, compared with the threshold. */
export function conditionHolds(condition: Condition, record: JsonObject): boolean | undefined {
  const wanted = splitWords(condition.field).join("_");
  const key = Object.keys(record).find((name) => name === wanted || splitWords(name).join(" ") === splitWords(condition.field).join(" "));
  const value = key ? record[key] : undefined;
  if (typeof value !== "number") return undefined;
  return condition.over ? value > condition.threshold : value < condition.threshold;
}

/** The email address the user gave, the latest first. */
export function findUserEmail(view: ConversationView): string | undefined {
  return [...view.userTexts].reverse().flatMap(extractEmails)[0] ?? [...view.earlierUserTexts].reverse().flatMap(extractEmails)[0];
}

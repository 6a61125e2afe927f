import type { JsonValue } from "../../../domain/common.js";
import { ID_TEXT_PATTERN } from "./tool-anatomy.js";
import { splitSentences, splitWords, stemWord } from "./text.js";

/*
 * Values people state in chat: ids (ORD-10442), emails, dates, date-times, numbers, enum words, and
 * labelled statements ("The new appointment date is 2026-03-20.", "Amount: 40").
 */

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const DATE_TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g;
const DATE = /\b\d{4}-\d{2}-\d{2}\b/g;
const NUMBER = /(?<![\w.-])-?\d+(?:\.\d+)?(?![\w-]|\.\d)/g;

export function extractIds(text: string): string[] {
  return [...text.matchAll(ID_TEXT_PATTERN)].map((match) => match[0]);
}

export function extractEmails(text: string): string[] {
  return [...text.matchAll(EMAIL)].map((match) => match[0].replace(/\.$/, ""));
}

export function extractDateTimes(text: string): string[] {
  return [...text.matchAll(DATE_TIME)].map((match) => match[0]);
}

export function extractDates(text: string): string[] {
  return [...text.replace(DATE_TIME, " ").matchAll(DATE)].map((match) => match[0]);
}

/** Numbers that are not part of an id, email, date or time. */
export function extractNumbers(text: string): number[] {
  const cleaned = text.replace(EMAIL, " ").replace(DATE_TIME, " ").replace(DATE, " ").replace(ID_TEXT_PATTERN, " ").replace(/\b\d{1,2}:\d{2}\b/g, " ").replace(/\+\d{6,}/g, " ");
  return [...cleaned.matchAll(NUMBER)].map((match) => Number(match[0])).filter((value) => Number.isFinite(value));
}

function normalizeWords(text: string): string {
  return ` ${splitWords(text).join(" ")} `;
}

/**
 * The enum value a text mentions ("in transit" matches `in_transit`). When several appear, the one right
 * after "to", "as", "into", "new", "is" or "be" wins, else the last one mentioned.
 */
export function findEnumValue(text: string, values: readonly JsonValue[], directedOnly = false): JsonValue | undefined {
  const normalized = normalizeWords(text);
  const hits: Array<{ value: JsonValue; index: number; directed: boolean }> = [];
  for (const value of values) {
    if (typeof value !== "string" && typeof value !== "number") continue;
    const phrase = normalizeWords(String(value));
    if (phrase.trim() === "") continue;
    let index = normalized.indexOf(phrase);
    while (index >= 0) {
      const before = normalized.slice(0, index).trim().split(" ").pop() ?? "";
      hits.push({ value, index, directed: ["to", "as", "into", "new", "is", "be"].includes(before) });
      index = normalized.indexOf(phrase, index + 1);
    }
  }
  const longest = hits.filter((hit) => !hits.some((other) => other !== hit && covers(other, hit)));
  const directed = longest.filter((hit) => hit.directed);
  const pool = directed.length > 0 || directedOnly ? directed : longest;
  return pool.sort((a, b) => b.index - a.index)[0]?.value;
}

/** Whether hit `a` spans hit `b` ("premium economy" covers the "economy" inside it). */
function covers(a: { value: JsonValue; index: number }, b: { value: JsonValue; index: number }): boolean {
  const aLength = normalizeWords(String(a.value)).length;
  const bLength = normalizeWords(String(b.value)).length;
  return aLength > bLength && a.index <= b.index && a.index + aLength >= b.index + bLength;
}

export interface LabeledValue {
  label: string;
  stems: string[];
  value: string;
}

const STATEMENT = /^(?:(?:and|also|oh|sure|yes|well|so|okay|ok)[,!]?\s+)*(?:the|my|our|his|her)?\s*([A-Za-z][A-Za-z0-9 '_-]{1,60}?)\s+(?:is|are|was|will be|should be|would be|=)\s+(.+?)[.!]?$/i;
const INTERJECTIONS = /^(?:[^A-Za-z]*(?:sure thing|sure|of course|certainly|yep|yes|yeah|oh yeah|oh|okay|ok|right|sorry|happy to|here you go|well|so)\b[\s,!.—–-]*)+/i;
const COLON = /^([A-Za-z][A-Za-z0-9 '_-]{1,60}?):\s*(.+?)[.!]?$/;

/** "The new appointment date is 2026-03-20." → { label: "new appointment date", value: "2026-03-20" }. */
export function extractLabeledValues(text: string): LabeledValue[] {
  const out: LabeledValue[] = [];
  for (const sentence of splitSentences(text)) {
    const cleaned = sentence.replace(INTERJECTIONS, "");
    const afterDash = cleaned.split(/\s[—–-]\s/).pop() ?? cleaned;
    const match = STATEMENT.exec(cleaned) ?? STATEMENT.exec(afterDash) ?? COLON.exec(cleaned);
    if (!match?.[1] || !match[2]) continue;
    const label = match[1].trim();
    if (/^(it|that|this|there|which|what)$/i.test(label)) continue;
    out.push({ label, stems: splitWords(label).map(stemWord), value: match[2].trim().replace(/^["']|["']$/g, "") });
  }
  return out;
}

export function isAffirmative(text: string): boolean {
  if (/^\s*(no|nope|nah)\b/i.test(text) || /\b(don't|do not) (do|go|proceed)\b/i.test(text)) return false;
  return /\b(yes|yeah|yep|sure|go ahead|please do|do it|confirm(ed)?|correct|proceed|ok(ay)?|sounds good|go for it|that's right)\b/i.test(text);
}

export function isNegative(text: string): boolean {
  return /^\s*(no|nope|nah)\b|\b(don't|do not) (do|go|proceed|change|cancel)|\b(stop|hold on|never mind|wait)\b/i.test(text);
}

export function saysUnknown(text: string): boolean {
  return /(don't know|do not know|don't have|do not have|no idea|not sure|can't remember|cannot remember|don't remember)/i.test(text);
}

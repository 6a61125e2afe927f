import type { HiddenFact } from "../../../domain/task.js";
import { toContentStems, formatValue, splitWords, stemWord } from "./text.js";

/*
 * Which hidden facts an assistant message asks for: the fact's key words (and, failing that, the words
 * of its description) must appear in the message, with a few synonyms ("order number" asks for
 * `order_id`). A fact whose value the message already states is not being asked for.
 */

const CANONICAL = new Map([
  ["number", "id"],
  ["reference", "id"],
  ["ref", "id"],
  ["code", "id"],
  ["identifier", "id"],
  ["ids", "id"],
  ["mail", "email"],
  ["day", "date"],
  ["when", "date"],
  ["much", "amount"],
  ["sum", "amount"],
  ["unit", "quantity"],
]);

function toCanonicalStems(words: readonly string[]): string[] {
  return words.map((word) => CANONICAL.get(stemWord(word)) ?? CANONICAL.get(word) ?? stemWord(word));
}

export interface FactScore {
  fact: HiddenFact;
  score: number;
}

function scoreFacts(message: string, facts: readonly HiddenFact[], useDescriptions = true): FactScore[] {
  const messageStems = new Set(toCanonicalStems(splitWords(message)));
  const lowered = message.toLowerCase();
  return facts.map((fact) => {
    if (mentionsValue(lowered, formatValue(fact.value).toLowerCase())) return { fact, score: 0 };
    const keyStems = toCanonicalStems(splitWords(fact.key));
    const descriptionStems = toCanonicalStems(toContentStems(fact.description));
    return { fact, score: Math.max(measureCoverage(keyStems, messageStems), useDescriptions ? measureCoverage(descriptionStems, messageStems) : 0) };
  });
}

/** Whether the value appears as a whole token (so "12" is not found inside "2012" or "ORD-12345"). */
function mentionsValue(text: string, value: string): boolean {
  if (value.length === 0) return false;
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\w.-])${escaped}(?![\\w-]|\\.\\d)`).test(text);
}

function measureCoverage(stems: readonly string[], present: ReadonlySet<string>): number {
  if (stems.length === 0) return 0;
  return stems.filter((stem) => present.has(stem)).length / stems.length;
}

/** Facts the message clearly asks for (every key word present). */
export function clearlyRequestedFacts(message: string, facts: readonly HiddenFact[]): HiddenFact[] {
  return scoreFacts(message, facts)
    .filter((entry) => entry.score >= 0.75)
    .map((entry) => entry.fact);
}

/** Words that say what kind of value is wanted but not which one ("tracking number" is no order id). */
const GENERIC_STEMS = new Set(["id", "email", "date", "name", "amount", "new", "address", "time"]);

/**
 * The best partial matches on the facts' keys, for a question that names its subject loosely; a match
 * on a generic word alone ("number", "email") does not count.
 */
export function looselyRequestedFacts(message: string, facts: readonly HiddenFact[]): HiddenFact[] {
  const messageStems = new Set(toCanonicalStems(splitWords(message)));
  const specific = facts.filter((fact) => toCanonicalStems(splitWords(fact.key)).some((stem) => !GENERIC_STEMS.has(stem) && messageStems.has(stem)));
  const scores = scoreFacts(message, specific, false);
  const best = Math.max(0, ...scores.map((entry) => entry.score));
  if (best < 0.5) return [];
  return scores.filter((entry) => entry.score === best).map((entry) => entry.fact);
}

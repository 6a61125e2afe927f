import type { JsonValue } from "../../../domain/common.js";
import type { Random } from "../../../support/random.js";

/*
 * Phrasing helpers: turning identifiers into words, joining lists, filling templates, and the crude
 * word normalisation the engine uses to match a conversation against tool specs and hidden facts.
 */

const ACRONYMS = new Map([
  ["id", "ID"],
  ["ids", "IDs"],
  ["url", "URL"],
  ["sla", "SLA"],
  ["sku", "SKU"],
  ["vip", "VIP"],
  ["gb", "GB"],
  ["kg", "kg"],
]);

/** Lowercase word tokens of any text or identifier (`orderId`, `order_id` and "Order ID" give the same). */
export function splitWords(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** `order_id` → "order ID", `new_appointment_date` → "new appointment date". */
export function humanize(identifier: string): string {
  return splitWords(identifier)
    .map((word) => ACRONYMS.get(word) ?? word)
    .join(" ");
}

export function capitalize(text: string): string {
  return text.length === 0 ? text : text.charAt(0).toUpperCase() + text.slice(1);
}

export function lowerFirst(text: string): string {
  if (text.length < 2) return text.toLowerCase();
  // Keep acronyms, ids ("ID", "ORD-1") and the pronoun "I" as they are.
  return /^[A-Z][A-Z0-9-]|^I\b/.test(text) ? text : text.charAt(0).toLowerCase() + text.slice(1);
}

export function titleCase(text: string): string {
  return humanize(text)
    .split(" ")
    .map((word) => (word === "and" || word === "of" ? word : capitalize(word)))
    .join(" ");
}

/** ["a", "b", "c"] → "a, b and c". */
export function joinList(items: readonly string[], conjunction = "and"): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} ${conjunction} ${items[items.length - 1] as string}`;
}

export function addArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? "an" : "a"} ${noun}`;
}

export function singularize(word: string): string {
  if (/ies$/.test(word) && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|us|is)$/.test(word)) return word;
  // "boxes", "quizzes", "batches" lose "es"; "sizes", "prizes" (a vowel before the z) only the "s".
  if (/(sh|ch|x|ss|zz|[^aeiou]z)es$/.test(word)) return word.slice(0, -2);
  if (/s$/.test(word) && word.length > 3) return word.slice(0, -1);
  return word;
}

export function pluralize(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|sh|ch|x|z)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

const IRREGULAR_PAST = new Map([
  ["send", "sent"],
  ["pay", "paid"],
  ["withdraw", "withdrawn"],
  ["rebuild", "rebuilt"],
  ["set", "set"],
  ["hold", "held"],
  ["reset", "reset"],
  ["void", "voided"],
  ["freeze", "frozen"],
  ["unfreeze", "unfrozen"],
]);

/** "refund" → "refunded", "stop" → "stopped", "deny" → "denied", "send" → "sent". */
export function pastTense(verb: string): string {
  const irregular = IRREGULAR_PAST.get(verb);
  if (irregular) return irregular;
  if (/e$/.test(verb)) return `${verb}d`;
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ied`;
  if (/^[^aeiou]*[aeiou][^aeiouwxy]$/.test(verb)) return `${verb}${verb.slice(-1)}ed`;
  if (/(el)$/.test(verb) && verb.length > 4) return `${verb}led`;
  return `${verb}ed`;
}

/** A crude stem so "refunded", "refunds" and "refunding" match "refund", and "cancelled" matches "cancel". */
export function stemWord(word: string): string {
  let stem = word.toLowerCase();
  if (stem.length > 3 && stem.endsWith("s") && !/(ss|us|is)$/.test(stem)) {
    if (/(sh|ch|x|ss)es$/.test(stem)) stem = stem.slice(0, -2);
    else if (/ies$/.test(stem) && stem.length > 4) stem = `${stem.slice(0, -3)}y`;
    else stem = stem.slice(0, -1);
  }
  if (stem.length > 5 && stem.endsWith("ing")) stem = stem.slice(0, -3);
  else if (stem.length > 4 && stem.endsWith("ied")) stem = `${stem.slice(0, -3)}y`;
  else if (stem.length > 4 && stem.endsWith("ed")) stem = stem.slice(0, -2);
  if (/([bcdfgklmnprtz])\1$/.test(stem) && stem.length > 4) stem = stem.slice(0, -1);
  if (stem.length > 4 && stem.endsWith("e")) stem = stem.slice(0, -1);
  return stem;
}

const STOP_WORDS = new Set(
  "a an the and or of to for in on at by with from my your our their his her its it is are was be been this that these those i me we you he she they can could would should will shall do does did have has had please me us any some just also so if then than as into about what which who when where how not no yes up out".split(
    " ",
  ),
);

/** Content words of a text, stemmed, without stop words. */
export function toContentStems(text: string): string[] {
  return splitWords(text)
    .filter((word) => !STOP_WORDS.has(word))
    .map(stemWord);
}


/** Fill `{name}` slots from the values given; unknown slots are left as they are. */
function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{([a-zA-Z_]+)\}/g, (whole, key: string) => values[key] ?? whole).replace(/\s+([,.!?])/g, "$1").replace(/\s{2,}/g, " ").trim();
}

/** Pick one template with the seeded PRNG and fill it. */
export function pickPhrase(random: Random, templates: readonly string[], values: Readonly<Record<string, string>> = {}): string {
  return fillTemplate(random.pick(templates), values);
}

/** A JSON value as a user would read it in a sentence. */
export function formatValue(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return "none";
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.map((item) => formatValue(item)).join(", ");
  return JSON.stringify(value);
}

/** End a sentence with a period unless it already ends with punctuation. */
export function ensurePeriod(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** The first sentence of a text. */
export function firstSentence(text: string): string {
  const match = /^(.+?[.!?])(\s|$)/.exec(text.trim());
  return (match?.[1] ?? text).trim();
}

export function truncateText(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, Math.max(0, maxLength - 1)).trimEnd()}…`;
}

/** Split prose into sentences (periods inside emails, decimals and ids, and after titles like "Dr.", do not split). */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<!\b(?:Dr|Mr|Mrs|Ms|St|Prof|e\.g|i\.e)\.)(?<=[.!?])\s+|\n+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}

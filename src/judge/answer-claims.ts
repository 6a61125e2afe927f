/*
 * The specific things a final answer states — ids, numbers, dates, emails, file and snake_case names, proper
 * names — each checkable against the sources (system prompt, user turns, tool results, tool specs).
 */

export type ClaimKind = "id" | "number" | "date" | "email" | "name";

export interface AnswerClaim {
  kind: ClaimKind;
  text: string;
}

/** Capitalised words that are ordinary English in an answer, not names it must have read somewhere. */
const COMMON_CAPITALS = new Set(
  [
    "i", "i'm", "i've", "i'll", "i'd", "id", "ids", "ok", "okay", "usd", "eur", "gbp", "utc", "gmt", "am", "pm", "faq", "api", "url", "pdf", "csv", "json", "http", "https", "sms", "pin",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "mr", "mrs", "ms", "dr", "the", "your", "you", "we", "our", "it", "its", "this", "that", "these", "please", "thanks", "thank", "sorry", "yes", "no", "note",
  ],
);
const NUMBER_WORD = /^[-+]?\$?\d{1,3}(,\d{3})+(\.\d+)?$|^[-+]?\$?\d+(\.\d+)?%?$/;
const DATE = /^\d{4}-\d{2}-\d{2}(t[\d:.]+z?)?$|^\d{1,2}\/\d{1,2}\/\d{2,4}$/i;
const EMAIL = /^[\w.+-]+@[\w-]+(\.[\w-]+)+$/;
const DOTTED = /^[\w-]+(\.[\w-]+)+$/;
const SENTENCE_END = /([.!?:;]|—|–|-|\*|•|\|)$/;

/** The claims an answer makes, in order, each once. */
export function extractClaims(answer: string): AnswerClaim[] {
  const claims = new Map<string, AnswerClaim>();
  const tokens = answer.split(/\s+/).filter((token) => token !== "");
  tokens.forEach((raw, position) => {
    const token = raw.replace(/^[("'`[{<*_]+|[)"'`\]}>,.;:!?*_]+$/g, "").replace(/['’]s$/, "");
    if (token === "") return;
    const claim = classifyToken(token, position === 0 || SENTENCE_END.test(tokens[position - 1] ?? ""));
    if (claim && !claims.has(`${claim.kind}:${claim.text.toLowerCase()}`)) claims.set(`${claim.kind}:${claim.text.toLowerCase()}`, claim);
  });
  return [...claims.values()];
}

function classifyToken(token: string, sentenceStart: boolean): AnswerClaim | undefined {
  if (EMAIL.test(token)) return { kind: "email", text: token };
  if (DATE.test(token)) return { kind: "date", text: token };
  if (NUMBER_WORD.test(token)) {
    const value = parseNumber(token);
    // Small whole numbers are counts and ordinals an answer derives; the count rule checks the ones that matter.
    return value !== undefined && !(Number.isInteger(value) && Math.abs(value) < 10) ? { kind: "number", text: token } : undefined;
  }
  if (/\d/.test(token) && /[a-z]/i.test(token) && token.length >= 3) return { kind: "id", text: token };
  if (/\d/.test(token) && /[-_/]/.test(token) && token.length >= 4) return { kind: "id", text: token };
  if (token.length >= 5 && DOTTED.test(token) && /[a-z]{2,}$/i.test(token)) return { kind: "id", text: token };
  if (/^[a-z]+(_[a-z0-9]+)+$/i.test(token)) return { kind: "id", text: token };
  if (!sentenceStart && /^[A-Z][\p{L}'’-]{2,}$/u.test(token) && !COMMON_CAPITALS.has(token.toLowerCase())) return { kind: "name", text: token };
  return undefined;
}

export function parseNumber(token: string): number | undefined {
  const value = Number(token.replace(/[$,%+]/g, ""));
  return Number.isFinite(value) ? value : undefined;
}

/** The sources, normalised for claim look-ups: lower-cased text and every number they hold. */
export interface ClaimSources {
  text: string;
  numbers: Set<number>;
}

export function indexSources(sources: string): ClaimSources {
  const numbers = new Set<number>();
  for (const match of sources.matchAll(/-?\d+(?:,\d{3})*(?:\.\d+)?/g)) {
    const value = parseNumber(match[0]);
    if (value !== undefined) numbers.add(value);
  }
  return { text: sources.toLowerCase().replace(/\\"/g, '"'), numbers };
}

/** Whether the sources hold a claim: the same number, or the same text (case-insensitive). */
export function isGrounded(claim: AnswerClaim, sources: ClaimSources): boolean {
  if (claim.kind === "number") {
    const value = parseNumber(claim.text);
    return (value !== undefined && sources.numbers.has(value)) || sources.text.includes(claim.text.toLowerCase());
  }
  return sources.text.includes(claim.text.toLowerCase());
}

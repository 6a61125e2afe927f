import type { JsonObject, JsonValue } from "../../../domain/common.js";
import type { Random } from "../../../support/random.js";
import { isAllowed, normalizeWords, type EligibilityRule, type LimitRule, type RuleBook } from "./business-rules.js";
import { describeEntity } from "./agent-replies.js";
import type { ToolAnatomy } from "./tool-anatomy.js";
import { addArticle, capitalize, formatValue, humanize, joinList, pastTense, pickPhrase, pluralize, splitWords, stemWord, toContentStems } from "./text.js";

/*
 * The agent holding to its rules: a change its rules do not allow for the record's current state, an amount
 * over its limit, a record whose email is not the user's — each is refused with the reason, before anything is
 * changed — and questions about the rules answered from them, with no tool.
 */

/** The record's email field value, if it has one. */
export function recordEmail(record: JsonObject): string | undefined {
  const key = Object.keys(record).find((name) => /email/.test(name) && typeof record[name] === "string");
  return key ? String(record[key]) : undefined;
}

export function violatesIdentity(book: RuleBook, record: JsonObject | undefined, email: string | undefined): boolean {
  if (!book.identity || !record || !email) return false;
  const owner = recordEmail(record);
  return owner !== undefined && owner.toLowerCase() !== email.toLowerCase();
}

export function findEligibilityViolation(book: RuleBook, write: ToolAnatomy, record: JsonObject | undefined): EligibilityRule | undefined {
  const rule = book.eligibility.find((candidate) => candidate.tool === write.name);
  if (!rule || !record) return undefined;
  const key = Object.keys(record).find((name) => name === rule.field || normalizeWords(name) === normalizeWords(rule.field));
  if (!key) return undefined;
  return isAllowed(rule, record[key]) ? undefined : rule;
}

export function findLimitViolation(book: RuleBook, write: ToolAnatomy, args: JsonObject): { rule: LimitRule; value: number } | undefined {
  for (const rule of book.limits.filter((candidate) => candidate.tool === write.name)) {
    const value = args[rule.parameter];
    if (typeof value === "number" && value > rule.max) return { rule, value };
  }
  return undefined;
}

function verbOf(write: ToolAnatomy): string {
  return humanize(write.actionWords.join("_") || write.verb);
}

export function refuseForStatus(rule: EligibilityRule, write: ToolAnatomy, record: JsonObject, random: Random): string {
  const noun = describeEntity(write);
  const current = formatValue(record[rule.field] as JsonValue);
  const values = { verb: verbOf(write), noun, id: String(record.id), field: humanize(rule.field), allowed: joinList(rule.allowed, "or"), current: humanize(current), plural: pluralize(noun) };
  return pickPhrase(random, [
    "I'm sorry, but I can't {verb} {noun} {id}: a {noun} can only be changed this way while its {field} is {allowed}, and this one is {current}. I haven't changed anything.",
    "Unfortunately I'm not able to {verb} {noun} {id}. Our rules allow it only while the {field} is {allowed}; it is currently {current}, so I haven't made any change.",
  ], values);
}

export function refuseForLimit(violation: { rule: LimitRule; value: number }, write: ToolAnatomy, random: Random): string {
  const values = { verb: verbOf(write), max: String(violation.rule.max), value: formatValue(violation.value) };
  return pickPhrase(random, [
    "I'm sorry, but I can {verb} at most {max} in one request, and you asked for {value}. I haven't made any change; for that amount I'd need to hand your case over to a human colleague.",
    "Unfortunately {value} is over the limit: I can only {verb} up to {max} per request. I haven't made any change — a human colleague can look at a larger amount if you like.",
  ], values);
}

export function refuseForIdentity(write: ToolAnatomy, id: string, random: Random): string {
  const values = { noun: describeEntity(write), id };
  return pickPhrase(random, [
    "I'm sorry, but the email address you gave doesn't match the one on {noun} {id}, so I can't share or change anything on it. Only the account holder can ask about it.",
    "I'm afraid I can't help with {noun} {id}: the email you gave is not the one on the record, and I may only share or change a record for its owner. I haven't shared or changed anything.",
  ], values);
}

/** The answer to a user who asks whether there is a way around a refusal: no, with the reason again when it is known. */
export function holdRefusal(book: RuleBook, reason: string | undefined, random: Random): string {
  const handover = book.handover ? " If you like, I can hand your case over to a human colleague." : " If you like, a human colleague can look into it.";
  const apology = reason
    ? pickPhrase(random, ["I understand, and I'm sorry — there's no way around it here.", "I'm sorry, I can't make an exception: the rule applies to every request."])
    : pickPhrase(random, ["I understand, and I'm sorry — the rule is firm, so there's no way around it here, and I haven't changed anything.", "I'm sorry, I can't make an exception: the rule applies to every request, and nothing has been changed."]);
  const restated = reason ? ` ${capitalize(reason.replace(/^(I'm sorry, but |Unfortunately )/, ""))}` : "";
  return `${apology}${restated}${handover}`;
}

/** Words of a question that say nothing about which rule it is about. */
const ASKED_ACTION = /\bcan (?:still )?be ([a-z]+)/i;
const SMALL_TALK = new Set(["ask", "need", "know", "want", "like", "help", "hope", "right", "place", "hello", "hi", "hey", "thank", "question", "sorry", "bother", "quick", "good", "day", "afternoon"].map(stemWord));

function phraseHandover(topics: readonly string[]): string {
  return `That isn't something I can arrange myself: ${joinList(topics)} are handled by a human colleague. Under our rules I can't promise it, but I can hand you over.`;
}

/** An answer to a question about the rules, from the rule that fits it best; undefined when none does. */
export function answerFromRules(question: string, book: RuleBook, tools: readonly ToolAnatomy[], random: Random): string | undefined {
  const stems = new Set(toContentStems(question).filter((stem) => !SMALL_TALK.has(stem)));
  // A topic the rules hand over to a person ("compensation") is answered with the handover, whatever else matches.
  const handover = book.handover;
  if (handover?.topics.some((topic) => toContentStems(topic).some((stem) => stems.has(stem)))) return phraseHandover(handover.topics);
  // "… that is cancelled can still be rescheduled": the action asked about, not the status named.
  const askedVerb = ASKED_ACTION.exec(question)?.[1];
  const asked = askedVerb ? stemWord(askedVerb.toLowerCase()) : undefined;
  const scoreOf = (statement: string): number => {
    const overlap = new Set(toContentStems(statement.replace(/\([^)]*\)/g, " ")).filter((stem) => stems.has(stem))).size;
    const tool = tools.find((candidate) => statement.includes(`(${candidate.name}`));
    if (!tool) return overlap;
    const verb = stemWord(tool.verb);
    const verbBonus = (asked ? asked === verb : stems.has(verb)) ? 2 : 0;
    const entityBonus = tool.entityName.split("_").every((word) => stems.has(stemWord(word))) ? 1 : 0;
    return overlap + verbBonus + entityBonus;
  };
  const scored = book.statements
    .map((statement) => ({ statement, score: scoreOf(statement) }))
    .sort((a, b) => b.score - a.score);
  const best = scored[0];
  if (!best || best.score === 0 || (best.score < 2 && (scored[1]?.score ?? 0) >= best.score)) return undefined;
  const limit = book.limits.find((rule) => rule.text === best.statement);
  if (limit) {
    const tool = tools.find((candidate) => candidate.name === limit.tool);
    return `I can ${tool ? verbOf(tool) : "handle"} at most ${limit.max} in one request; for more than that, I'd hand your case over to a human colleague. Under our rules that limit applies to every request.`;
  }
  const eligible = book.eligibility.find((rule) => rule.text === best.statement);
  if (eligible) {
    const tool = tools.find((candidate) => candidate.name === eligible.tool);
    const noun = tool ? describeEntity(tool) : "record";
    const asked = splitWords(question).join(" ");
    const named = eligible.allowed.filter((value) => asked.includes(value));
    const other = asked.match(/that is ([a-z ]+?) can/)?.[1];
    const verb = tool ? pastTense(splitWords(verbOf(tool))[0] ?? "change") : "changed";
    const verdict = other && !named.includes(other) ? ` So ${addArticle(noun)} that is ${other} can't be ${verb} here.` : "";
    return `Under our rules, ${addArticle(noun)} can be ${verb} only while its ${humanize(eligible.field)} is ${joinList(eligible.allowed, "or")}.${verdict}`;
  }
  if (book.handover?.text === best.statement) return phraseHandover(book.handover.topics);
  if (book.identity && /email/i.test(best.statement)) {
    return "Under our rules, nothing is shared or changed until the email address on the account matches the one on the record — so have that email address ready; the record's number helps too.";
  }
  return `Under our rules: ${capitalize(best.statement.replace(/\s*\([^)]*\)/g, "").replace(/^[A-Za-z ]+:\s*/, ""))}`;
}

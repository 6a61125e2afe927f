import { readSchemaEnum } from "./schema-values.js";
import { findStatusParam, ID_TEXT_PATTERN, isIdParam, sameEntity, type ToolAnatomy, type ToolOperation } from "./tool-anatomy.js";
import { toContentStems, humanize, splitSentences, splitWords, stemWord } from "./text.js";
import { findEnumValue } from "./value-extraction.js";

/*
 * The agent's plan for a request: which tool fulfils it (matching the user's words against tool names,
 * descriptions and parameters, with everyday synonyms), and the chain around it — look the record up
 * before changing it, search first when the user lost the id or wants a duplicate check, two look-ups
 * for a comparison.
 */

export type PlanShape = "write" | "read" | "reads" | "search";

export interface AgentPlan {
  shape: PlanShape;
  main: ToolAnatomy;
  /** Tools in order; the main one last. */
  steps: ToolAnatomy[];
  /** The first step is a search the user's words should feed (the id is unknown). */
  searchFirst: boolean;
  /** For several records at once ("reads"): the look-up of each entity asked about, and how many records the user named (0: as many as they give). */
  reads?: Array<{ tool: ToolAnatomy; count: number }> | undefined;
}

const OPERATION_WORDS: Record<ToolOperation, string[]> = {
  read: ["status", "check", "look", "details", "detail", "tell", "show", "where", "stand", "latest", "info", "view"],
  search: ["find", "search", "list", "all", "any", "lost", "which"],
  create: ["create", "new", "book", "open", "register", "set", "add", "file", "submit", "make", "start", "request", "schedule", "enrol", "enroll"],
  update: ["change", "update", "mark", "set", "modify", "correct", "edit", "switch", "wrong"],
  delete: ["cancel", "delete", "remove", "revoke", "withdraw", "terminate", "close", "longer", "drop"],
  action: [],
};

const VERB_SYNONYMS: Record<string, string[]> = {
  reschedule: ["move", "postpone", "later", "earlier", "rebook"],
  refund: ["money", "back", "owed", "reimburse", "refund"],
  extend: ["longer", "more", "extension", "extend"],
  renew: ["renew", "renewal", "extend", "longer"],
  upgrade: ["upgrade", "better", "higher"],
  escalate: ["escalate", "urgent", "priority", "manager"],
  assign: ["assign", "colleague", "someone", "person", "reassign", "hand"],
  reroute: ["reroute", "redirect"],
  restock: ["restock", "received", "delivery", "units", "stock"],
  confirm: ["confirm", "confirmed"],
  approve: ["approve", "accept"],
  reject: ["reject", "decline"],
  resolve: ["resolve", "fixed", "solved"],
  reactivate: ["reactivate", "again", "restore"],
};

const FIND_CUE = /(can't find|cannot find|don't have|do not have|don't know|do not know|lost|forgot|don't remember|can't remember|not sure what|never wrote)/i;
/** The user wants to know something ("I'd like to know the status of my order"), not to change it. */
const READ_CUE = /\bknow\b|\btell me (the|what|whether|if|how)\b/i;
const LIST_CUE = /\b(find|search|list|all|any|which)\b/i;
const COMPARE_CUE = /\b(compare|comparison|both|two|three|four|each|difference|side by side|[2-4])\b/i;
const COUNT_WORDS: Record<string, number> = { both: 2, two: 2, three: 3, four: 4, "2": 2, "3": 3, "4": 4 };
const CHECK_FIRST_CUE = /(check (first|whether|if|my existing)|already (have|exists?)|on file|duplicate|existing)/i;

function toStemSet(text: string): Set<string> {
  return new Set(toContentStems(text));
}

/** How well a tool fits the request; a write needs a verb match to count at all. */
export interface ToolScore {
  /** Fit from the tool's name and parameters. */
  score: number;
  /** `score` plus a little for words shared with the description, to break ties. */
  rank: number;
  verbMatch: boolean;
  ownVerb: boolean;
  /** The text says the tool's verb itself ("cancel"), not only another word of its name ("alert"). */
  mainVerb: boolean;
}

/** Description words most tools share (the organisation's name, "returns", …) tell tools apart poorly. */
function commonDescriptionStems(tools: readonly ToolAnatomy[]): Set<string> {
  const counts = new Map<string, number>();
  for (const tool of tools) for (const stem of new Set(toContentStems(tool.spec.description))) counts.set(stem, (counts.get(stem) ?? 0) + 1);
  return new Set(tools.length >= 3 ? [...counts].filter(([, count]) => count > tools.length / 2).map(([stem]) => stem) : []);
}

const JOINING_WORDS = new Set(["with", "of", "by", "for", "and", "in", "on", "to", "from", "at"]);

function scoreTool(anatomy: ToolAnatomy, text: string, common: ReadonlySet<string> = new Set()): ToolScore {
  const stems = toStemSet(text);
  const has = (word: string): boolean => stems.has(stemWord(word));
  // "directory_with_sizes": the joining word is not something the user names.
  const entityWords = anatomy.entityName.split("_").filter((word, index, words) => words.length === 1 || !JOINING_WORDS.has(word));
  const entityStems = new Set(anatomy.entityName === anatomy.verb ? [] : entityWords.map(stemWord));
  const notEntity = (word: string): boolean => !entityStems.has(stemWord(word));
  const actionWords = anatomy.actionWords.filter((word) => !/^(status|details)$/.test(word) && notEntity(word));
  const verbWords = [anatomy.verb, ...actionWords, ...(VERB_SYNONYMS[anatomy.verb] ?? []), ...OPERATION_WORDS[anatomy.operation]].filter(notEntity);
  const mainVerb = notEntity(anatomy.verb) && has(anatomy.verb);
  const ownVerb = mainVerb || actionWords.some((word) => word !== anatomy.verb && has(word));
  const verbHits = verbWords.filter((word) => has(word)).length;
  let score = (ownVerb ? 3 : 0) + Math.min(verbHits, 3);
  if (entityWords.every((word) => has(word))) score += entityWords.length > 1 ? 3 : 2;
  else if (entityWords.some((word) => has(word))) score += 1;
  const status = findStatusParam(anatomy);
  const namesStatus = status !== undefined && findEnumValue(text, readSchemaEnum(status.schema) ?? []) !== undefined;
  if (namesStatus) score += has("status") ? 6 : 3;
  const descriptionHits = new Set(toContentStems(anatomy.spec.description).filter((stem) => stems.has(stem) && !entityStems.has(stem) && !common.has(stem))).size;
  const unknownVerb = anatomy.operation === "action" && VERB_SYNONYMS[anatomy.verb] === undefined;
  const lowered = ` ${splitWords(text).join(" ")} `;
  const mentioned = anatomy.params.filter((param) => !isIdParam(param) && lowered.includes(` ${humanize(param.name).toLowerCase()} `)).length;
  score += Math.min(mentioned, 2);
  if (anatomy.operation === "create" && has("new")) score += 2;
  if (unknownVerb && descriptionHits >= 3) score += Math.min(descriptionHits, 5);
  return { score, rank: score + Math.min(descriptionHits, 4) * 0.5, verbMatch: verbHits > 0 || (unknownVerb && descriptionHits >= 3), ownVerb, mainVerb };
}

/**
 * Plan from the request's first message (`text`); `everything` (all the user said since) only tells
 * whether the user lacks the record's id, which calls for a search first.
 */
export function planRequest(text: string, everything: string, tools: readonly ToolAnatomy[]): AgentPlan | undefined {
  const common = commonDescriptionStems(tools);
  const scored = tools.map((anatomy) => ({ anatomy, ...scoreTool(anatomy, text, common) })).sort((a, b) => b.rank - a.rank);
  const comparing = COMPARE_CUE.test(text);
  const asking = READ_CUE.test(text);
  // A look-up named by its own verb ("list the alerts" → list_alerts) beats a write that only shares a word
  // ("files", or "alert" in cancel_alert_subscription); a write whose verb the user says ("cancel") stays.
  const namedRead = scored.find((entry) => entry.anatomy.readOnly && entry.mainVerb);
  const outranked = (entry: ToolScore): boolean => namedRead !== undefined && namedRead.score > entry.score;
  const candidates = asking
    ? []
    : scored.filter((entry) => !entry.anatomy.readOnly && (entry.mainVerb || ((entry.ownVerb || (entry.verbMatch && !comparing)) && !outranked(entry))) && entry.score >= 4);
  // A write on the record the user names ("my order") beats one on another kind of record whose verb they used.
  const onNamed = candidates.filter((entry) => entry.anatomy.entityName.split("_").every((word) => toStemSet(text).has(stemWord(word))));
  const writes = onNamed.length > 0 ? onNamed : candidates;
  const reads = scored.filter((entry) => entry.anatomy.readOnly && entry.rank > 0);
  const lostId = mentionsLostId(text) || mentionsLostId(everything);
  const getTools = reads.filter((entry) => entry.anatomy.operation === "read" && entry.anatomy.idParam);
  const prefixes = new Set((text.match(ID_TEXT_PATTERN) ?? []).map((id) => id.split("-")[0]));
  const getTool = (getTools.find((entry) => entry.anatomy.idPrefix !== undefined && prefixes.has(entry.anatomy.idPrefix)) ?? getTools[0])?.anatomy;
  const bestWrite = writes[0]?.anatomy;
  const named = namedLookups(text, getTools.map((entry) => entry.anatomy));
  if (!bestWrite && named.length >= 2) return { shape: "reads", main: named[0] as ToolAnatomy, steps: named, searchFirst: false, reads: named.map((tool) => ({ tool, count: 1 })) };
  if (getTool && comparing) return { shape: "reads", main: getTool, steps: [getTool], searchFirst: false, reads: [{ tool: getTool, count: countRecords(text) }] };
  if (bestWrite) return planWrite(bestWrite, tools, text, lostId);
  if (getTool && lostId) {
    const search = findSibling(tools, getTool, "search");
    if (search) return { shape: "read", main: getTool, steps: [search, getTool], searchFirst: true };
  }
  const best = reads[0]?.anatomy;
  if (!best) return undefined;
  if (best.operation === "search" && (!getTool || LIST_CUE.test(text))) return { shape: "search", main: best, steps: [best], searchFirst: true };
  return { shape: "read", main: getTool ?? best, steps: [getTool ?? best], searchFirst: false };
}

/** Look-ups whose entity the text names ("my flight booking and my hotel reservation"), one per entity. */
function namedLookups(text: string, gets: readonly ToolAnatomy[]): ToolAnatomy[] {
  const stems = toStemSet(text);
  const named = gets.filter((tool) => tool.entityName.split("_").every((word) => stems.has(stemWord(word))));
  return named.filter((tool, index) => named.findIndex((other) => sameEntity(other, tool)) === index);
}

/** How many records a request names: "both", "my three orders", "my 2 bookings" (0 when it does not say). */
function countRecords(text: string): number {
  const word = splitWords(text).find((candidate) => COUNT_WORDS[candidate] !== undefined);
  return word ? (COUNT_WORDS[word] as number) : 0;
}

/** A sentence says the user lacks the record's id ("I lost my order number", "I don't know the order ID"). */
function mentionsLostId(text: string): boolean {
  return splitSentences(text).some((sentence) => FIND_CUE.test(sentence) && /(number|\bid\b|reference|code)/i.test(sentence));
}

function planWrite(main: ToolAnatomy, tools: readonly ToolAnatomy[], text: string, lostId: boolean): AgentPlan {
  const get = findSibling(tools, main, "read");
  const search = findSibling(tools, main, "search");
  if (main.operation === "create") {
    const check = search && CHECK_FIRST_CUE.test(text);
    return { shape: "write", main, steps: check ? [search, main] : [main], searchFirst: Boolean(check) };
  }
  const steps: ToolAnatomy[] = [];
  if (lostId && search) steps.push(search);
  if (get && main.idParam) steps.push(get);
  steps.push(main);
  return { shape: "write", main, steps, searchFirst: lostId && search !== undefined };
}

/** A tool about the same entity with the given operation (a get for a write, a search for a get). */
function findSibling(tools: readonly ToolAnatomy[], anchor: ToolAnatomy, operation: ToolOperation): ToolAnatomy | undefined {
  return tools.find((tool) => tool !== anchor && tool.operation === operation && sameEntity(tool, anchor) && (operation !== "read" || tool.idParam !== undefined));
}

import type { Random } from "../../../support/random.js";
import type { UserTurnContext } from "../../request-context.js";
import type { Voice } from "./personas.js";
import { pickPhrase } from "./text.js";
import { readScenario, toFirstPerson } from "./scenario-text.js";
import { ID_TEXT_PATTERN } from "./tool-anatomy.js";

/*
 * A long session: when the episode allows many user turns, the simulated user does not leave once the goal
 * is met but goes on with the follow-ups people have — check a record again (one that was just created or
 * changed, so the world state is read back), see its details, or compare two records — until its last turns.
 */

/** The user turns from which a session counts as long (the default episode allows 8). */
export const LONG_SESSION_TURNS = 16;
/** The last turns of a long session, when the user wraps up instead of asking more. */
const CLOSING_TURNS = 2;

export function isLongSession(context: UserTurnContext): boolean {
  return context.maxTurns >= LONG_SESSION_TURNS && context.turn < context.maxTurns - CLOSING_TURNS;
}

const LEADS: Record<Voice, string[]> = {
  terse: ["", "Also:", "Next:"],
  friendly: ["Thanks! One more thing — ", "Great, thank you! While I have you: ", "Lovely. Oh, and "],
  formal: ["Thank you. In addition, ", "Very well. One further request: ", "Thank you. "],
  anxious: ["Thank you so much. Sorry, one more thing — ", "Okay, thank you. Could I also ask: ", "Sorry to keep bothering you, but "],
  casual: ["Cool. Also, ", "Nice. Next thing: ", "Sweet. Oh and "],
};

const AFTER_FAILURE: Record<Voice, string[]> = {
  terse: ["Never mind that. ", "Forget it. "],
  friendly: ["No worries about that! Instead, ", "Oh well! Different question: "],
  formal: ["Understood; let us leave that. ", "I see. Then instead: "],
  anxious: ["Oh, okay... never mind then. ", "Sorry, let's skip that. "],
  casual: ["Eh, skip it. ", "No biggie. "],
};

const STATUS_CHECKS = [
  "could you check {ref} again and tell me its current status?",
  "can you look at {ref} once more and confirm its status?",
  "please check the status of {ref} for me.",
];
const DETAIL_CHECKS = ["could you show me the latest details of {ref}?", "what are the details on {ref} right now?", "can you show me {ref} so I can check the details?"];
const COMPARISONS = ["could you compare {first} and {second} side by side?", "can you check both {first} and {second} and tell me how they differ?"];
const LISTINGS = ["could you list all my {plural} for me?", "can you search for any other {plural} I have?", "could you find all the {plural} on my account?"];
const REPEATS = ["I have a similar request: I'd like to {request}.", "another one like before: I'd like to {request}."];
const NOT_NOUNS = new Set(["is", "was", "the", "for", "of", "to", "with", "and", "found", "my", "your", "its", "it's", "number", "id", "on", "about", "at", "that", "as", "are", "ids", "both", "check", "compare"]);

/** The user's next request in a long session; `afterFailure` when the last one could not be done. */
export function composeFollowUp(context: UserTurnContext, voice: Voice, afterFailure: boolean, random: Random): string {
  const ids = collectMentionedIds(context);
  const lead = (afterFailure ? pickPhrase(random, AFTER_FAILURE[voice]) : random.pick(LEADS[voice])).trim();
  const request = pickRequest(context, ids, random);
  if (lead === "") return capitalizeStart(request);
  return /[.!?:]$/.test(lead) ? `${lead} ${/[:]$/.test(lead) ? request : capitalizeStart(request)}` : `${lead} ${request}`;
}

function pickRequest(context: UserTurnContext, ids: readonly string[], random: Random): string {
  const pairs = ids.flatMap((first, index) => ids.slice(index + 1).filter((second) => prefixOf(second) === prefixOf(first)).map((second) => [first, second] as const));
  const roll = random.next();
  const pair = pairs.length > 0 && roll < 0.2 ? random.pick(pairs) : undefined;
  if (pair) return pickPhrase(random, COMPARISONS, { first: pair[0], second: pair[1] });
  const noun = ids.length > 0 ? findNoun(context, random.pick(ids)) : undefined;
  if (noun && roll < 0.35) return pickPhrase(random, LISTINGS, { plural: `${noun}s` });
  if (ids.length === 0 || roll >= 0.85) return pickPhrase(random, REPEATS, { request: toFirstPerson(readScenario(context.scenario).requests[0] ?? "get help with something similar") });
  const id = random.chance(0.5) ? (ids[0] as string) : random.pick(ids);
  return pickPhrase(random, random.chance(0.6) ? STATUS_CHECKS : DETAIL_CHECKS, { ref: id });
}

/** The word the assistant put before an id ("order ORD-10442" → "order"), to name its kind. */
function findNoun(context: UserTurnContext, id: string): string | undefined {
  for (const turn of [...context.conversation].reverse()) {
    if (turn.speaker !== "agent") continue;
    const word = new RegExp(`([A-Za-z]+) ${id}\\b`).exec(turn.text)?.[1]?.toLowerCase();
    if (word && !NOT_NOUNS.has(word) && word.length > 2) return word;
  }
  return undefined;
}

/** Ids said in the conversation or known from the task, the most recently said first. */
function collectMentionedIds(context: UserTurnContext): string[] {
  const said = [...context.conversation].reverse().flatMap((turn) => turn.text.match(ID_TEXT_PATTERN) ?? []);
  const known = context.hiddenFacts.flatMap((fact) => (typeof fact.value === "string" ? (fact.value.match(ID_TEXT_PATTERN) ?? []) : []));
  return [...new Set([...said, ...known])];
}

function prefixOf(id: string): string {
  return id.split("-")[0] ?? id;
}

function capitalizeStart(text: string): string {
  return text.length > 0 ? `${text.charAt(0).toUpperCase()}${text.slice(1)}` : text;
}

function lowerStart(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? `${text.charAt(0).toLowerCase()}${text.slice(1)}` : text;
}

import type { HiddenFact } from "../../../domain/task.js";
import type { UserTurnContext, UserTurnOutput } from "../../request-context.js";
import type { Random } from "../../../support/random.js";
import { clearlyRequestedFacts, looselyRequestedFacts } from "./fact-matching.js";
import { pickVoice, type Voice } from "./personas.js";
import { composeFollowUp, isLongSession } from "./user-follow-ups.js";
import { capitalize, ensurePeriod, formatValue, lowerFirst, pickPhrase, splitSentences } from "./text.js";
import { CONFIRMATIONS, FACT_LEADS, GIVE_UPS, IMPATIENT_TAILS, NUDGES, OPENINGS, OUT_OF_TIME, SINGLE_ID_ANSWERS, THANKS, UNKNOWN_ANSWERS } from "./user-phrases.js";

/*
 * The user simulator: one step at a time, in the persona's voice. It opens with the goal (never the
 * hidden facts), answers exactly the facts the assistant asks for, says yes to a confirmation, admits
 * what it does not know, and stops when the assistant reports the goal done, or it clearly cannot be.
 * In a long session it goes on with follow-up requests instead; and now and then it stops right after a
 * confirmation request (unless told that such a stop was rejected), so the episode guard is exercised.
 */

const CONFIRMATION_CUE = /(shall i|should i|do you want me to|would you like me to|can i go ahead|may i (go ahead|proceed)|okay to proceed|ok to proceed|go ahead\?|\bconfirm\b|proceed\?|is that (right|correct)\?)/i;
const CLOSING_CUE = /(anything else|something else|any other (questions|requests)|further (help|assistance)|else i can (help|do))/i;
const ASK_CUE = /(\?|please (provide|share|send|tell|give)|could you (provide|share|tell|give|send)|let me know|i('ll| will)? need (your|the))/i;
const FAILURE_CUE = /(couldn't|could not|can't|cannot|unable to|wasn't able|was not able|not found|doesn't exist|does not exist|no .{1,40} (matches|was found|were found)|failed|error)/i;
/** The share of confirmation requests the simulated user answers by leaving, as LLM user simulators sometimes do. */
export const PREMATURE_STOP_RATE = 0.12;
const UNKNOWN_ANSWER_CUE = /(don't know|do not know|don't have|do not have|no idea|not sure)/i;

export function simulateUserTurn(context: UserTurnContext, random: Random): UserTurnOutput {
  const voice = pickVoice(context.persona.style);
  const lastAgent = [...context.conversation].reverse().find((turn) => turn.speaker === "agent");
  const lastTurn = context.conversation[context.conversation.length - 1];
  if (!lastAgent) return { message: openConversation(context.goal, voice, random), stop: false };
  if (context.turn >= context.maxTurns - 1) return { message: pickPhrase(random, OUT_OF_TIME[voice]), stop: true };
  if (lastTurn?.speaker === "user") return { message: pickPhrase(random, NUDGES[voice]), stop: false };
  const { premature, ...reply } = replyToAgent(context, lastAgent.text, voice, random);
  if (!reply.stop || premature || !isLongSession(context)) return reply;
  return { message: composeFollowUp(context, voice, GIVE_UPS[voice].includes(reply.message), random.fork("follow-up")), stop: false };
}

function openConversation(goal: string, voice: Voice, random: Random): string {
  const sentence = ensurePeriod(goal.trim());
  const thanked = /thank/i.test(sentence);
  const templates = OPENINGS[voice].filter((template) => !(thanked && /thank/i.test(template)));
  return pickPhrase(random, templates.length > 0 ? templates : OPENINGS[voice], { goal: sentence, goalLower: lowerFirst(sentence) });
}

/** The reply to the agent's last message; `premature` marks a stop right after a confirmation request. */
function replyToAgent(context: UserTurnContext, text: string, voice: Voice, random: Random): UserTurnOutput & { premature?: boolean } {
  if (isClosing(text)) return { message: pickPhrase(random, THANKS[voice]), stop: true };
  const facts = clearlyRequestedFacts(text, context.hiddenFacts);
  if (facts.length > 0) return { message: answerFacts(facts, voice, random) + pickImpatience(context, random), stop: false };
  if (CONFIRMATION_CUE.test(text) && /\?/.test(text)) {
    // Now and then a simulated user takes the proposal for the result and leaves (the guard catches it).
    if (!context.stopRejected && random.fork("premature-stop").chance(PREMATURE_STOP_RATE)) return { message: pickPhrase(random, THANKS[voice]), stop: true, premature: true };
    return { message: pickPhrase(random, CONFIRMATIONS[voice]), stop: false };
  }
  const asking = ASK_CUE.test(text);
  if (asking) {
    const loose = looselyRequestedFacts(text, context.hiddenFacts);
    if (loose.length > 0) return { message: answerFacts(loose, voice, random), stop: false };
    if (hasSaidUnknown(context)) return { message: pickPhrase(random, GIVE_UPS[voice]), stop: true };
    return { message: pickPhrase(random, UNKNOWN_ANSWERS[voice], { thing: askedThing(text) }), stop: false };
  }
  if (FAILURE_CUE.test(text)) return { message: pickPhrase(random, GIVE_UPS[voice]), stop: true };
  return { message: pickPhrase(random, THANKS[voice]), stop: true };
}

/** The assistant wraps up: its only question is "anything else?". */
function isClosing(text: string): boolean {
  const sentences = splitSentences(text);
  return sentences.some((sentence) => CLOSING_CUE.test(sentence)) && !sentences.some((sentence) => sentence.includes("?") && !CLOSING_CUE.test(sentence));
}

/** State each fact plainly so it can be picked up: "My order number is ORD-10442." */
function answerFacts(facts: readonly HiddenFact[], voice: Voice, random: Random): string {
  const lead = random.pick(FACT_LEADS[voice]);
  const only = facts.length === 1 ? facts[0] : undefined;
  const statement =
    only && typeof only.value === "string" && /^[A-Z]{2,5}-\d+$/.test(only.value)
      ? pickPhrase(random, SINGLE_ID_ANSWERS, { value: only.value, label: labelFact(only) })
      : [...new Set(facts.map((fact) => `${labelFact(fact)} is ${speakValue(fact)}.`))].join(" ");
  return /[—,]\s*$/.test(lead) ? `${lead}${lowerFirst(statement)}` : `${lead}${statement}`;
}

/** Values as people say them: `premium_economy` → "premium economy"; ids, emails and dates as they are. */
function speakValue(fact: HiddenFact): string {
  if (fact.value !== null && typeof fact.value === "object") return JSON.stringify(fact.value);
  const text = formatValue(fact.value);
  return /^[a-z]+(_[a-z0-9]+)+$/.test(text) ? text.replace(/_/g, " ") : text;
}

/** The fact's description in the user's mouth: "your order number" → "My order number". */
function labelFact(fact: HiddenFact): string {
  const description = fact.description.trim().replace(/[.:]+$/, "");
  const phrase = /^(the|your|my|a|an)\b/i.test(description) && description.split(/\s+/).length <= 9 ? description : `the ${fact.key.replace(/_/g, " ")}`;
  return capitalize(phrase.replace(/\byour\b/gi, "my").replace(/\byou\b/gi, "I"));
}

function askedThing(text: string): string {
  const match = /(?:your|the)\s+([a-z][a-z -]{2,40}?)(?:\?|,|\.|\s+(?:so|to|for|and|please|that|which|of)\b|$)/i.exec(text);
  return match?.[1] ? `the ${match[1].trim()}` : "that";
}

function hasSaidUnknown(context: UserTurnContext): boolean {
  return context.conversation.some((turn) => turn.speaker === "user" && UNKNOWN_ANSWER_CUE.test(turn.text));
}

function pickImpatience(context: UserTurnContext, random: Random): string {
  return context.persona.patience === "low" && context.turn >= 3 ? random.pick(IMPATIENT_TAILS) : "";
}

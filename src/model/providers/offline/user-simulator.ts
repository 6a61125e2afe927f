import type { HiddenFact } from "../../../domain/task.js";
import type { ConversationTurn, UserTurnContext, UserTurnOutput } from "../../request-context.js";
import type { Random } from "../../../support/random.js";
import { clearlyRequestedFacts, looselyRequestedFacts } from "./fact-matching.js";
import { pickVoice, type Voice } from "./personas.js";
import { readScenario, toFirstPerson, type ScenarioReading } from "./scenario-text.js";
import { composeFollowUp, isLongSession } from "./user-follow-ups.js";
import { capitalize, ensurePeriod, formatValue, lowerFirst, pickPhrase, splitSentences, splitWords, stemWord } from "./text.js";
import {
  ACCEPTANCES,
  CHANGES_OF_MIND,
  CONFIRMATIONS,
  FACT_LEADS,
  GIVE_UPS,
  IMPATIENT_TAILS,
  MISSING_NUMBERS,
  NEXT_REQUESTS,
  NUDGES,
  OPENINGS,
  OUT_OF_TIME,
  PUSH_BACKS,
  SINGLE_ID_ANSWERS,
  THANKS,
  UNKNOWN_ANSWERS,
} from "./user-phrases.js";

/*
 * The user simulator: one step at a time, in the persona's voice, playing its scenario (the text it is
 * given). It opens with its first request (and the condition it comes with), answers exactly the facts the
 * assistant asks for, tells which record it means when asked, says yes to a confirmation — or changes its
 * mind when the scenario says so —, pushes back once on a refusal and then accepts it, brings up its next
 * request when the last one is done, admits what it does not know, and stops only when everything is done or
 * clearly cannot be. In a long session it goes on with follow-up requests; and now and then it stops right
 * after a confirmation request (unless told that such a stop was rejected), so the episode guard is exercised.
 */

const CONFIRMATION_CUE = /(shall i|should i|do you want me to|would you like me to|can i go ahead|may i (go ahead|proceed)|okay to proceed|ok to proceed|go ahead\?|\bconfirm\b|proceed\?|is that (right|correct)\?)/i;
const CLOSING_CUE = /(anything else|something else|any other (questions|requests)|further (help|assistance)|else i can (help|do))/i;
const ASK_CUE = /(\?|please (provide|share|send|tell|give)|could you (provide|share|tell|give|send)|let me know|i('ll| will)? need (your|the))/i;
const WHICH_CUE = /\bwhich (one|of (these|them|the two))\b|which [a-z ]{2,30} do you mean/i;
const REFUSAL_CUE = /(i can't|i cannot|i'm not able to|i am not able to|not allowed|isn't allowed|is not allowed|can only be|only while|against (our|the) (policy|rules)|i'm afraid i can't|won't be able to|can't share|cannot share|hand (you|your case|the case) over|human colleague)/i;
const FAILURE_CUE = /(couldn't|could not|can't|cannot|unable to|wasn't able|was not able|not found|doesn't exist|does not exist|no .{1,40} (matches|was found|were found)|failed|error)/i;
/** The share of confirmation requests the simulated user answers by leaving, as LLM user simulators sometimes do. */
export const PREMATURE_STOP_RATE = 0.12;
const UNKNOWN_ANSWER_CUE = /(don't know|do not know|don't have|do not have|no idea|not sure)/i;

interface Progress {
  reading: ScenarioReading;
  /** How many of the scenario's requests the user has brought up. */
  said: number;
  changed: boolean;
  pushedBack: boolean;
}

export function simulateUserTurn(context: UserTurnContext, random: Random): UserTurnOutput {
  const voice = pickVoice(context.persona.style);
  const progress = readProgress(context);
  const lastAgent = [...context.conversation].reverse().find((turn) => turn.speaker === "agent");
  const lastTurn = context.conversation[context.conversation.length - 1];
  if (!lastAgent) return { message: openConversation(progress.reading, voice, random), stop: false };
  if (context.turn >= context.maxTurns - 1) return { message: pickPhrase(random, OUT_OF_TIME[voice]), stop: true };
  if (lastTurn?.speaker === "user") return { message: pickPhrase(random, NUDGES[voice]), stop: false };
  const { premature, ...reply } = replyToAgent(context, progress, lastAgent.text, voice, random);
  if (!reply.stop || premature || !isLongSession(context)) return reply;
  return { message: composeFollowUp(context, voice, GIVE_UPS[voice].includes(reply.message), random.fork("follow-up")), stop: false };
}

/** What the user has done of its scenario so far, read from its own turns. */
function readProgress(context: UserTurnContext): Progress {
  const reading = readScenario(context.scenario);
  const said = context.conversation.filter((turn) => turn.speaker === "user").map((turn) => turn.text.toLowerCase());
  const mentions = (clause: string): boolean => said.some((text) => text.includes(spokenRequest(clause).toLowerCase()));
  const first = reading.requests.findIndex((request, index) => index > 0 && !mentions(request));
  return {
    reading,
    said: said.length === 0 ? 0 : first < 0 ? reading.requests.length : first,
    changed: reading.changeOfMind !== undefined && mentions(reading.changeOfMind.request),
    pushedBack: said.some((text) => PUSH_BACKS_PATTERN.test(text)),
  };
}

const PUSH_BACKS_PATTERN = /(no way around|any way around|make an exception|anything you can do|really not possible)/i;

/** A request as the user says it: "cancel your booking" → "cancel my booking"; "the assistant" is "you". */
function spokenRequest(clause: string): string {
  return toFirstPerson(clause).replace(/\bthe assistant\b/gi, "you").replace(/^have you /i, "");
}

/** "I'd like to cancel my booking." or, for a request of the assistant, "Could you read the file?". */
function sayRequest(clause: string, random: Random): string {
  const spoken = spokenRequest(clause);
  if (/^have the assistant /i.test(clause)) return `${random.pick(["Could you", "Can you", "Would you"])} ${spoken}?`;
  return `${random.pick(["I'd like to", "I want to", "I need to"])} ${spoken}.`;
}

function openConversation(reading: ScenarioReading, voice: Voice, random: Random): string {
  const [first = "get some help"] = reading.requests;
  const request = reading.verbatim ? ensurePeriod(first) : sayRequest(first, random);
  const condition = reading.condition ? ` But if ${spokenRequest(reading.condition.when)}, please ${spokenRequest(reading.condition.then)} instead.` : "";
  const sentence = `${request}${condition}`;
  const thanked = /thank/i.test(sentence);
  const templates = OPENINGS[voice].filter((template) => !(thanked && /thank/i.test(template)));
  return pickPhrase(random, templates.length > 0 ? templates : OPENINGS[voice], { goal: sentence, goalLower: lowerFirst(sentence) });
}

/** The reply to the agent's last message; `premature` marks a stop right after a confirmation request. */
function replyToAgent(context: UserTurnContext, progress: Progress, text: string, voice: Voice, random: Random): UserTurnOutput & { premature?: boolean } {
  if (isClosing(text)) return moveOn(progress, voice, random);
  if (REFUSAL_CUE.test(text) && !text.includes("?")) {
    if (progress.reading.pushBack && !progress.pushedBack) return { message: pickPhrase(random, PUSH_BACKS[voice]), stop: false };
    if (progress.reading.pushBack || progress.said >= progress.reading.requests.length) return { message: pickPhrase(random, ACCEPTANCES[voice]), stop: true };
    return moveOn(progress, voice, random);
  }
  if (WHICH_CUE.test(text)) {
    const hint = findChoiceFact(text, context.hiddenFacts);
    if (hint) return { message: `${random.pick(FACT_LEADS[voice])}The one with ${spokenLabel(hint)} ${speakValue(hint)}.`, stop: false };
  }
  if (isConfirmationRequest(text)) {
    if (progress.reading.changeOfMind?.when === "confirm" && !progress.changed) return { message: sayChange(progress, voice, random), stop: false };
    // Now and then a simulated user takes the proposal for the result and leaves (the guard catches it).
    if (!context.stopRejected && random.fork("premature-stop").chance(PREMATURE_STOP_RATE)) return { message: pickPhrase(random, THANKS[voice]), stop: true, premature: true };
    return { message: pickPhrase(random, CONFIRMATIONS[voice]), stop: false };
  }
  // A statement (a summary that names a field) asks for nothing: facts go only to a question.
  const facts = ASK_CUE.test(text) ? clearlyRequestedFacts(text, context.hiddenFacts) : [];
  if (facts.length > 0) {
    const change = progress.reading.changeOfMind?.when === "details" && !progress.changed ? ` ${sayChange(progress, voice, random)}` : "";
    const missing = asksForNumber(text) && !context.hiddenFacts.some(isIdFact) ? ` ${random.pick(MISSING_NUMBERS)}` : "";
    return { message: answerFacts(facts, voice, random) + missing + change + (change ? "" : pickImpatience(context, random)), stop: false };
  }
  const asking = ASK_CUE.test(text);
  if (asking) {
    const loose = looselyRequestedFacts(text, context.hiddenFacts);
    if (loose.length > 0) return { message: answerFacts(loose, voice, random), stop: false };
    if (hasSaidUnknown(context)) return { message: pickPhrase(random, GIVE_UPS[voice]), stop: true };
    return { message: pickPhrase(random, UNKNOWN_ANSWERS[voice], { thing: askedThing(text) }), stop: false };
  }
  if (FAILURE_CUE.test(text) && progress.said >= progress.reading.requests.length) return { message: pickPhrase(random, GIVE_UPS[voice]), stop: true };
  return moveOn(progress, voice, random);
}

/** The next request of the scenario, or thanks and goodbye when there is none. */
function moveOn(progress: Progress, voice: Voice, random: Random): UserTurnOutput {
  const next = progress.reading.requests[progress.said];
  if (next === undefined || progress.reading.verbatim) return { message: pickPhrase(random, THANKS[voice]), stop: true };
  return { message: pickPhrase(random, NEXT_REQUESTS[voice], { request: lowerFirst(sayRequest(next, random)) }), stop: false };
}

function sayChange(progress: Progress, voice: Voice, random: Random): string {
  const change = progress.reading.changeOfMind;
  return change ? pickPhrase(random, CHANGES_OF_MIND[voice], { request: spokenRequest(change.request) }) : "";
}

/** The assistant asks for a yes to a proposed action (and for nothing else). */
function isConfirmationRequest(text: string): boolean {
  return CONFIRMATION_CUE.test(text) && /\?/.test(text) && !REFUSAL_CUE.test(text) && !/(could you (give|tell|share)|what('s| is) (your|the)|which one)/i.test(text);
}

/** The assistant wraps up: its only question is "anything else?". */
function isClosing(text: string): boolean {
  const sentences = splitSentences(text);
  return sentences.some((sentence) => CLOSING_CUE.test(sentence)) && !sentences.some((sentence) => sentence.includes("?") && !CLOSING_CUE.test(sentence));
}

/** The fact that tells which record the user means ("the departure date of the booking you mean"), when the question names its field. */
function findChoiceFact(text: string, facts: readonly HiddenFact[]): HiddenFact | undefined {
  const stems = new Set(splitWords(text).map(stemWord));
  return facts.find((fact) => / you mean$/.test(fact.description) && splitWords(fact.key).every((word) => stems.has(stemWord(word))));
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

/** A choice fact's field: "the departure date of the booking you mean" → "departure date". */
function spokenLabel(fact: HiddenFact): string {
  return /^the (.+?) of the /.exec(fact.description)?.[1] ?? fact.key.replace(/_/g, " ");
}

function asksForNumber(text: string): boolean {
  return /\b(id|ids|number|numbers|reference)\b/i.test(text);
}

function isIdFact(fact: HiddenFact): boolean {
  return splitWords(fact.key).pop() === "id" || (typeof fact.value === "string" && /^[A-Z]{2,5}-\d+$/.test(fact.value));
}

function askedThing(text: string): string {
  const match = /(?:your|the)\s+([a-z][a-z -]{2,40}?)(?:\?|,|\.|\s+(?:so|to|for|and|please|that|which|of)\b|$)/i.exec(text);
  return match?.[1] ? `the ${match[1].trim()}` : "that";
}

function hasSaidUnknown(context: UserTurnContext): boolean {
  return context.conversation.some((turn: ConversationTurn) => turn.speaker === "user" && UNKNOWN_ANSWER_CUE.test(turn.text));
}

function pickImpatience(context: UserTurnContext, random: Random): string {
  return context.persona.patience === "low" && context.turn >= 3 ? random.pick(IMPATIENT_TAILS) : "";
}

import { capitalize, ensurePeriod, splitSentences } from "./text.js";

/*
 * A task's scenario, as tau2-bench writes them: what the simulated user is told, in the second person, in
 * labelled parts (why they contact, what they know, what they don't know, constraints, how to behave). The
 * task writer renders it here and the offline user simulator reads it back from the same words — the text
 * it is given, as a model would be — so the two agree on one phrasing.
 */

export interface ScenarioParts {
  organization: string;
  /** What the user wants, in order, each a clause after "you want to": "cancel your flight booking". */
  requests: string[];
  /** A preference the first request comes with: "if its fare paid is over 300" → "cancel it". */
  condition?: { when: string; then: string } | undefined;
  known: string[];
  unknown: string[];
  constraints: string[];
  /** When to change one's mind, and to what. */
  changeOfMind?: { when: "confirm" | "details"; request: string } | undefined;
  /** Ask once whether there is a way around a refusal before accepting it. */
  pushBack?: boolean | undefined;
  /** What to say when the assistant finds several records: the noun. */
  disambiguate?: string | undefined;
}

const WHY = "Why you are contacting";
const KNOW = "What you know";
const UNKNOWN = "What you don't know";
const CONSTRAINTS = "Constraints";
const BEHAVE = "How to behave";

const CHANGE_ON_CONFIRM = "When the assistant asks you to confirm, change your mind: you want to ";
const CHANGE_ON_DETAILS = "As soon as you have given the details the assistant asks for, change your mind: you want to ";
const PUSH_BACK = "If the assistant says it cannot do what you ask, ask once whether there is any way around it; then accept its answer and end the conversation.";
const ENDING = "End the conversation once everything you wanted is done, or once the assistant makes clear it cannot be done. Reveal a detail only when the assistant asks for it, and never make one up.";

export function renderScenario(parts: ScenarioParts): string {
  const [first, ...rest] = parts.requests;
  const why = [
    first ? `You want to ${first}${parts.condition ? `; but if ${parts.condition.when}, you want to ${parts.condition.then} instead` : ""}.` : "",
    ...rest.map((request) => `Then you also want to ${request}.`),
  ].filter((sentence) => sentence.length > 0);
  const behave = [
    parts.changeOfMind ? `${parts.changeOfMind.when === "confirm" ? CHANGE_ON_CONFIRM : CHANGE_ON_DETAILS}${parts.changeOfMind.request} instead.` : "",
    parts.disambiguate ? `If the assistant finds more than one ${parts.disambiguate}, tell it which one you mean from what you know.` : "",
    parts.pushBack ? PUSH_BACK : "",
    ENDING,
  ].filter((sentence) => sentence.length > 0);
  return [
    `${WHY} ${parts.organization}: ${why.join(" ")}`,
    `${KNOW}: ${parts.known.length ? `${capitalize(parts.known.join("; "))}.` : "Nothing beyond what you want."}`,
    ...(parts.unknown.length ? [`${UNKNOWN}: ${capitalize(parts.unknown.join("; "))}.`] : []),
    ...(parts.constraints.length ? [`${CONSTRAINTS}: ${parts.constraints.map((constraint) => ensurePeriod(capitalize(constraint))).join(" ")}`] : []),
    `${BEHAVE}: ${behave.join(" ")}`,
  ].join("\n");
}

/** What the user simulator reads from a scenario: its requests and how to behave. */
export interface ScenarioReading {
  requests: string[];
  condition?: { when: string; then: string } | undefined;
  changeOfMind?: { when: "confirm" | "details"; request: string } | undefined;
  pushBack: boolean;
  /** No "you want to" sentence: the request is the scenario's first sentence, said as it is. */
  verbatim: boolean;
}

/**
 * Read a scenario. A scenario in other words (a model's, a person's) still gives its "you want to …" sentences
 * as requests; with none, the first sentence is the request.
 */
export function readScenario(scenario: string): ScenarioReading {
  const sentences = splitSentences(scenario.replace(/^[A-Z][^:\n]{0,80}:\s+/gm, ""));
  const requests: string[] = [];
  let condition: ScenarioReading["condition"];
  let changeOfMind: ScenarioReading["changeOfMind"];
  for (const sentence of sentences) {
    const change = /change your mind: you want to (.+?) instead\.?$/i.exec(sentence);
    if (change?.[1]) {
      changeOfMind = { when: /asks you to confirm/i.test(sentence) ? "confirm" : "details", request: change[1] };
      continue;
    }
    const conditional = /^you want to (.+?); but if (.+?), you want to (.+?) instead\.?$/i.exec(sentence);
    if (conditional?.[1] && conditional[2] && conditional[3]) {
      requests.push(conditional[1]);
      condition = { when: conditional[2], then: conditional[3] };
      continue;
    }
    const request = /^(?:then )?you (?:also )?(?:want|need|would like) to (.+?)\.?$/i.exec(sentence);
    if (request?.[1]) requests.push(request[1]);
  }
  const verbatim = requests.length === 0;
  if (verbatim && sentences[0]) requests.push(sentences[0]);
  return { requests, condition, changeOfMind, pushBack: /ask once whether there is any way around it/i.test(scenario), verbatim };
}

/** A second-person clause in the user's own mouth: "cancel your booking" → "cancel my booking". */
export function toFirstPerson(clause: string): string {
  return clause
    .replace(/\byourself\b/gi, "myself")
    .replace(/\byours\b/gi, "mine")
    .replace(/\byour\b/gi, "my")
    .replace(/\byou are\b/gi, "I am")
    .replace(/\byou were\b/gi, "I was")
    .replace(/\byou have\b/gi, "I have")
    .replace(/\byou\b/gi, "me");
}

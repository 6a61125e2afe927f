import type { DomainSpec } from "../../../domain/domain.js";
import type { Persona } from "../../../domain/task.js";
import type { Random } from "../../../support/random.js";
import { makeEmail } from "./schema-values.js";
import { OCCUPATIONS, PERSON_NAMES } from "./vocabulary.js";

/*
 * Simulated users: a name, a writing style the user simulator can voice, expertise, patience and a
 * short background tied to the domain. `voiceOf` maps any style text (also hand-written ones) onto
 * the five voices the user simulator has phrasings for.
 */

export type Voice = "terse" | "friendly" | "formal" | "anxious" | "casual";

interface StyleTemplate {
  style: string;
  voice: Voice;
}

const STYLES: StyleTemplate[] = [
  { style: "brief and direct", voice: "terse" },
  { style: "busy, writes short messages", voice: "terse" },
  { style: "friendly and chatty", voice: "friendly" },
  { style: "warm and appreciative", voice: "friendly" },
  { style: "formal and precise", voice: "formal" },
  { style: "polite and businesslike", voice: "formal" },
  { style: "anxious and apologetic", voice: "anxious" },
  { style: "worried, wants reassurance", voice: "anxious" },
  { style: "casual and relaxed", voice: "casual" },
  { style: "laid-back, a bit informal", voice: "casual" },
];

export interface GeneratedPersona {
  persona: Persona;
  email: string;
}

export function generatePersona(domain: DomainSpec, random: Random, avoidNames: ReadonlySet<string> = new Set()): GeneratedPersona {
  const names = PERSON_NAMES.filter((name) => !avoidNames.has(name));
  const name = random.pick(names.length > 0 ? names : PERSON_NAMES);
  const template = random.pick(STYLES);
  const expertise = random.pick(["novice", "intermediate", "intermediate", "expert"] as const);
  const patience = template.voice === "terse" ? random.pick(["low", "medium"] as const) : random.pick(["low", "medium", "high", "high"] as const);
  const occupation = random.pick(OCCUPATIONS);
  const background = random.pick([
    `A ${occupation} who has dealt with ${domain.organization} before.`,
    `A ${occupation}; uses ${domain.organization} for ${domain.title.toLowerCase()} a few times a year.`,
    `A ${occupation} contacting ${domain.organization} about ${domain.title.toLowerCase()} for the first time in a while.`,
  ]);
  return {
    persona: { name, style: template.style, expertise, language: "en", patience, background },
    email: makeEmail(name),
  };
}

/** The voice a style text asks for. */
export function pickVoice(style: string): Voice {
  const text = style.toLowerCase();
  if (/(anxious|worried|nervous|apolog|unsure|hesitant)/.test(text)) return "anxious";
  if (/(formal|polite|precise|business|professional)/.test(text)) return "formal";
  if (/(brief|direct|short|terse|busy|curt|impatient)/.test(text)) return "terse";
  if (/(friendly|chatty|warm|cheerful|enthusiastic|appreciative)/.test(text)) return "friendly";
  return "casual";
}

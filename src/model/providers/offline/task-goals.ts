import type { Random } from "../../../support/random.js";
import type { ActionKind } from "./action-params.js";
import type { TaskPlanKind } from "./task-plans.js";
import { capitalize, pickPhrase } from "./text.js";

/*
 * Goals in the user's own words. They name what the user wants (and the target status, which is the
 * intent itself) but never the hidden facts: ids, emails, new dates and amounts are revealed only when
 * the assistant asks for them.
 */

export interface GoalValues {
  noun: string;
  plural: string;
  org: string;
  verb?: string;
  status?: string;
  field?: string;
  otherField?: string;
  createVerb?: string;
  toolPhrase?: string;
  [key: string]: string | undefined;
}

const GOALS: Record<Exclude<TaskPlanKind, "action">, string[]> = {
  status_change: [
    "Please change the status of my {noun} to {status}.",
    "Could you mark my {noun} as {status}? It should be updated now.",
    "I need my {noun} with {org} updated to {status}.",
    "Can you update my {noun} so its status is {status}?",
  ],
  removal: [
    "Please {verb} my {noun}.",
    "I no longer need my {noun} with {org} — could you {verb} it?",
    "I'd like to {verb} one of my {plural}.",
    "Can you {verb} my {noun} for me, please?",
  ],
  compare: [
    "I have two {plural} with {org}. Could you compare them and tell me the {field} and {otherField} of each?",
    "Can you look up both of my {plural} and compare their {field} and {otherField}?",
    "I'd like to compare two {plural} of mine — what are the {field} and {otherField} of each one?",
  ],
  find_then_inspect: [
    "I can't find my {noun} number, but I know the email address I used. Could you look up my {noun} and tell me its current status?",
    "I don't have my {noun} number handy. Can you find my {noun} and tell me where it stands?",
    "I lost the {noun} number for my {noun} with {org}. Could you find it and tell me its status?",
  ],
  check_then_create: [
    "I'd like to {createVerb} a new {noun} with {org}. Could you first check whether I already have one on file?",
    "Please {createVerb} a new {noun} for me, but check first that I don't already have one.",
    "Can you {createVerb} {article} for me? Please check my existing {plural} before creating it.",
  ],
  field_change: [
    "I need to change the {field} on my {noun}.",
    "Could you update the {field} of my {noun}? The current one is wrong.",
    "Please correct the {field} on my {noun} with {org}.",
  ],
  lookup: [
    "Could you tell me the current status of my {noun}?",
    "What's the status of my {noun} with {org}? Please look it up for me.",
    "Can you check my {noun} and tell me its details?",
  ],
  single_tool: ["I'd like you to {toolPhrase}.", "Could you {toolPhrase} for me?", "Please {toolPhrase} — I can give you the details you need."],
};

const ACTION_GOALS: Record<ActionKind, string[]> = {
  money: ["I'd like a {verb} on my {noun}.", "Could you {verb} my {noun}? I was told I'm owed money back.", "I want to request a {verb} for my {noun} with {org}."],
  date_change: ["I need to {verb} my {noun} — the current {field} doesn't work for me anymore.", "Could you {verb} my {noun} to a different {field}?", "Please {verb} my {noun}; I need another {field}."],
  tier_change: ["I'd like to {verb} my {noun} to a different {field}.", "Can you {verb} my {noun}? I want to change the {field}.", "Please {verb} my {noun} with {org} to another {field}."],
  reassign: ["Please {verb} my {noun} to a colleague.", "Could you {verb} my {noun} to someone else on the team?", "I need to {verb} one of my {plural} to a different person."],
  relocate: ["I need to {verb} my {noun} to a different {field}.", "Can you {verb} my {noun}? It has to go to another {field}.", "Please {verb} my {noun} — the {field} has changed."],
  restock: ["We just received new units for one of our {plural}. Please {verb} it.", "Could you {verb} one of our {plural}? A delivery just came in.", "I need to {verb} a {noun} after a delivery arrived."],
  status_only: ["Please {verb} my {noun}.", "Could you {verb} my {noun} for me?", "I'd like to {verb} one of my {plural} with {org}.", "Can you {verb} my {noun}, please?"],
};

const TAILS = [
  "",
  "",
  "",
  " It's a bit urgent.",
  " I'd like it sorted today if possible.",
  " I was told to contact you about it.",
  " Thanks in advance.",
  " I'm asking on behalf of my family.",
];

export function composeGoal(kind: TaskPlanKind, actionKind: ActionKind | undefined, values: GoalValues, random: Random): string {
  const templates = kind === "action" ? ACTION_GOALS[actionKind ?? "status_only"] : GOALS[kind];
  const filled: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) filled[key] = value;
  return capitalize(`${pickPhrase(random, templates, filled)}${random.pick(TAILS)}`.trim());
}

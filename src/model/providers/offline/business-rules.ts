import type { DomainSpec } from "../../../domain/domain.js";
import type { Random } from "../../../support/random.js";
import { findStatusField, listStatuses } from "./entity-records.js";
import { readSchemaType } from "./schema-values.js";
import { addArticle, capitalize, humanize, joinList, splitSentences, splitWords } from "./text.js";
import { listStartStatuses, type ToolRole } from "./tool-roles.js";

/*
 * An agent's business rules, written and read in one place: the agent generator writes them (identity check,
 * look-up first, confirmation, when a change is allowed, limits, read-back, hand-over, privacy), the system
 * prompt states them, and the offline agent and task writer read them back from the prompt text — the only
 * place a model would learn them. Each rule names the tool it governs in parentheses, so it can be read.
 */

export interface EligibilityRule {
  tool: string;
  /** The field (snake_case) whose value decides, and the values (as words) that allow the change. */
  field: string;
  allowed: string[];
  text: string;
}

export interface LimitRule {
  tool: string;
  parameter: string;
  max: number;
  text: string;
}

export interface RuleBook {
  /** The email the person gives must match the record's before anything is shared or changed. */
  identity: boolean;
  /** After a change, the record is looked up again and reported as it is now. */
  readBack: boolean;
  eligibility: EligibilityRule[];
  limits: LimitRule[];
  /** Topics handed over to a person, with the rule's text. */
  handover?: { topics: string[]; text: string } | undefined;
  /** Every rule sentence, for questions about policy. */
  statements: string[];
}

export type Audience = "customers" | "staff";

export interface RuleInput {
  domains: readonly DomainSpec[];
  roles: readonly ToolRole[];
  confirmBeforeWrite: boolean;
  audience: Audience;
  random: Random;
}

/** Statuses a record does not leave: no change is allowed from them. */
const TERMINAL = new Set(["cancelled", "canceled", "completed", "closed", "refunded", "delivered", "returned", "done", "expired", "withdrawn", "terminated", "denied", "rejected", "void", "voided", "discontinued", "ported_out", "dropped", "lost", "picked_up", "checked_out", "no_show", "revoked", "paid_out"]);
const LIMIT_PARAMS = /^(amount|refund_amount|quantity|credit|credits|nights|days|extra_days|units)$/;
const IDENTITY = /check it against the record's email/i;
const READ_BACK = /look the record up again/i;
const ELIGIBILITY = /only while its ([a-z][a-z ]*?) is (.+?) \(([A-Za-z0-9_-]+)\)/i;
const LIMIT = /more than (\d+(?:\.\d+)?) per request \(([A-Za-z0-9_-]+), ([A-Za-z0-9_]+)\)/i;
const HANDOVER = /over to a human colleague for (.+?);/i;

/** 5–10 rules for an agent over these domains and tools. */
export function writeBusinessRules(input: RuleInput): string[] {
  const { roles, audience, random } = input;
  const person = audience === "staff" ? "colleague" : "customer";
  const rules: string[] = [];
  const hasEmail = roles.some((role) => role.entity?.fields.some((field) => field.schema.format === "email") && (role.kind === "get" || role.kind === "search"));
  if (hasEmail) rules.push(`Identity: before you share or change a record, ask for the email address on the ${person}'s account and check it against the record's email; if they differ, share nothing and change nothing.`);
  rules.push(`Look a record up before you change it, and change only what the ${person} asked for.`);
  rules.push(
    input.confirmBeforeWrite
      ? `Confirm every change with the ${person} first: say exactly what you will do and wait for a clear yes.`
      : "Carry out a requested change as soon as you have what it needs; no extra confirmation step is needed.",
  );
  rules.push(...random.shuffle(roles.flatMap((role) => writeEligibilityRule(role, random) ?? [])).slice(0, 3));
  rules.push(...roles.flatMap((role) => writeLimitRule(role, random) ?? []).slice(0, 2));
  const changes = roles.filter((role) => role.writes && role.kind !== "create");
  if (changes.length > 0 && changes.every((role) => role.idParam !== undefined && role.anatomy.idPrefix !== undefined)) {
    rules.push(`After a change, look the record up again and tell the ${person} what it says now.`);
  }
  rules.push(`Hand the ${person} over to a human colleague for ${audience === "staff" ? "disciplinary, payroll or legal questions" : "complaints, compensation or legal questions"}; never promise these yourself.`);
  rules.push(audience === "staff" ? "Never share a colleague's records or contact details with anyone else." : "Never share another customer's records or contact details.");
  if (rules.length < 5) rules.push(`Stay within ${joinList(input.domains.map((domain) => domain.title.toLowerCase()))}: for anything else, say what you can help with.`);
  return rules.slice(0, 10);
}

function writeEligibilityRule(role: ToolRole, random: Random): string | undefined {
  if (!role.entity || !role.idParam || (role.kind !== "transition" && role.kind !== "delete")) return undefined;
  const field = findStatusField(role.entity);
  if (!field) return undefined;
  const start = listStartStatuses(role);
  const open = start.filter((status) => !TERMINAL.has(status));
  let allowed = open.length > 0 ? open : start;
  if (allowed.length >= 3 && random.chance(0.5)) allowed = allowed.slice(0, -1);
  if (allowed.length === 0 || allowed.length === listStatuses(role.entity).length) return undefined;
  const noun = humanize(role.entity.name);
  const verb = humanize(role.anatomy.actionWords.join("_") || role.anatomy.verb);
  return `${capitalize(verb)} ${addArticle(noun)} only while its ${humanize(field.name)} is ${joinList(allowed.map(humanize), "or")} (${role.name}); otherwise explain why and change nothing.`;
}

function writeLimitRule(role: ToolRole, random: Random): string | undefined {
  if (!role.writes) return undefined;
  const param = role.anatomy.params.find((candidate) => candidate.required && LIMIT_PARAMS.test(candidate.name) && ["number", "integer"].includes(readSchemaType(candidate.schema) ?? ""));
  if (!param) return undefined;
  const max = /amount|credit/.test(param.name) ? random.pick([100, 150, 200, 250]) : /quantity|units/.test(param.name) ? random.pick([200, 300, 500]) : random.pick([7, 10, 14]);
  const verb = humanize(role.anatomy.actionWords.join("_") || role.anatomy.verb);
  return `Never ${verb} more than ${max} per request (${role.name}, ${param.name}); for more, offer to hand the case over to a human colleague.`;
}

/** The rules a system prompt states, as far as they can be read. */
export function readBusinessRules(systemPrompt: string): RuleBook {
  const section = /\nRules:\n([\s\S]*)$/.exec(systemPrompt)?.[1];
  const statements = section ? section.split("\n").map((line) => line.replace(/^\s*\d+\.\s+/, "").trim()).filter((line) => line.length > 0) : splitSentences(systemPrompt);
  const book: RuleBook = { identity: IDENTITY.test(systemPrompt), readBack: READ_BACK.test(systemPrompt), eligibility: [], limits: [], statements };
  for (const sentence of statements) {
    const eligible = ELIGIBILITY.exec(sentence);
    if (eligible?.[1] && eligible[2] && eligible[3]) {
      book.eligibility.push({ tool: eligible[3], field: splitWords(eligible[1]).join("_"), allowed: eligible[2].split(/,\s*|\s+or\s+/).map(normalizeWords).filter((value) => value.length > 0), text: sentence });
    }
    const limit = LIMIT.exec(sentence);
    if (limit?.[1] && limit[2] && limit[3]) book.limits.push({ tool: limit[2], parameter: limit[3], max: Number(limit[1]), text: sentence });
    const handover = HANDOVER.exec(sentence);
    if (handover?.[1]) book.handover = { topics: handover[1].split(/,\s*|\s+or\s+/).map((topic) => topic.trim()).filter((topic) => topic.length > 0), text: sentence };
  }
  return book;
}

/** A value as rules write it: `checked_in` and "Checked In" both read "checked in". */
export function normalizeWords(value: unknown): string {
  return splitWords(String(value)).join(" ");
}

/** Whether a record's value lets the rule's change happen. */
export function isAllowed(rule: EligibilityRule, value: unknown): boolean {
  return rule.allowed.includes(normalizeWords(value));
}

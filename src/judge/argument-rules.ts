import type { CheckResult } from "../domain/judgment.js";
import type { CallView, Trajectory, TrajectoryView } from "./trajectory.js";

/*
 * Plausible arguments: dates that exist, no placeholder strings, and no id the conversation never showed.
 */

export const ARGUMENT_REASON_CODES = {
  plausible_dates: "impossible_date",
  no_placeholders: "placeholder_argument",
  no_fabricated_ids: "fabricated_id",
} as const;

/** A key that names an id. */
export const ID_LIKE_KEY = /(^id$|_id$|Id$|^id_|_ref$|_number$|_code$|^reference$)/;
/** A value shaped like a record id: a prefix and digits (ORD-1234, usr_8812), or a UUID. */
const ID_LIKE_VALUE = /^(?:[A-Z]{2,8}[-_]\d{3,}|[a-z]{2,8}_[a-z0-9]{8,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const DATE_IN_TEXT = /\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/g;
const PLACEHOLDER = /^(?:string|str|text|value|example|sample|test|foo|bar|baz|xxx+|yyy+|tbd|todo|n\/a|none|null|undefined|placeholder|unknown|lorem ipsum.*|john doe|jane doe|your[ _-]?\w+(?:[ _-]\w+)?|<[^<>]+>|\{\{?[^{}]+\}?\}|\[[a-z _-]+\]|\.{3}|…|user@example\.com|email@example\.com|example@example\.com|test@example\.com|john\.doe@example\.com|123-?456-?7890|0000-00-00|1234567890|abc-?123|x{2,}-?\d*)$/i;

type Argument = { call: CallView; path: string; value: string | number };

/** Every string and number in a call's arguments, with its path. */
function listArguments(calls: readonly CallView[]): Argument[] {
  const out: Argument[] = [];
  const visit = (call: CallView, value: unknown, path: string): void => {
    if (typeof value === "string" || typeof value === "number") out.push({ call, path, value });
    else if (Array.isArray(value)) value.forEach((item, index) => visit(call, item, `${path}[${index}]`));
    else if (value !== null && typeof value === "object") for (const [key, item] of Object.entries(value)) visit(call, item, path ? `${path}.${key}` : key);
  };
  for (const call of calls) if (call.args) visit(call, call.args, "");
  return out;
}

/** Dates in arguments that do not exist on any calendar (2024-13-45, 6083-64-34, 25:61). */
export function checkPlausibleDates(view: TrajectoryView): CheckResult {
  const id = "plausible_dates";
  const impossible = listArguments(view.calls).filter((argument) => typeof argument.value === "string" && findImpossibleDate(argument.value) !== undefined);
  if (impossible.length === 0) return { id, passed: true };
  return {
    id,
    passed: false,
    reason: ARGUMENT_REASON_CODES.plausible_dates,
    detail: `impossible dates in arguments: ${impossible.map((argument) => `${argument.call.name}.${argument.path} = "${argument.value}"`).join(", ")}`,
    evidence: impossible.map((argument) => ({ message: argument.call.messageIndex, text: `${argument.call.name}.${argument.path} = ${argument.value}` })),
  };
}

/** The first date-like part of a text that is not a real date or time. */
export function findImpossibleDate(text: string): string | undefined {
  for (const match of text.matchAll(DATE_IN_TEXT)) {
    const [whole, year, month, day, hour, minute, second] = match.map((part) => (part === undefined ? undefined : Number(part)));
    if (year === undefined || month === undefined || day === undefined) continue;
    const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const dateOk = year >= 1000 && year <= 2999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth;
    const timeOk = (hour === undefined || hour <= 23) && (minute === undefined || minute <= 59) && (second === undefined || second <= 60);
    if (!dateOk || !timeOk) return String(whole ?? match[0]);
  }
  return undefined;
}

/** Placeholder-like strings in arguments that nobody said before the call. */
export function checkNoPlaceholders(trajectory: Trajectory, view: TrajectoryView): CheckResult {
  const id = "no_placeholders";
  const placeholders = listArguments(view.calls).filter(
    (argument) => typeof argument.value === "string" && PLACEHOLDER.test(argument.value.trim()) && !seenBefore(trajectory, argument.call.messageIndex).includes(argument.value.trim().toLowerCase()),
  );
  if (placeholders.length === 0) return { id, passed: true };
  return {
    id,
    passed: false,
    reason: ARGUMENT_REASON_CODES.no_placeholders,
    detail: `placeholder-like arguments: ${placeholders.map((argument) => `${argument.call.name}.${argument.path} = "${argument.value}"`).join(", ")}`,
    evidence: placeholders.map((argument) => ({ message: argument.call.messageIndex, text: `${argument.call.name}.${argument.path} = ${argument.value}` })),
  };
}

/** Id-like argument values (by key or by shape) that appear nowhere earlier: not in the system prompt, a user turn or a tool result. */
export function checkNoFabricatedIds(trajectory: Trajectory, view: TrajectoryView): CheckResult {
  const id = "no_fabricated_ids";
  const fabricated = listArguments(view.calls).filter((argument) => {
    const key = argument.path.split(/[.[]/).pop() ?? "";
    const text = String(argument.value);
    const idLike = (ID_LIKE_KEY.test(key) && (typeof argument.value === "string" ? text.length >= 3 : text.length >= 3)) || (typeof argument.value === "string" && ID_LIKE_VALUE.test(text));
    return idLike && !seenBefore(trajectory, argument.call.messageIndex).includes(text.toLowerCase());
  });
  if (fabricated.length === 0) return { id, passed: true };
  return {
    id,
    passed: false,
    reason: ARGUMENT_REASON_CODES.no_fabricated_ids,
    detail: `ids never seen before use: ${fabricated.map((argument) => `${argument.call.name}.${argument.path} = "${argument.value}"`).join(", ")}`,
    evidence: fabricated.map((argument) => ({ message: argument.call.messageIndex, text: `${argument.call.name}.${argument.path} = ${argument.value}` })),
  };
}

/** Lower-cased system prompt, user turns and tool results before a message. */
function seenBefore(trajectory: Trajectory, messageIndex: number): string {
  return trajectory.messages
    .slice(0, messageIndex)
    .flatMap((message) => (message.role === "system" || message.role === "user" || message.role === "tool" ? [message.content] : []))
    .join("\n")
    .toLowerCase()
    .replace(/\\"/g, '"');
}

import type { JsonValue } from "../domain/common.js";
import type { TaskRecord } from "../domain/task.js";
import { isObject } from "../support/is-object.js";

/*
 * The figures an ML engineer checks a dataset for, counted over its exported records (OpenAI chat format):
 * tool calls and user turns per record, the share of records with a chained call (an id one result gave used
 * in a later call), with parallel calls (several in one assistant turn), answered without any tool, and the
 * records whose final answer contradicts their tool results (attempts that did not happen, success after an
 * error, something "found" after nothing was or nothing after something was, a state the results do not show). Plus the task figures: every
 * task with a blueprint and a shape, and which shapes there are.
 */

export interface ExportedToolCall {
  id: string;
  function: { name: string; arguments: string };
}

export interface ExportedMessage {
  role: string;
  content?: string | null | undefined;
  tool_calls?: ExportedToolCall[] | undefined;
  tool_call_id?: string | undefined;
}

export interface ExportedRecord {
  messages: ExportedMessage[];
}

export interface Contradiction {
  record: number;
  kind: "attempts" | "success_after_error" | "found_after_nothing" | "nothing_after_found" | "state" | "unknown_id";
  detail: string;
}

export interface RecordFigures {
  records: number;
  toolCallsPerRecord: number;
  userTurnsPerRecord: number;
  /** Shares of records (0–1). */
  chained: number;
  parallel: number;
  noTool: number;
  contradictions: Contradiction[];
}

export interface TaskFigures {
  tasks: number;
  withBlueprint: number;
  withShape: number;
  /** Tasks per shape. */
  shapes: Record<string, number>;
}

/** The section-4 thresholds of issue 11: what a default offline run must reach. */
export const DATASET_TARGETS = { toolCallsPerRecord: 3.5, userTurnsPerRecord: 3, chained: 0.2, parallel: 0.1, noTool: 0.05, shapes: 7 } as const;

export function measureRecords(records: readonly ExportedRecord[]): RecordFigures {
  const count = records.length || 1;
  let calls = 0;
  let turns = 0;
  let chained = 0;
  let parallel = 0;
  let noTool = 0;
  const contradictions: Contradiction[] = [];
  records.forEach((record, index) => {
    const conversation = readExchange(record.messages);
    calls += conversation.calls.length;
    turns += record.messages.filter((message) => message.role === "user").length;
    if (conversation.calls.length === 0) noTool++;
    if (record.messages.some((message) => message.role === "assistant" && (message.tool_calls?.length ?? 0) > 1)) parallel++;
    if (hasChainedCall(record.messages)) chained++;
    contradictions.push(...findContradictions(record.messages).map((found) => ({ ...found, record: index })));
  });
  return { records: records.length, toolCallsPerRecord: calls / count, userTurnsPerRecord: turns / count, chained: chained / count, parallel: parallel / count, noTool: noTool / count, contradictions };
}

export function measureTasks(tasks: readonly TaskRecord[]): TaskFigures {
  const shapes: Record<string, number> = {};
  for (const task of tasks) if (task.shape) shapes[task.shape] = (shapes[task.shape] ?? 0) + 1;
  return { tasks: tasks.length, withBlueprint: tasks.filter((task) => task.blueprint !== undefined).length, withShape: tasks.filter((task) => task.shape !== undefined).length, shapes };
}

/** Which targets the figures miss, in words (empty when all hold). */
export function checkTargets(records: RecordFigures, tasks: TaskFigures): string[] {
  const misses: string[] = [];
  const below = (name: string, value: number, target: number): void => {
    if (value < target) misses.push(`${name} is ${value.toFixed(2)}, below ${target}`);
  };
  below("tool calls per record", records.toolCallsPerRecord, DATASET_TARGETS.toolCallsPerRecord);
  below("user turns per record", records.userTurnsPerRecord, DATASET_TARGETS.userTurnsPerRecord);
  below("share of records with a chained call", records.chained, DATASET_TARGETS.chained);
  below("share of records with parallel calls", records.parallel, DATASET_TARGETS.parallel);
  below("share of records answered without tools", records.noTool, DATASET_TARGETS.noTool);
  below("shapes present", Object.keys(tasks.shapes).length, DATASET_TARGETS.shapes);
  if (records.contradictions.length > 0) misses.push(`${records.contradictions.length} record(s) whose final answer contradicts its tool results`);
  if (tasks.withBlueprint < tasks.tasks) misses.push(`${tasks.tasks - tasks.withBlueprint} task(s) without a blueprint`);
  if (tasks.withShape < tasks.tasks) misses.push(`${tasks.tasks - tasks.withShape} task(s) without a shape`);
  return misses;
}

interface CallResult {
  name: string;
  args: JsonValue;
  argsText: string;
  /** Index of the assistant message that made the call. */
  at: number;
  result: JsonValue | undefined;
  failed: boolean;
  errorCode?: string | undefined;
}

interface Exchange {
  calls: CallResult[];
  finalText: string;
  finalIndex: number;
}

function readExchange(messages: readonly ExportedMessage[]): Exchange {
  const byId = new Map<string, CallResult>();
  const calls: CallResult[] = [];
  messages.forEach((message, index) => {
    if (message.role === "assistant") {
      for (const call of message.tool_calls ?? []) {
        const entry: CallResult = { name: call.function.name, args: parseJson(call.function.arguments) ?? {}, argsText: call.function.arguments, at: index, result: undefined, failed: true };
        byId.set(call.id, entry);
        calls.push(entry);
      }
    }
    if (message.role === "tool" && message.tool_call_id) {
      const entry = byId.get(message.tool_call_id);
      if (!entry) return;
      entry.result = parseJson(message.content ?? "") ?? (message.content ?? "");
      const error = isObject(entry.result) ? entry.result.error : undefined;
      const empty = entry.result === "" || entry.result === null || (isObject(entry.result) && Object.keys(entry.result).length === 0) || (Array.isArray(entry.result) && entry.result.length === 0);
      entry.failed = empty || (error !== undefined && error !== null && error !== false);
      entry.errorCode = typeof error === "string" ? error : empty ? "empty" : undefined;
    }
  });
  const finalIndex = messages.findLastIndex((message) => message.role === "assistant" && !message.tool_calls?.length && typeof message.content === "string" && message.content.trim() !== "");
  return { calls, finalText: finalIndex >= 0 ? String(messages[finalIndex]?.content ?? "") : "", finalIndex };
}

function parseJson(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

const ID_PATTERN = /\b[A-Z]{2,5}-\d{3,8}\b/g;

/** A call whose id argument came from an earlier tool result and was never said by the user before it. */
export function hasChainedCall(messages: readonly ExportedMessage[]): boolean {
  const { calls } = readExchange(messages);
  return calls.some((call) => {
    const before = messages.slice(0, call.at);
    const results = before.filter((message) => message.role === "tool").map((message) => message.content ?? "").join("\n");
    const said = before.filter((message) => message.role === "user").map((message) => message.content ?? "").join("\n");
    return idValues(call.args).some((id) => results.includes(id) && !said.includes(id));
  });
}

/** String argument values that look like record ids (or sit under an id-named key). */
function idValues(args: JsonValue): string[] {
  if (!isObject(args)) return [];
  return Object.entries(args).flatMap(([key, value]) => {
    if (typeof value === "string" && (/(^id$|_id$|Id$)/.test(key) || new RegExp(`^${ID_PATTERN.source}$`).test(value))) return [value];
    if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string" && new RegExp(`^${ID_PATTERN.source}$`).test(item));
    return [];
  });
}

const ATTEMPTS = /\b(twice|two times|2 times|three times|tried again|several times|retried)\b/i;
const SUCCESS = /\b(done|all set|taken care of|went through|has been|is now|now has|i've (created|updated|cancelled|canceled|changed|deleted|refunded|rescheduled|booked|issued))\b/i;
const FAILURE = /\b(couldn't|could not|can't|cannot|unable|failed|error|not able|didn't|did not|no longer|unfortunately|sorry|not found|empty)\b/i;
const NOTHING = /\b(couldn't find any|could not find any|found nothing|no results|nothing (was )?found)\b/i;
const FOUND = /\b(here's what i found|i found|i've found|found your)\b/i;
const STATE_CLAIM = /\b([A-Z]{2,5}-\d{3,8}) (?:is now|now has status|is currently) ([a-z_]+)/g;

/** Ways the final answer contradicts the tool results of its conversation. */
export function findContradictions(messages: readonly ExportedMessage[]): Array<Omit<Contradiction, "record">> {
  const { calls, finalText } = readExchange(messages);
  if (!finalText) return [];
  const found: Array<Omit<Contradiction, "record">> = [];
  if (ATTEMPTS.test(finalText)) {
    const repeated = calls.some((call) => calls.filter((other) => other.name === call.name && other.argsText === call.argsText).length >= 2);
    if (!repeated) found.push({ kind: "attempts", detail: `the answer speaks of repeated attempts, but no call was made twice: "${finalText.slice(0, 120)}"` });
  }
  const last = calls[calls.length - 1];
  if (last?.failed && SUCCESS.test(finalText) && !FAILURE.test(finalText) && !calls.some((call) => call.at > last.at && !call.failed)) {
    found.push({ kind: "success_after_error", detail: `${last.name} failed (${last.errorCode ?? "error"}) and the answer reports success` });
  }
  if (calls.length > 0 && calls.every((call) => call.failed || isNothing(call.result)) && FOUND.test(finalText) && !/\b(no|none|nothing|not)\b/i.test(finalText)) {
    found.push({ kind: "found_after_nothing", detail: "every call failed or returned nothing, and the answer says something was found" });
  }
  if (calls.length > 0 && calls.every((call) => !call.failed && !isNothing(call.result)) && NOTHING.test(finalText)) {
    found.push({ kind: "nothing_after_found", detail: `every call returned something, and the answer says nothing was found: "${finalText.slice(0, 120)}"` });
  }
  for (const match of finalText.matchAll(STATE_CLAIM)) {
    const [, id, state] = match;
    if (!id || !state) continue;
    const latest = latestValues(calls, id);
    if (latest && !latest.includes(state)) found.push({ kind: "state", detail: `the answer says ${id} is ${state}; the latest result for it says ${latest.join(", ")}` });
  }
  const known = messages.filter((message) => message.role === "user" || message.role === "tool").map((message) => message.content ?? "").join("\n");
  for (const id of new Set(finalText.match(ID_PATTERN) ?? [])) if (!known.includes(id)) found.push({ kind: "unknown_id", detail: `the answer names ${id}, which no tool result or user message gave` });
  return found;
}

function isNothing(result: JsonValue | undefined): boolean {
  if (!isObject(result)) return false;
  const lists = Object.values(result).filter(Array.isArray);
  return lists.length > 0 && lists.every((list) => list.length === 0);
}

/** The string values of the latest successful result that holds the record with this id. */
function latestValues(calls: readonly CallResult[], id: string): string[] | undefined {
  for (const call of [...calls].reverse()) {
    if (call.failed) continue;
    const record = findRecord(call.result, id);
    if (record) return Object.values(record).filter((value): value is string => typeof value === "string");
  }
  return undefined;
}

function findRecord(value: JsonValue | undefined, id: string): Record<string, JsonValue> | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findRecord(item, id);
      if (found) return found;
    }
    return undefined;
  }
  if (!isObject(value)) return undefined;
  if (value.id === id) return value;
  for (const item of Object.values(value)) {
    const found = findRecord(item as JsonValue, id);
    if (found) return found;
  }
  return undefined;
}

import type { JsonObject, JsonValue } from "../domain/common.js";
import { BlockingFaultSchema, FaultKindSchema, type BlockingFault, type DegradingFault, type FaultKind, type FaultRates } from "../domain/episode.js";
import { seedFrom } from "../support/hash.js";
import { createRandom } from "../support/random.js";
import { isObject } from "../support/is-object.js";

/*
 * Controlled stochasticity: which tool calls get a fault (a seeded draw per call ordinal, at the configured
 * rate of each kind) and what the agent sees then. `error`, `timeout` and `rate_limit` stop the call before
 * it runs; `empty` and `partial` let it run and spoil the answer, as flaky real services do.
 */

/** Whether any fault kind has a rate above zero. */
export function hasFaults(rates: FaultRates | undefined): rates is FaultRates {
  return rates !== undefined && FaultKindSchema.options.some((kind) => rates[kind] > 0);
}

/** The fault of the tool call at `ordinal` (0-based within the episode), if the seeded draw gives one. */
export function drawFault(rates: FaultRates, seed: number, ordinal: number): FaultKind | undefined {
  const draw = createRandom(seedFrom(seed, "fault", ordinal)).next();
  let threshold = 0;
  for (const kind of FaultKindSchema.options) {
    threshold += rates[kind];
    if (draw < threshold) return kind;
  }
  return undefined;
}

/** Faults that stop the call before it runs: the world does not change. */
export function isBlockingFault(kind: FaultKind): kind is BlockingFault {
  return BlockingFaultSchema.safeParse(kind).success;
}

const SERVER_ERRORS = [
  { error: "internal_error", status: 500, message: "The server encountered an internal error and could not complete the request." },
  { error: "bad_gateway", status: 502, message: "The upstream service returned an invalid response. Please try again." },
  { error: "service_unavailable", status: 503, message: "The service is temporarily unavailable. Please try again later." },
] as const;

/** The failure result of a blocked call: a 5xx-style error, a timeout or a rate limit, varied by the seed. */
export function buildFailureResult(kind: BlockingFault, toolName: string, seed: number, ordinal: number): JsonObject {
  const random = createRandom(seedFrom(seed, "fault-result", ordinal));
  const requestId = `req_${Array.from({ length: 12 }, () => random.int(0, 15).toString(16)).join("")}`;
  if (kind === "timeout") {
    const seconds = random.pick([10, 30, 60]);
    return { error: "timeout", message: `The request to ${toolName} timed out after ${seconds} seconds.`, request_id: requestId };
  }
  if (kind === "rate_limit") {
    const seconds = random.int(1, 5);
    return { error: "rate_limited", status: 429, message: `Too many requests. Retry after ${seconds} second${seconds === 1 ? "" : "s"}.`, retry_after_seconds: seconds };
  }
  return { ...random.pick(SERVER_ERRORS), request_id: requestId };
}

/** The answer of a call that ran, spoilt: emptied (same shape, nothing in it) or cut (half of it, marked truncated). */
export function degradeContent(kind: DegradingFault, content: string): string {
  let value: JsonValue;
  try {
    value = JSON.parse(content) as JsonValue;
  } catch {
    return kind === "empty" ? "" : `${content.slice(0, Math.ceil(content.length / 2))}… [response truncated]`;
  }
  return JSON.stringify(kind === "empty" ? emptyLike(value) : truncate(value));
}

const COUNT_FIELD = /^(total|count|total_count|total_results|size|num_results)$/;

/** A list answer keeps its lists (emptied) and counts (zero); a record becomes `{}`. */
function emptyLike(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return [];
  if (!isObject(value)) return typeof value === "string" ? "" : null;
  const lists = Object.entries(value).filter(([, field]) => Array.isArray(field));
  if (lists.length === 0) return {};
  const out: JsonObject = {};
  for (const [key, field] of Object.entries(value)) {
    if (Array.isArray(field)) out[key] = [];
    else if (typeof field === "number" && COUNT_FIELD.test(key)) out[key] = 0;
  }
  return out;
}

/** Half the items of the lists (more than one item), else half the fields of the record; marked truncated. */
function truncate(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return { items: value.slice(0, Math.floor(value.length / 2)), truncated: true, total: value.length };
  if (!isObject(value)) return typeof value === "string" ? `${value.slice(0, Math.ceil(value.length / 2))}…` : value;
  const entries = Object.entries(value);
  if (entries.some(([, field]) => Array.isArray(field) && field.length > 1)) {
    const out: JsonObject = {};
    for (const [key, field] of entries) out[key] = Array.isArray(field) && field.length > 1 ? field.slice(0, Math.floor(field.length / 2)) : field;
    return { ...out, truncated: true, has_more: true };
  }
  const [only] = entries;
  if (entries.length === 1 && only && isObject(only[1])) {
    const inner = halveFields(only[1]);
    return { [only[0]]: inner.kept, truncated: true, ...inner.marker };
  }
  const record = halveFields(value);
  return { ...record.kept, truncated: true, ...record.marker };
}

function halveFields(record: JsonObject): { kept: JsonObject; marker: JsonObject } {
  const entries = Object.entries(record);
  const kept = entries.slice(0, Math.max(1, Math.ceil(entries.length / 2)));
  const omitted = entries.slice(kept.length).map(([key]) => key);
  return { kept: Object.fromEntries(kept), marker: omitted.length > 0 ? { omitted_fields: omitted } : {} };
}

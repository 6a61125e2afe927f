import type { IncomingHttpHeaders } from "node:http";

/*
 * When and how long to wait before retrying a chat-completions request. Kept apart from the HTTP code
 * so that the policy is explicit and unit-testable.
 */

/** First backoff delay; doubles per retry. */
export const BASE_BACKOFF_MS = 500;
/** Upper bound of the exponential backoff. */
export const MAX_BACKOFF_MS = 30_000;
/** Upper bound of a server-requested wait (retry-after), so a bad header cannot stall a run. */
export const MAX_RETRY_AFTER_MS = 60_000;
/** Backoff is reduced by up to this fraction at random, so that concurrent clients spread out. */
const JITTER_FRACTION = 0.25;

/**
 * Statuses worth another attempt: request timeout, conflict (lock contention), rate limit and server
 * errors. Other 4xx mean the request itself is wrong and would fail the same way again.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Exponential backoff with jitter for retry number `retryIndex` (0 for the first retry). */
export function backoffDelayMs(retryIndex: number, random: () => number): number {
  const exponential = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** retryIndex);
  return Math.round(exponential * (1 - JITTER_FRACTION * random()));
}

/**
 * The wait a server asked for, from `retry-after-ms` (milliseconds, non-standard but sent by OpenAI)
 * or `retry-after` (seconds or an HTTP date), capped at MAX_RETRY_AFTER_MS. Undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Headers | IncomingHttpHeaders | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const read = (name: string): string | null => {
    if (headers instanceof Headers) return headers.get(name);
    const value = headers[name];
    return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
  };
  const wait = parseRetryAfterMs(read("retry-after-ms")) ?? parseRetryAfter(read("retry-after"), now);
  return wait === undefined ? undefined : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, wait));
}

function parseRetryAfterMs(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const ms = Number(value);
  return Number.isFinite(ms) ? ms : undefined;
}

function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date - now;
}

/**
 * Requests and tokens per minute as two token buckets that refill continuously. The request bucket holds a few
 * seconds' worth (bursts stay small); the token bucket may go into debt: a request takes its estimate up front
 * and settles the difference when its usage is known, and later requests wait until the debt is paid.
 */
export interface RateLimits {
  requestsPerMinute?: number | undefined;
  tokensPerMinute?: number | undefined;
}

/** How much of a minute's allowance may be spent at once. */
const BURST_SECONDS = 5;

class TokenBucket {
  readonly #perMs: number;
  readonly #capacity: number;
  #level: number;
  #updatedAt: number;

  constructor(perMinute: number, now: number) {
    this.#perMs = perMinute / 60_000;
    this.#capacity = Math.max(1, (perMinute * BURST_SECONDS) / 60);
    this.#level = this.#capacity;
    this.#updatedAt = now;
  }

  /** How long to wait until `needed` is available (0: now). */
  waitFor(needed: number, now: number): number {
    this.#refill(now);
    return this.#level >= needed ? 0 : Math.ceil((needed - this.#level) / this.#perMs);
  }

  take(amount: number, now: number): void {
    this.#refill(now);
    this.#level -= amount;
  }

  #refill(now: number): void {
    this.#level = Math.min(this.#capacity, this.#level + (now - this.#updatedAt) * this.#perMs);
    this.#updatedAt = now;
  }
}

export class RateLimiter {
  readonly #requests: TokenBucket | undefined;
  readonly #tokens: TokenBucket | undefined;

  constructor(limits: RateLimits, now: number) {
    this.#requests = limits.requestsPerMinute ? new TokenBucket(limits.requestsPerMinute, now) : undefined;
    this.#tokens = limits.tokensPerMinute ? new TokenBucket(limits.tokensPerMinute, now) : undefined;
  }

  get limitsTokens(): boolean {
    return this.#tokens !== undefined;
  }

  get active(): boolean {
    return this.#requests !== undefined || this.#tokens !== undefined;
  }

  /** How long to wait before a request may start (0: now). */
  waitMs(now: number): number {
    // Tokens: any positive balance lets a request start; its estimate may take the balance below zero.
    return Math.max(this.#requests?.waitFor(1, now) ?? 0, this.#tokens?.waitFor(Number.MIN_VALUE, now) ?? 0);
  }

  /** A request starts, expecting to use `estimatedTokens`. */
  take(estimatedTokens: number, now: number): void {
    this.#requests?.take(1, now);
    this.#tokens?.take(estimatedTokens, now);
  }

  /** The request used `actualTokens` (input + output), not its estimate. */
  settle(estimatedTokens: number, actualTokens: number, now: number): void {
    this.#tokens?.take(actualTokens - estimatedTokens, now);
  }
}

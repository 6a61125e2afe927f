import type { CircuitBreakerConfig } from "../../domain/config.js";
import type { EndpointTraffic } from "../../domain/model-usage.js";
import { ModelUnavailableError } from "../../errors/model-unavailable-error.js";
import { sleep as realSleep } from "../../support/concurrency.js";
import { AdaptiveLimit } from "./adaptive-limit.js";
import { CircuitBreaker } from "./circuit-breaker.js";
import { RateLimiter, type RateLimits } from "./rate-limiter.js";

export interface EndpointGateOptions extends RateLimits {
  endpoint: string;
  /** The most requests in flight at once (before adapting). */
  maxConcurrency: number;
  adaptiveConcurrency: boolean;
  circuitBreaker: CircuitBreakerConfig;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** How one attempt went, for the concurrency limit, the token bucket and the statistics. */
export interface AttemptReport {
  /** HTTP status of a failed attempt, when there was one. */
  status?: number | undefined;
  /** The attempt got an answer (latency and usage are known). */
  answered: boolean;
  latencyMs?: number;
  inputTokens?: number;
  outputTokens?: number;
}

export interface AttemptPermit {
  finish(report: AttemptReport): void;
}

const MINUTE_MS = 60_000;

/**
 * Everything that stands between the requests of all roles and one endpoint: the circuit breaker, the
 * requests/tokens-per-minute buckets, a pause a retry-after asked for, and the adaptive concurrency limit.
 * It also keeps the figures the run summary shows (rate reached, throttling, concurrency).
 */
export class EndpointGate {
  readonly endpoint: string;
  readonly #limit: AdaptiveLimit;
  readonly #rate: RateLimiter;
  readonly #circuit: CircuitBreaker;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  #pausedUntil = 0;
  readonly #startedAt: number;
  /** Start times of the attempts of the last minute (from `#windowStart` on). */
  readonly #starts: number[] = [];
  #windowStart = 0;
  #attempts = 0;
  #retries = 0;
  #rateLimited = 0;
  #retryAfterWaits = 0;
  #throttledWaits = 0;
  #throttledMs = 0;
  #peakPerMinute = 0;
  #tokens = 0;

  constructor(options: EndpointGateOptions) {
    this.endpoint = options.endpoint;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? realSleep;
    this.#startedAt = this.#now();
    this.#limit = new AdaptiveLimit({ max: options.maxConcurrency, adaptive: options.adaptiveConcurrency, now: this.#now });
    this.#rate = new RateLimiter(options, this.#startedAt);
    this.#circuit = new CircuitBreaker(options.circuitBreaker);
  }

  /** Does the token bucket need estimates (else the caller need not compute one)? */
  get limitsTokens(): boolean {
    return this.#rate.limitsTokens;
  }

  /** Refuse at once (systemic) when the circuit is open. */
  admit(model: string, purpose: string): void {
    if (this.#circuit.admits(this.#now())) return;
    throw new ModelUnavailableError(
      `the circuit breaker for ${this.endpoint} is open: ${this.#circuit.describe()} (model "${model}"); the run stops rather than fail every item`,
      { reason: "circuit_open", endpoint: this.endpoint, model, purpose },
    );
  }

  /** A request finished for good: answered, or failed after its retries. Feeds the circuit breaker. */
  recordRequest(success: boolean): void {
    this.#circuit.record(success, this.#now());
  }

  /** Hold every new attempt for `ms` (a retry-after the endpoint asked for). */
  pauseFor(ms: number): void {
    this.#retryAfterWaits++;
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms);
  }

  /** Wait for the rate limits, a pause and a place among the requests in flight; then the attempt may go. */
  async acquire(estimatedTokens: number, retry: boolean, signal?: AbortSignal): Promise<AttemptPermit> {
    await this.#waitForRate(signal);
    const waiting = this.#limit.acquire(signal);
    if (waiting) await waiting;
    const now = this.#now();
    this.#rate.take(estimatedTokens, now);
    this.#countStart(now, retry);
    let finished = false;
    return {
      finish: (report) => {
        if (finished) return;
        finished = true;
        const overloaded = report.status === 429 || report.status === 503;
        if (overloaded) this.#rateLimited++;
        const used = (report.inputTokens ?? 0) + (report.outputTokens ?? 0);
        this.#tokens += used;
        if (this.#rate.limitsTokens) this.#rate.settle(estimatedTokens, report.answered ? used : 0, this.#now());
        this.#limit.release(
          report.answered && report.latencyMs !== undefined
            ? { overloaded: false, latencyMs: report.latencyMs, outputTokens: report.outputTokens ?? 0 }
            : { overloaded },
        );
      },
    };
  }

  traffic(): EndpointTraffic {
    const minutes = Math.max((this.#now() - this.#startedAt) / MINUTE_MS, 1 / 60);
    const stats = this.#limit.stats();
    return {
      endpoint: this.endpoint,
      attempts: this.#attempts,
      retries: this.#retries,
      rateLimited: this.#rateLimited,
      retryAfterWaits: this.#retryAfterWaits,
      throttledWaits: this.#throttledWaits,
      throttledMs: Math.round(this.#throttledMs),
      peakRequestsPerMinute: this.#peakPerMinute,
      averageRequestsPerMinute: round(this.#attempts / minutes),
      tokensPerMinute: round(this.#tokens / minutes),
      concurrency: { limit: stats.limit, lowest: stats.lowest, peakInFlight: stats.peakInFlight, decreases: stats.decreases },
      circuit: this.#circuit.open ? "open" : "closed",
    };
  }

  async #waitForRate(signal: AbortSignal | undefined): Promise<void> {
    if (!this.#rate.active && this.#pausedUntil === 0) return;
    let waited = false;
    for (;;) {
      const now = this.#now();
      const wait = Math.max(this.#pausedUntil - now, this.#rate.waitMs(now));
      if (wait <= 0) break;
      if (!waited) this.#throttledWaits++;
      waited = true;
      this.#throttledMs += wait;
      await this.#sleep(wait, signal);
    }
  }

  #countStart(now: number, retry: boolean): void {
    this.#attempts++;
    if (retry) this.#retries++;
    this.#starts.push(now);
    while (this.#starts[this.#windowStart] !== undefined && (this.#starts[this.#windowStart] as number) <= now - MINUTE_MS) this.#windowStart++;
    const inWindow = this.#starts.length - this.#windowStart;
    if (inWindow > this.#peakPerMinute) this.#peakPerMinute = inWindow;
    // Drop what left the window now and then, so the array stays about a minute long.
    if (this.#windowStart > 4096 && this.#windowStart * 2 > this.#starts.length) {
      this.#starts.splice(0, this.#windowStart);
      this.#windowStart = 0;
    }
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

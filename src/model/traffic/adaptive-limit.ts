import { CancelledError } from "../../errors/cancelled-error.js";
import { followSignal } from "../../support/forward-abort.js";

/** How one request through the limit went. */
export interface LimitOutcome {
  /** The endpoint said it is overloaded (429 or 503). */
  overloaded: boolean;
  /** The answer's latency and its output tokens, for the latency signal (absent for failures). */
  latencyMs?: number;
  outputTokens?: number;
}

export interface AdaptiveLimitOptions {
  /** The most requests in flight, ever. */
  max: number;
  /** Adapt to overload and latency (false: a fixed semaphore of `max`). */
  adaptive: boolean;
  now?: () => number;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
  release: () => void;
}

/** A latency this many times the best seen (per output token) counts as a surge. */
const LATENCY_SURGE_FACTOR = 3;
/** Weight of a new sample in the latency average. */
const LATENCY_SMOOTHING = 0.1;
/** Samples before the latency signal is trusted. */
const LATENCY_WARM_UP = 20;
/**
 * At most one decrease per round trip (the smoothed latency, within these bounds), so that one burst of 429s
 * halves the limit once, not fifty times.
 */
const MIN_DECREASE_INTERVAL_MS = 50;
const MAX_DECREASE_INTERVAL_MS = 5000;
const FIRST_DECREASE_INTERVAL_MS = 250;
/** Fixed cost of an answer, in output tokens, so short answers do not make the per-token latency jump. */
const LATENCY_TOKEN_OFFSET = 16;

/**
 * A concurrency limit that adapts (additive increase, multiplicative decrease): an overloaded answer (429/503)
 * halves it from what was in flight, a latency surge cuts it by a quarter, and every `limit` successes raise it by
 * one, up to `max`. Waiters are served first come, first served.
 */
export class AdaptiveLimit {
  readonly #max: number;
  readonly #adaptive: boolean;
  readonly #now: () => number;
  #limit: number;
  #inFlight = 0;
  readonly #waiters: Waiter[] = [];
  #successes = 0;
  #lastDecreaseAt = Number.NEGATIVE_INFINITY;
  #latencyAverage: number | undefined;
  /** Smoothed latency in ms: the round trip that spaces decreases. */
  #roundTripMs: number | undefined;
  #latencyBest = Number.POSITIVE_INFINITY;
  #samples = 0;
  #lowest: number;
  #peakInFlight = 0;
  #decreases = 0;

  constructor(options: AdaptiveLimitOptions) {
    this.#max = Math.max(1, Math.floor(options.max));
    this.#adaptive = options.adaptive;
    this.#now = options.now ?? Date.now;
    this.#limit = this.#max;
    this.#lowest = this.#max;
  }

  get limit(): number {
    return this.#limit;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  stats(): { limit: number; lowest: number; peakInFlight: number; decreases: number } {
    return { limit: this.#limit, lowest: this.#lowest, peakInFlight: this.#peakInFlight, decreases: this.#decreases };
  }

  /** Wait for a place; rejects with CancelledError when `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void> | undefined {
    if (this.#waiters.length === 0 && this.#inFlight < this.#limit) {
      this.#take();
      return undefined;
    }
    if (signal?.aborted) return Promise.reject(new CancelledError());
    return new Promise<void>((resolve, reject) => {
      const followed = followSignal(signal);
      const waiter = { resolve, reject, release: followed.release };
      followed.signal.addEventListener(
        "abort",
        () => {
          const index = this.#waiters.indexOf(waiter);
          if (index !== -1) this.#waiters.splice(index, 1);
          followed.release();
          reject(new CancelledError());
        },
        { once: true },
      );
      this.#waiters.push(waiter);
    });
  }

  /** Give the place back, telling how the request went. */
  release(outcome: LimitOutcome): void {
    this.#inFlight--;
    if (this.#adaptive) this.#adapt(outcome);
    this.#wake();
  }

  #take(): void {
    this.#inFlight++;
    if (this.#inFlight > this.#peakInFlight) this.#peakInFlight = this.#inFlight;
  }

  #wake(): void {
    while (this.#waiters.length > 0 && this.#inFlight < this.#limit) {
      const waiter = this.#waiters.shift() as Waiter;
      waiter.release();
      this.#take();
      waiter.resolve();
    }
  }

  #adapt(outcome: LimitOutcome): void {
    if (outcome.overloaded) {
      // From what was really in flight: a limit far above it would take many halvings to bite.
      this.#decrease(Math.floor(Math.min(this.#limit, this.#inFlight + 1) / 2));
      return;
    }
    if (outcome.latencyMs !== undefined && this.#latencySurged(outcome.latencyMs, outcome.outputTokens ?? 0)) {
      this.#decrease(Math.floor((this.#limit * 3) / 4));
      return;
    }
    if (outcome.latencyMs === undefined) return;
    this.#successes++;
    if (this.#successes >= this.#limit && this.#limit < this.#max) {
      this.#limit++;
      this.#successes = 0;
    }
  }

  #decrease(to: number): void {
    const now = this.#now();
    const interval = this.#roundTripMs === undefined ? FIRST_DECREASE_INTERVAL_MS : Math.min(MAX_DECREASE_INTERVAL_MS, Math.max(MIN_DECREASE_INTERVAL_MS, this.#roundTripMs));
    if (now - this.#lastDecreaseAt < interval) return;
    this.#lastDecreaseAt = now;
    this.#limit = Math.max(1, Math.min(this.#limit, to));
    this.#successes = 0;
    this.#decreases++;
    if (this.#limit < this.#lowest) this.#lowest = this.#limit;
  }

  /** Latency per output token, smoothed, against the best smoothed value seen so far. */
  #latencySurged(latencyMs: number, outputTokens: number): boolean {
    this.#roundTripMs = this.#roundTripMs === undefined ? latencyMs : this.#roundTripMs + LATENCY_SMOOTHING * (latencyMs - this.#roundTripMs);
    const perToken = latencyMs / (outputTokens + LATENCY_TOKEN_OFFSET);
    this.#latencyAverage = this.#latencyAverage === undefined ? perToken : this.#latencyAverage + LATENCY_SMOOTHING * (perToken - this.#latencyAverage);
    this.#samples++;
    if (this.#samples < LATENCY_WARM_UP) return false;
    if (this.#latencyAverage < this.#latencyBest) this.#latencyBest = this.#latencyAverage;
    if (this.#latencyAverage <= LATENCY_SURGE_FACTOR * this.#latencyBest) return false;
    // A surge is answered once; the new level becomes the reference, so a lasting slowdown is not punished forever.
    this.#latencyBest = this.#latencyAverage;
    return true;
  }
}

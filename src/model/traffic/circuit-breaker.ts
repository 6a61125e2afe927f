import type { CircuitBreakerConfig } from "../../domain/config.js";

/** After this long open, one request may probe the endpoint again (a long-lived server's model set recovers). */
export const CIRCUIT_PROBE_AFTER_MS = 60_000;

/**
 * Opens when at least `failureRatio` of the last `window` requests to an endpoint failed for good; then every
 * request is refused (systemic), until a probe after CIRCUIT_PROBE_AFTER_MS succeeds.
 */
export class CircuitBreaker {
  readonly #config: CircuitBreakerConfig;
  readonly #outcomes: boolean[] = [];
  #next = 0;
  #failures = 0;
  #openedAt: number | undefined;
  #probing = false;

  constructor(config: CircuitBreakerConfig) {
    this.#config = config;
  }

  get open(): boolean {
    return this.#openedAt !== undefined;
  }

  /** The failures among the requests looked at, as "k of n". */
  describe(): string {
    return `${this.#failures} of the last ${this.#outcomes.length} requests failed`;
  }

  /** May a request go out now? While open, only one probe after the wait. */
  admits(now: number): boolean {
    if (this.#openedAt === undefined) return true;
    if (this.#probing || now - this.#openedAt < CIRCUIT_PROBE_AFTER_MS) return false;
    this.#probing = true;
    return true;
  }

  record(success: boolean, now: number): void {
    if (!this.#config.enabled) return;
    if (this.#openedAt !== undefined) {
      if (!this.#probing) return;
      this.#probing = false;
      if (success) this.#reset();
      else this.#openedAt = now;
      return;
    }
    const window = this.#config.window;
    if (this.#outcomes.length < window) {
      this.#outcomes.push(success);
    } else {
      if (this.#outcomes[this.#next] === false) this.#failures--;
      this.#outcomes[this.#next] = success;
      this.#next = (this.#next + 1) % window;
    }
    if (!success) this.#failures++;
    if (this.#outcomes.length >= window && this.#failures >= this.#config.failureRatio * window) this.#openedAt = now;
  }

  #reset(): void {
    this.#openedAt = undefined;
    this.#outcomes.length = 0;
    this.#next = 0;
    this.#failures = 0;
  }
}

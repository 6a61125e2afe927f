/** Time, injected so tests and seeded runs can pin it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that starts at `start` and moves `stepMs` forward on every reading. */
export function createFixedClock(start = "2026-01-01T00:00:00.000Z", stepMs = 0): Clock {
  let current = Date.parse(start);
  return {
    now() {
      const value = new Date(current);
      current += stepMs;
      return value;
    },
  };
}

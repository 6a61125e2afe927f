import { randomUUID } from "node:crypto";
import { hashValue } from "./hash.js";

/** Record ids, injected: `tsk_…`, `ep_…`. */
export interface IdGenerator {
  /** A fresh unique id. */
  next(prefix: string): string;
  /** An id derived from content, identical for identical input. */
  derive(prefix: string, ...parts: unknown[]): string;
}

export const randomIds: IdGenerator = {
  next: (prefix) => `${prefix}_${randomUUID().replace(/-/g, "").slice(0, 20)}`,
  derive: (prefix, ...parts) => `${prefix}_${hashValue(parts, 20)}`,
};

/** Counting ids for tests: `tsk_1`, `tsk_2`, … */
export function createSequentialIds(): IdGenerator {
  const counters = new Map<string, number>();
  return {
    next(prefix) {
      const n = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, n);
      return `${prefix}_${n}`;
    },
    derive: randomIds.derive,
  };
}

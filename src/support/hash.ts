import { createHash } from "node:crypto";

/** JSON with object keys sorted, so equal values hash equally. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Short stable hash of any JSON-able value. */
export function hashValue(value: unknown, length = 16): string {
  return sha256(stableStringify(value)).slice(0, length);
}

/** A 32-bit seed from any values (for seeding a PRNG). */
export function seedFrom(...parts: unknown[]): number {
  return Number.parseInt(sha256(stableStringify(parts)).slice(0, 8), 16) >>> 0;
}

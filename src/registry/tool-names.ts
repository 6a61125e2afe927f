import { TOOL_NAME_PATTERN } from "../domain/tool.js";
import { hashValue } from "../support/hash.js";

/** Make a name every provider accepts (`^[a-zA-Z0-9_-]{1,64}$`). */
export function toPortableName(name: string): string {
  if (TOOL_NAME_PATTERN.test(name)) return name;
  const ascii = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-zA-Z0-9_-]+/g, "_")
    .replace(/^_+|_+$/g, "");
  const base = ascii.length > 0 ? ascii : `tool_${hashValue(name, 8)}`;
  return base.length <= 64 ? base : `${base.slice(0, 55)}_${hashValue(name, 8)}`;
}

/**
 * Give every name a unique portable form. Collisions get `_2`, `_3`, … in input order, so the result is
 * deterministic for the same input.
 */
export function assignUniqueNames(names: readonly string[], taken: Iterable<string> = []): string[] {
  const used = new Set(taken);
  return names.map((name) => {
    const portable = toPortableName(name);
    let candidate = portable;
    for (let n = 2; used.has(candidate); n++) {
      const suffix = `_${n}`;
      candidate = `${portable.slice(0, 64 - suffix.length)}${suffix}`;
    }
    used.add(candidate);
    return candidate;
  });
}

import type { JsonValue } from "../domain/common.js";
import type { EffectSelector } from "../domain/effect.js";
import { stableStringify } from "../support/hash.js";

/*
 * How the world compares values: strings without regard to case or surrounding space, numbers by value (a
 * numeric string equals its number), everything else by its JSON.
 */

function normalize(value: JsonValue | undefined): string {
  if (typeof value === "string") {
    const trimmed = value.trim();
    return trimmed !== "" && Number.isFinite(Number(trimmed)) ? String(Number(trimmed)) : trimmed.toLowerCase();
  }
  if (typeof value === "number") return String(value);
  return stableStringify(value ?? null);
}

export function sameValue(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return normalize(a) === normalize(b);
}

function compareValues(a: JsonValue | undefined, b: JsonValue): number | undefined {
  const left = typeof a === "string" && a.trim() !== "" && Number.isFinite(Number(a)) ? Number(a) : a;
  const right = typeof b === "string" && b.trim() !== "" && Number.isFinite(Number(b)) ? Number(b) : b;
  if (typeof left === "number" && typeof right === "number") return left - right;
  if (typeof left === "string" && typeof right === "string") return left.localeCompare(right);
  return undefined;
}

/** Whether a record's field value matches an argument the way the selector says. */
export function matchesSelector(fieldValue: JsonValue | undefined, argument: JsonValue, match: EffectSelector["match"]): boolean {
  if (Array.isArray(argument)) return argument.some((item) => matchesSelector(fieldValue, item, match));
  if (Array.isArray(fieldValue) && (match === "equals" || match === "contains")) return fieldValue.some((item) => matchesSelector(item, argument, match));
  switch (match) {
    case "equals":
      return sameValue(fieldValue, argument);
    case "contains":
      return typeof fieldValue === "string" && typeof argument === "string" && fieldValue.toLowerCase().includes(argument.trim().toLowerCase());
    case "min": {
      const order = compareValues(fieldValue, argument);
      return order !== undefined && order >= 0;
    }
    case "max": {
      const order = compareValues(fieldValue, argument);
      return order !== undefined && order <= 0;
    }
  }
}

/** A value as text in a message. */
export function describeValue(value: JsonValue | undefined): string {
  return typeof value === "string" ? value : value === undefined ? "(none)" : JSON.stringify(value);
}

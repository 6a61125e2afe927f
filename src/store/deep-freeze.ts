/**
 * Freezes a JSON value and everything in it, so records shared from a cache cannot be changed by a reader
 * (in strict mode, which ES modules are, an assignment throws). An object already frozen is taken as frozen
 * through: this module freezes only whole values.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
  return value;
}

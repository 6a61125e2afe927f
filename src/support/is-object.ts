/**
 * Whether a value is a plain object (not null, not an array). On a union such as `JsonValue` it narrows to
 * the object members (`JsonObject`).
 */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What a secret is replaced by. */
export const REDACTED = "[redacted]";

/**
 * The text with every secret replaced by `[redacted]`: matched as the raw value, and also as it reads inside
 * JSON text (a server often answers with JSON in a text block, where `"` is `\"` and `\` is `\\`). Longest
 * first, so a secret inside another leaves nothing of the longer one behind.
 */
export function redactText(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return text;
  const forms = new Set(secrets.filter((secret) => secret !== "").flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]));
  return [...forms].sort((a, b) => b.length - a.length).reduce((result, form) => result.split(form).join(REDACTED), text);
}

/**
 * A JSON value with every secret replaced in every string and key. The strings are scrubbed as they are, not as
 * JSON text, so a secret holding `"` or `\` is found too (its escaped form would not match).
 */
export function redactJson<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const walk = (item: unknown): unknown => {
    if (typeof item === "string") return redactText(item, secrets);
    if (Array.isArray(item)) return item.map(walk);
    if (item !== null && typeof item === "object") return Object.fromEntries(Object.entries(item).map(([key, child]) => [redactText(key, secrets), walk(child)]));
    return item;
  };
  return walk(value) as T;
}

import type { JsonValue } from "../../../domain/common.js";
import { humanize, joinList } from "./text.js";
import { isObject } from "../../../support/is-object.js";

const MAX_LINES = 4;
const MAX_NAMES = 5;

/**
 * A short description of a result that is not a record: text (a file, a listing, a message) by its first
 * lines, and collections of named things by their names — what real tools (files, knowledge graphs) return.
 */
export function describeFreeResult(value: JsonValue | undefined): string | undefined {
  if (typeof value === "string") return describeText(value);
  if (value === null || typeof value !== "object") return undefined;
  if (Array.isArray(value)) return describeNamed("items", value);
  if (typeof value.content === "string" && Object.keys(value).length <= 2) return describeText(value.content);
  // A tool that answers in plain text (read as `{ text }`).
  if (typeof value.text === "string" && Object.keys(value).length === 1) return describeText(value.text);
  const parts = Object.entries(value).flatMap(([key, item]) => (Array.isArray(item) ? [describeNamed(key, item)] : [])).filter((part): part is string => part !== undefined);
  return parts.length > 0 ? parts.join("; ") : undefined;
}

function describeText(text: string): string | undefined {
  const lines = text.split("\n").map((line) => line.trim()).filter((line) => line.length > 0 && !/^[-=#*`]+$/.test(line));
  if (lines.length === 0) return undefined;
  const shown = lines.slice(0, MAX_LINES).map((line) => (line.length > 120 ? `${line.slice(0, 117)}…` : line));
  return `${shown.join("; ")}${lines.length > MAX_LINES ? ` (and ${lines.length - MAX_LINES} more lines)` : ""}`;
}

function describeNamed(key: string, items: readonly JsonValue[]): string | undefined {
  if (items.length === 0) return `no ${humanize(key)}`;
  const names = items.flatMap((item) => {
    if (typeof item === "string") return [item];
    if (isObject(item)) {
      const label = item.name ?? item.title ?? item.id ?? (item.from && item.to ? `${String(item.from)} ${String(item.relationType ?? "→")} ${String(item.to)}` : undefined);
      return label === undefined ? [] : [String(label)];
    }
    return [];
  });
  if (names.length === 0) return `${items.length} ${humanize(key)}`;
  const shown = joinList(names.slice(0, MAX_NAMES));
  return `${items.length} ${humanize(key)}: ${shown}${names.length > MAX_NAMES ? ", …" : ""}`;
}

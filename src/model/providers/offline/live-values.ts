import { posix } from "node:path";
import type { JsonValue } from "../../../domain/common.js";
import type { ToolCallRecord } from "../../request-context.js";
import type { Random } from "../../../support/random.js";
import { readSchemaType } from "./schema-values.js";
import type { ToolParam } from "./tool-anatomy.js";
import { isObject } from "../../../support/is-object.js";

/** Values real servers reported (paths, names), for facts that point at things that exist. */
export interface LiveValues {
  paths: string[];
  names: string[];
}

const ABSOLUTE_PATH = /(?:^|[\s"'(:])(\/[\w.@~+-]+(?:\/[\w.@~+ -]*[\w.@~+-])*)/g;
/** "[FILE] notes.txt" — a listing with sizes puts them after two or more spaces ("[FILE] notes.txt    390 B"). */
const LISTING_LINE = /^\[(?:FILE|DIR)\]\s+(.+?)(?:\s{2,}.*)?\s*$/gm;
const PATH_WORDS = /(^|_)(path|paths|file|files|directory|dir|folder|source|destination)($|_)/;
const NAME_WORDS = /(^|_)(name|names|entity|entities|query|title)($|_)|^entityName$|^entityNames$/;

/** Paths and names found in recorded live answers: absolute paths in text, `[FILE] x` listings under the listed path, and `name` fields. */
export function collectLiveValues(examples: readonly ToolCallRecord[]): LiveValues {
  const paths = new Set<string>();
  const names = new Set<string>();
  for (const example of examples) {
    const base = typeof (example.arguments as Record<string, unknown> | null)?.path === "string" ? String((example.arguments as Record<string, unknown>).path) : undefined;
    walk(example.result, (text) => {
      for (const match of text.matchAll(ABSOLUTE_PATH)) if (match[1]) paths.add(match[1].replace(/\/+$/, ""));
      if (base?.startsWith("/")) for (const match of text.matchAll(LISTING_LINE)) if (match[1]) paths.add(posix.join(base, match[1]));
    }, (name) => names.add(name));
  }
  return { paths: [...paths].sort(), names: [...names].sort() };
}

/**
 * A live value for a parameter when one fits its name and type (a list gets one or two), else undefined. A tool
 * about files (`toolName` says "file") gets file paths, one about folders ("directory", "tree", "folder") folder
 * paths: a path with an extension is taken for a file.
 */
export function groundedValue(values: LiveValues | undefined, param: ToolParam, random: Random, toolName = ""): JsonValue | undefined {
  if (!values) return undefined;
  const isFile = (path: string): boolean => /\.[A-Za-z0-9]{1,8}$/.test(path);
  const paths = /file/.test(toolName) ? values.paths.filter(isFile) : /(directory|tree|folder|dir_)/.test(toolName) ? values.paths.filter((path) => !isFile(path)) : values.paths;
  const pool = PATH_WORDS.test(param.name) ? (paths.length > 0 ? paths : values.paths) : NAME_WORDS.test(param.name) ? values.names : [];
  if (pool.length === 0) return undefined;
  const type = readSchemaType(param.schema);
  if (type === "array") {
    const items = param.schema.items;
    const itemType = isObject(items) ? readSchemaType(items) : undefined;
    return itemType === "string" ? random.sample(pool, Math.min(pool.length, random.int(1, 2))) : undefined;
  }
  return type === "string" || type === undefined ? random.pick(pool) : undefined;
}

function walk(value: JsonValue, onText: (text: string) => void, onName: (name: string) => void): void {
  if (typeof value === "string") {
    onText(value);
    if (value.trim().startsWith("{") || value.trim().startsWith("[")) {
      try {
        walk(JSON.parse(value) as JsonValue, onText, onName);
      } catch {
        // text that only looks like JSON
      }
    }
  } else if (Array.isArray(value)) {
    for (const item of value) walk(item, onText, onName);
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key === "name" && typeof item === "string" && item.trim() !== "") onName(item);
      walk(item, onText, onName);
    }
  }
}

import { realpathSync } from "node:fs";
import { homedir } from "node:os";
import { resolve } from "node:path";

/** The virtual root the data directory's `sandbox` folder (the shipped filesystem server's folder) is shown as. */
export const VIRTUAL_SANDBOX = "/sandbox";
/** The virtual root the rest of the data directory (the memory server's file, …) is shown as. */
export const VIRTUAL_DATA = "/data";
/** What the working directory and the home directory are shown as when they appear outside the data directory. */
export const VIRTUAL_WORKSPACE = "/workspace";
export const VIRTUAL_HOME = "/home/user";

/** One real folder and the virtual root it is shown as; `reversible`: a virtual path given back maps to the real one. */
export interface PathMapping {
  real: string;
  virtual: string;
  reversible: boolean;
}

/** A character that may continue a path segment: a real root followed by one of these is another folder. */
const SEGMENT_CHARACTER = /[A-Za-z0-9._~-]/;

/**
 * Paths of the machine mapped to stable virtual roots and back: what real tools answer is shown to models, stored
 * and exported with virtual paths (`/sandbox/README.md`), so no record holds a path of the machine that made it and
 * two data directories give the same records; a virtual path a model passes to a real tool is mapped back to the
 * real one before the call. Longer real roots win (the sandbox before the data directory that holds it).
 */
export class VirtualPaths {
  readonly #mappings: PathMapping[];

  constructor(mappings: readonly PathMapping[]) {
    const unique = new Map<string, PathMapping>();
    for (const mapping of mappings) if (mapping.real !== "" && mapping.real !== "/" && !unique.has(mapping.real)) unique.set(mapping.real, mapping);
    this.#mappings = [...unique.values()].sort((a, b) => b.real.length - a.real.length);
  }

  /**
   * The mappings of a data directory: `<dataDir>/sandbox` → `/sandbox`, `<dataDir>` → `/data` (both as given and
   * with links resolved, as servers report them), then, one way only, the working directory → `/workspace` and the
   * home directory → `/home/user`.
   */
  static forDataDir(dataDir: string, options: { cwd?: string; home?: string } = {}): VirtualPaths {
    const data = withRealPath(resolve(dataDir));
    const mappings: PathMapping[] = [
      ...data.map((real) => ({ real: `${real}/sandbox`, virtual: VIRTUAL_SANDBOX, reversible: true })),
      ...data.map((real) => ({ real, virtual: VIRTUAL_DATA, reversible: true })),
      ...withRealPath(resolve(options.cwd ?? process.cwd())).map((real) => ({ real, virtual: VIRTUAL_WORKSPACE, reversible: false })),
      ...withRealPath(resolve(options.home ?? homedir())).map((real) => ({ real, virtual: VIRTUAL_HOME, reversible: false })),
    ];
    return new VirtualPaths(mappings);
  }

  /** The text with every real root (at a path boundary) replaced by its virtual root. */
  toVirtual(text: string): string {
    let result = text;
    for (const { real, virtual } of this.#mappings) {
      if (!result.includes(real)) continue;
      let out = "";
      let from = 0;
      for (let at = result.indexOf(real); at !== -1; at = result.indexOf(real, at + real.length)) {
        const next = result[at + real.length];
        if (next !== undefined && SEGMENT_CHARACTER.test(next)) continue;
        out += result.slice(from, at) + virtual;
        from = at + real.length;
      }
      result = out + result.slice(from);
    }
    return result;
  }

  /** A path given as a virtual path (the virtual root, or under it) as the real one; any other text as it is. */
  toReal(text: string): string {
    const byVirtual = this.#mappings.filter((mapping) => mapping.reversible).sort((a, b) => b.virtual.length - a.virtual.length);
    for (const { real, virtual } of byVirtual) {
      if (text === virtual || text.startsWith(`${virtual}/`)) return real + text.slice(virtual.length);
    }
    return text;
  }

  /** A JSON value with every string (and key) mapped to virtual paths. */
  jsonToVirtual<T>(value: T): T {
    return mapStrings(value, (text) => this.toVirtual(text));
  }

  /** A JSON value with every string that is a virtual path mapped to the real one. */
  jsonToReal<T>(value: T): T {
    return mapStrings(value, (text) => this.toReal(text));
  }
}

/**
 * The time the virtual machine's clock stands at (the offline engine's "today"): the sandbox's files are laid out
 * with it, and every later time a real server reports (a file's creation or last access, which no program can
 * set, the current time) is shown as it, so real answers do not depend on when they were made.
 */
export const VIRTUAL_NOW = new Date("2026-03-02T00:00:00.000Z");

const WEEKDAYS = "Sun|Mon|Tue|Wed|Thu|Fri|Sat";
const MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec";
/** `Date.prototype.toString()`: `Sun Nov 29 2026 14:13:18 GMT+0000 (Coordinated Universal Time)`. */
const DATE_STRING = new RegExp(`\\b(?:${WEEKDAYS}) (?:${MONTHS}) \\d{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT[+-]\\d{4}(?: \\([^)]*\\))?`, "g");
/** ISO 8601 with a time and a zone: `2026-11-29T14:13:18.456Z`. */
const ISO_TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g;

/** The text with every time later than `now` (as `Date.toString()` or ISO 8601 renders it) replaced by `now`, in the same form. */
export function freezeLaterTimes(text: string, now: Date = VIRTUAL_NOW): string {
  const replace = (rendered: string, render: () => string): string => {
    const time = Date.parse(rendered.replace(/ \([^)]*\)$/, ""));
    return Number.isNaN(time) || time <= now.getTime() ? rendered : render();
  };
  return text
    .replace(DATE_STRING, (rendered) => replace(rendered, () => renderUtcDateString(now)))
    .replace(ISO_TIME, (rendered) => replace(rendered, () => now.toISOString()));
}

/** A JSON value with every string (and key) passed through freezeLaterTimes. */
export function freezeLaterTimesIn<T>(value: T, now: Date = VIRTUAL_NOW): T {
  return mapStrings(value, (text) => freezeLaterTimes(text, now));
}

function renderUtcDateString(time: Date): string {
  const [weekday, day, month, year] = time.toUTCString().replace(",", "").split(" ") as [string, string, string, string];
  return `${weekday} ${month} ${day.padStart(2, "0")} ${year} ${time.toISOString().slice(11, 19)} GMT+0000 (Coordinated Universal Time)`;
}

function withRealPath(path: string): string[] {
  try {
    const real = realpathSync(path);
    return real === path ? [path] : [path, real];
  } catch {
    return [path];
  }
}

function mapStrings<T>(value: T, map: (text: string) => string): T {
  const walk = (item: unknown): unknown => {
    if (typeof item === "string") return map(item);
    if (Array.isArray(item)) return item.map(walk);
    if (item !== null && typeof item === "object") return Object.fromEntries(Object.entries(item).map(([key, child]) => [map(key), walk(child)]));
    return item;
  };
  return walk(value) as T;
}

import { z } from "zod";

type AnySchema = z.core.$ZodType;
type Def = z.core.$ZodTypeDef & Record<string, unknown>;

/** Schema types whose def wraps one inner schema in `innerType`. */
const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "nonoptional", "readonly", "catch"]);

/**
 * The schema a tool's arguments are checked against: the tool's own, with every object of our shapes made
 * strict, so an argument the tool does not know (`taskid` for `taskId`) is an error that names it and the
 * accepted ones instead of being dropped without a word. Objects that are open on purpose (a catchall, a
 * record of JSON values, a JSON Schema) stay open. Descriptions and defaults are kept.
 */
export function strictInput<T extends z.ZodObject>(schema: T, toolName: string): T {
  const accepted = (keys: readonly string[]): string => (keys.length ? `; ${toolName} accepts: ${keys.join(", ")}` : `; ${toolName} takes no arguments`);
  return makeStrict(schema, { noun: "argument", accepted }) as T;
}

/** How an unknown key is named: an argument of the tool, or a field of an object inside one (the SDK adds its path). */
interface Wording {
  noun: string;
  accepted: (keys: readonly string[]) => string;
}

const NESTED: Wording = { noun: "field", accepted: (keys) => ` (accepted: ${keys.join(", ") || "none"})` };

function makeStrict(schema: AnySchema, wording: Wording): AnySchema {
  const def = schema._zod.def as Def;
  switch (def.type) {
    case "object": {
      // A catchall other than never leaves the object open on purpose.
      if (def.catchall !== undefined && (def.catchall as AnySchema)._zod.def.type !== "never") return schema;
      const shape = def.shape as Record<string, AnySchema>;
      const strictShape = Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, makeStrict(field, NESTED)]));
      return cloneWith(schema, { shape: strictShape, catchall: z.never(), error: describeUnknownKeys(Object.keys(shape), wording, def.error) });
    }
    case "array":
      return changed(schema, { element: makeStrict(def.element as AnySchema, wording) }, def.element);
    case "union":
      return changedList(schema, "options", def.options as AnySchema[], wording);
    case "tuple":
      return changedList(schema, "items", def.items as AnySchema[], wording);
    case "record":
      return changed(schema, { valueType: makeStrict(def.valueType as AnySchema, wording) }, def.valueType);
    case "pipe":
      return changed(schema, { in: makeStrict(def.in as AnySchema, wording) }, def.in);
    default:
      if (WRAPPERS.has(def.type)) return changed(schema, { innerType: makeStrict(def.innerType as AnySchema, wording) }, def.innerType);
      // Lazy schemas (JSON values), intersections and scalars are left as they are.
      return schema;
  }
}

/** The message of an unknown key: which, a likely meant one, and what is accepted. Other issues keep their own. */
function describeUnknownKeys(accepted: string[], wording: Wording, ownError: unknown): z.core.$ZodErrorMap {
  return (issue) => {
    if (issue.code !== "unrecognized_keys") return typeof ownError === "function" ? (ownError as z.core.$ZodErrorMap)(issue) : undefined;
    const unknown = issue.keys.map((key) => `"${key}"${suggest(key, accepted)}`).join(", ");
    return `unknown ${wording.noun}${issue.keys.length > 1 ? "s" : ""} ${unknown}${wording.accepted(accepted)}`;
  };
}

/** The accepted key a host most likely meant: the same letters in another case or spelling, or the one key it begins. */
function suggest(key: string, accepted: readonly string[]): string {
  const loose = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, "");
  const wanted = loose(key);
  const stem = wanted.replace(/s$/, "");
  const same = accepted.filter((candidate) => loose(candidate).replace(/s$/, "") === stem);
  const begun = accepted.filter((candidate) => stem.length >= 3 && loose(candidate).startsWith(stem));
  const match = same.length === 1 ? same[0] : begun.length === 1 ? begun[0] : undefined;
  return match ? ` (did you mean "${match}"?)` : "";
}

function changed(schema: AnySchema, replacement: Record<string, AnySchema>, original: unknown): AnySchema {
  return Object.values(replacement)[0] === original ? schema : cloneWith(schema, replacement);
}

function changedList(schema: AnySchema, key: string, list: AnySchema[], wording: Wording): AnySchema {
  const strict = list.map((item) => makeStrict(item, wording));
  return strict.every((item, index) => item === list[index]) ? schema : cloneWith(schema, { [key]: strict });
}

/** A copy with some def fields replaced that keeps the original's metadata (description) as its parent's. */
function cloneWith(schema: AnySchema, replacement: Record<string, unknown>): AnySchema {
  return z.core.clone(schema, { ...schema._zod.def, ...replacement } as z.core.$ZodTypeDef, { parent: true });
}

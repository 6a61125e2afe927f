import type { Random } from "./random.js";

/*
 * Strings for the simple regular expressions tool schemas use (`^ORD-\d{4,6}$`, `^[A-Z]{3}[0-9]{2}$`,
 * `^\+\d{10,14}$`). Character classes, escapes, groups with alternatives and quantifiers are supported;
 * anything else gives undefined so the caller can fall back.
 */

type Node =
  | { kind: "chars"; choices: string[]; min: number; max: number }
  | { kind: "group"; alternatives: Node[][]; min: number; max: number };

const DIGITS = "0123456789".split("");
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("");
const LOWER = "abcdefghijklmnopqrstuvwxyz".split("");
const WORD = [...UPPER, ...LOWER, ...DIGITS, "_"];

/** A string matching `pattern`, or undefined when the pattern is beyond this small generator. */
export function generatePatternString(pattern: string, random: Random): string | undefined {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, "u");
  } catch {
    return undefined;
  }
  let nodes: Node[];
  try {
    nodes = parseSequence(pattern.replace(/^\^/, "").replace(/\$$/, ""), { index: 0 }, false);
  } catch {
    return undefined;
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const candidate = renderSequence(nodes, random);
    if (regex.test(candidate)) return candidate;
  }
  return undefined;
}

function parseSequence(source: string, cursor: { index: number }, inGroup: boolean): Node[] {
  const nodes: Node[] = [];
  while (cursor.index < source.length) {
    const char = source[cursor.index] as string;
    if (inGroup && (char === ")" || char === "|")) break;
    if (char === "(") {
      cursor.index++;
      if (source.startsWith("?:", cursor.index)) cursor.index += 2;
      const alternatives: Node[][] = [parseSequence(source, cursor, true)];
      while (source[cursor.index] === "|") {
        cursor.index++;
        alternatives.push(parseSequence(source, cursor, true));
      }
      if (source[cursor.index] !== ")") throw new Error("unclosed group");
      cursor.index++;
      nodes.push({ kind: "group", alternatives, ...parseQuantifier(source, cursor) });
      continue;
    }
    if (!inGroup && char === "|") throw new Error("top-level alternatives are not supported");
    const choices = parseAtom(source, cursor);
    nodes.push({ kind: "chars", choices, ...parseQuantifier(source, cursor) });
  }
  return nodes;
}

function parseAtom(source: string, cursor: { index: number }): string[] {
  const char = source[cursor.index] as string;
  if (char === "\\") {
    const escaped = source[cursor.index + 1];
    cursor.index += 2;
    if (escaped === undefined) throw new Error("dangling escape");
    return escapeChoices(escaped);
  }
  if (char === "[") return parseClass(source, cursor);
  if (char === ".") {
    cursor.index++;
    return LOWER;
  }
  if ("*+?{}^$".includes(char)) throw new Error(`unexpected ${char}`);
  cursor.index++;
  return [char];
}

function escapeChoices(escaped: string): string[] {
  if (escaped === "d") return DIGITS;
  if (escaped === "w") return WORD;
  if (escaped === "s") return [" "];
  if (/[A-Za-z]/.test(escaped)) throw new Error(`unsupported escape \\${escaped}`);
  return [escaped];
}

function parseClass(source: string, cursor: { index: number }): string[] {
  cursor.index++;
  if (source[cursor.index] === "^") throw new Error("negated classes are not supported");
  const choices: string[] = [];
  while (cursor.index < source.length && source[cursor.index] !== "]") {
    const char = source[cursor.index] as string;
    if (char === "\\") {
      choices.push(...escapeChoices(source[cursor.index + 1] ?? ""));
      cursor.index += 2;
      continue;
    }
    const next = source[cursor.index + 1];
    const end = source[cursor.index + 2];
    if (next === "-" && end !== undefined && end !== "]") {
      for (let code = char.charCodeAt(0); code <= end.charCodeAt(0); code++) choices.push(String.fromCharCode(code));
      cursor.index += 3;
      continue;
    }
    choices.push(char);
    cursor.index++;
  }
  if (source[cursor.index] !== "]") throw new Error("unclosed class");
  cursor.index++;
  if (choices.length === 0) throw new Error("empty class");
  return choices;
}

function parseQuantifier(source: string, cursor: { index: number }): { min: number; max: number } {
  const char = source[cursor.index];
  if (char === "?") return advance(cursor, 1, { min: 0, max: 1 });
  if (char === "*") return advance(cursor, 1, { min: 0, max: 3 });
  if (char === "+") return advance(cursor, 1, { min: 1, max: 4 });
  if (char === "{") {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(cursor.index));
    if (!match) throw new Error("bad quantifier");
    const min = Number(match[1]);
    const max = match[2] === undefined ? min : match[3] ? Number(match[3]) : min + 3;
    return advance(cursor, match[0].length, { min, max });
  }
  return { min: 1, max: 1 };
}

function advance<T>(cursor: { index: number }, by: number, value: T): T {
  cursor.index += by;
  return value;
}

function renderSequence(nodes: readonly Node[], random: Random): string {
  return nodes.map((node) => renderNode(node, random)).join("");
}

function renderNode(node: Node, random: Random): string {
  const count = random.int(node.min, node.max);
  let out = "";
  for (let i = 0; i < count; i++) {
    out += node.kind === "chars" ? random.pick(node.choices) : renderSequence(random.pick(node.alternatives), random);
  }
  return out;
}

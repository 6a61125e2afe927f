import { InputError } from "../errors/input-error.js";

/** Parsers of flag values: each names the flag and says what it expected when the value is wrong. */

export function parseInteger(flag: string, text: string, min: number, max?: number): number;
export function parseInteger(flag: string, text: string | undefined, min: number, max?: number): number | undefined;
export function parseInteger(flag: string, text: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError(`--${flag}: expected an integer ${max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`}, got "${text}"`);
  }
  return value;
}

/** A number from 0 to 1 (inclusive). */
export function parseRate(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || value > 1) throw new InputError(`--${flag}: expected a rate from 0 to 1, got "${text}"`);
  return value;
}

/** A number above 0 (an amount of money, a limit). */
export function parsePositiveNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0) throw new InputError(`--${flag}: expected a number above 0, got "${text}"`);
  return value;
}

export function parseSeed(text: string | undefined): number | undefined {
  return parseInteger("seed", text, 0);
}

/** One of the allowed words. */
export function parseChoice<T extends string>(flag: string, text: string | undefined, choices: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text)) throw new InputError(`--${flag}: expected one of ${choices.join(", ")}, got "${text}"`);
  return text as T;
}

/** A comma-separated list of non-empty items (ids, names). */
export function parseList(flag: string, text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const items = text.split(",").map((item) => item.trim());
  if (items.some((item) => item === "")) throw new InputError(`--${flag}: expected a comma-separated list without empty items, got "${text}"`);
  return items;
}

/** A comma-separated list of allowed words. */
export function parseChoices<T extends string>(flag: string, text: string | undefined, choices: readonly T[]): T[] | undefined {
  const items = parseList(flag, text);
  const unknown = items?.filter((item) => !(choices as readonly string[]).includes(item)) ?? [];
  if (unknown.length) throw new InputError(`--${flag}: expected ${choices.join(", ")} (or a comma-separated list of them), got "${text}"`);
  return items as T[] | undefined;
}

/** A switch and its `--no-` opposite: true, false, or undefined when neither is given. */
export function parseSwitchPair(name: string, on: boolean, off: boolean): boolean | undefined {
  if (on && off) throw new InputError(`--${name} and --no-${name} contradict each other; give one`);
  return on ? true : off ? false : undefined;
}

/*
 * A small, safe arithmetic evaluator for the formulas of compute effects (`2 * pi * radius`,
 * `round(principal * (1 + rate / 100) ^ years, 2)`): numbers, names bound to values, + - * / % ^ (power, right
 * associative), unary minus, parentheses, the constants pi and e, and the functions sqrt, abs, round (to n
 * places), floor, ceil, min, max, pow, log, exp. No eval, no property access: anything else is an error.
 */

const FUNCTIONS: Readonly<Record<string, (...args: number[]) => number>> = {
  sqrt: Math.sqrt,
  abs: Math.abs,
  floor: Math.floor,
  ceil: Math.ceil,
  min: Math.min,
  max: Math.max,
  pow: Math.pow,
  log: Math.log,
  exp: Math.exp,
  round: (value: number, places = 0) => {
    const factor = 10 ** places;
    return Math.round((value + Number.EPSILON) * factor) / factor;
  },
};

const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E };

type Token = { kind: "number"; value: number } | { kind: "name"; value: string } | { kind: "symbol"; value: string };

/** Thrown inside the parser only; evaluateFormula turns it into its result. */
class FormulaError extends Error {}

export type FormulaResult = { ok: true; value: number } | { ok: false; problem: string };

/**
 * The names a formula reads (its variables; constants and functions excluded), or the problem when it does not
 * parse (unknown functions and characters included).
 */
export function readFormulaNames(expression: string): { ok: true; names: string[] } | { ok: false; problem: string } {
  let tokens: Token[];
  try {
    tokens = tokenize(expression);
  } catch (error) {
    if (error instanceof FormulaError) return { ok: false, problem: error.message };
    throw error;
  }
  const names = [
    ...new Set(
      tokens.flatMap((token, index) => {
        const next = tokens[index + 1];
        const isCall = next?.kind === "symbol" && next.value === "(";
        return token.kind === "name" && !Object.hasOwn(CONSTANTS, token.value) && !isCall ? [token.value] : [];
      }),
    ),
  ];
  const checked = evaluateFormula(expression, Object.fromEntries(names.map((name) => [name, 1])));
  if (!checked.ok && !/finite|division by zero/.test(checked.problem)) return { ok: false, problem: checked.problem };
  return { ok: true, names };
}

/** Evaluate `expression` with `variables`: the value, or the problem (a bad formula, a missing variable, a result that is not a finite number). */
export function evaluateFormula(expression: string, variables: Readonly<Record<string, number>>): FormulaResult {
  try {
    const parser = new Parser(tokenize(expression), variables);
    const value = parser.parseExpression();
    parser.expectEnd();
    return Number.isFinite(value) ? { ok: true, value } : { ok: false, problem: `the result is not a finite number (${value})` };
  } catch (error) {
    if (error instanceof FormulaError) return { ok: false, problem: error.message };
    throw error;
  }
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+)|([A-Za-z_][A-Za-z0-9_]*)|(\*\*|[-+*/%^(),]))/y;
  let index = 0;
  while (index < expression.length) {
    if (/^\s*$/.test(expression.slice(index))) break;
    pattern.lastIndex = index;
    const match = pattern.exec(expression);
    if (!match) throw new FormulaError(`unexpected character "${expression.slice(index).trim()[0]}" at ${index}`);
    index = pattern.lastIndex;
    if (match[1] !== undefined) tokens.push({ kind: "number", value: Number(match[1]) });
    else if (match[2] !== undefined) tokens.push({ kind: "name", value: match[2] });
    else tokens.push({ kind: "symbol", value: match[3] === "**" ? "^" : (match[3] as string) });
  }
  return tokens;
}

class Parser {
  #position = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly variables: Readonly<Record<string, number>>,
  ) {}

  expectEnd(): void {
    const token = this.tokens[this.#position];
    if (token) throw new FormulaError(`unexpected "${token.value}"`);
  }

  parseExpression(): number {
    let value = this.#parseTerm();
    for (let symbol = this.#peekSymbol(); symbol === "+" || symbol === "-"; symbol = this.#peekSymbol()) {
      this.#position++;
      const right = this.#parseTerm();
      value = symbol === "+" ? value + right : value - right;
    }
    return value;
  }

  #parseTerm(): number {
    let value = this.#parseUnary();
    for (let symbol = this.#peekSymbol(); symbol === "*" || symbol === "/" || symbol === "%"; symbol = this.#peekSymbol()) {
      this.#position++;
      const right = this.#parseUnary();
      if ((symbol === "/" || symbol === "%") && right === 0) throw new FormulaError("division by zero");
      value = symbol === "*" ? value * right : symbol === "/" ? value / right : value % right;
    }
    return value;
  }

  #parseUnary(): number {
    const symbol = this.#peekSymbol();
    if (symbol === "-" || symbol === "+") {
      this.#position++;
      const value = this.#parseUnary();
      return symbol === "-" ? -value : value;
    }
    return this.#parsePower();
  }

  #parsePower(): number {
    const base = this.#parsePrimary();
    if (this.#peekSymbol() !== "^") return base;
    this.#position++;
    return base ** this.#parseUnary();
  }

  #parsePrimary(): number {
    const token = this.tokens[this.#position++];
    if (!token) throw new FormulaError("the formula ends too early");
    if (token.kind === "number") return token.value;
    if (token.kind === "symbol") {
      if (token.value !== "(") throw new FormulaError(`unexpected "${token.value}"`);
      const value = this.parseExpression();
      this.#expectSymbol(")");
      return value;
    }
    if (this.#peekSymbol() === "(") return this.#parseCall(token.value);
    if (Object.hasOwn(CONSTANTS, token.value)) return CONSTANTS[token.value] as number;
    if (!Object.hasOwn(this.variables, token.value)) throw new FormulaError(`no value for "${token.value}"`);
    return this.variables[token.value] as number;
  }

  #parseCall(name: string): number {
    const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    if (!fn) throw new FormulaError(`unknown function "${name}"`);
    this.#expectSymbol("(");
    const args: number[] = [];
    if (this.#peekSymbol() !== ")") {
      args.push(this.parseExpression());
      while (this.#peekSymbol() === ",") {
        this.#position++;
        args.push(this.parseExpression());
      }
    }
    this.#expectSymbol(")");
    return fn(...args);
  }

  #peekSymbol(): string | undefined {
    const token = this.tokens[this.#position];
    return token?.kind === "symbol" ? token.value : undefined;
  }

  #expectSymbol(symbol: string): void {
    const token = this.tokens[this.#position++];
    if (token?.kind !== "symbol" || token.value !== symbol) throw new FormulaError(`expected "${symbol}"${token ? ` but found "${token.value}"` : " at the end"}`);
  }
}

import { describe, expect, it } from "vitest";
import { evaluateFormula, readFormulaNames } from "../../src/world/formula.js";

describe("the formula evaluator", () => {
  it("evaluates arithmetic with precedence, right-associative powers, constants and functions", () => {
    expect(evaluateFormula("2 * pi * radius", { radius: 1 })).toEqual({ ok: true, value: 2 * Math.PI });
    expect(evaluateFormula("1 + 2 * 3 - 4 / 2", {})).toEqual({ ok: true, value: 5 });
    expect(evaluateFormula("2 ^ 3 ^ 2", {})).toEqual({ ok: true, value: 512 });
    expect(evaluateFormula("-2 ** 2", {})).toEqual({ ok: true, value: -4 });
    expect(evaluateFormula("round(principal * (1 + rate / 100) ^ years, 2)", { principal: 1000, rate: 5, years: 2 })).toEqual({ ok: true, value: 1102.5 });
    expect(evaluateFormula("max(a, b, 3) + min(1, 2) + sqrt(16) + abs(-1)", { a: 7, b: 2 })).toEqual({ ok: true, value: 13 });
  });

  it("refuses what is not arithmetic instead of running it", () => {
    for (const expression of ["process.exit()", "a.b", "constructor", "x; y", "1 +", "(1", "foo(1)", "`1`"]) {
      expect(evaluateFormula(expression, { a: 1, x: 1, y: 1 }).ok, expression).toBe(false);
    }
    expect(evaluateFormula("1 / zero", { zero: 0 })).toEqual({ ok: false, problem: "division by zero" });
    expect(evaluateFormula("radius * 2", {})).toEqual({ ok: false, problem: 'no value for "radius"' });
  });

  it("lists the variables a formula reads", () => {
    expect(readFormulaNames("2 * pi * radius + round(height, 2)")).toEqual({ ok: true, names: ["radius", "height"] });
    expect(readFormulaNames("eval(1)").ok).toBe(false);
  });
});

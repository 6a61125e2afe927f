import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/pipeline/load-config.js";
import { applyRunOverrides } from "../../src/pipeline/run-overrides.js";
import { ConfigError } from "../../src/errors/config-error.js";

describe("applyRunOverrides", () => {
  it("spreads a total fault rate evenly when the config names no kinds", () => {
    const config = applyRunOverrides(parseConfig({}), { faultRate: 0.3 });
    for (const rate of Object.values(config.simulation.faults)) expect(rate).toBeCloseTo(0.06);
  });

  it("spreads it in the configured proportions", () => {
    const config = applyRunOverrides(parseConfig({ simulation: { faults: { timeout: 0.05, rate_limit: 0.15 } } }), { faultRate: 0.4 });
    expect(config.simulation.faults.timeout).toBeCloseTo(0.1);
    expect(config.simulation.faults.rate_limit).toBeCloseTo(0.3);
    expect(config.simulation.faults.error).toBe(0);
  });

  it("sets sources, max steps and seed", () => {
    const config = applyRunOverrides(parseConfig({}), { toolSources: ["real", "imported", "real"], maxSteps: 300, seed: 9 });
    expect(config.tools.sources).toEqual(["real", "imported"]);
    expect(config.simulation.maxSteps).toBe(300);
    expect(config.seed).toBe(9);
    expect(applyRunOverrides(parseConfig({ tools: { sources: ["synthetic"] } }), { toolSources: ["all"] }).tools.sources).toEqual(["real", "synthetic", "imported"]);
  });

  it("rejects overrides that make the config invalid, naming the field", () => {
    expect(() => applyRunOverrides(parseConfig({}), { faultRate: 1.5 })).toThrow(ConfigError);
    expect(() => applyRunOverrides(parseConfig({}), { maxSteps: 0 })).toThrow(/simulation\.maxSteps/);
  });
});

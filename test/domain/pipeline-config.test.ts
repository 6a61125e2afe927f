import { describe, expect, it } from "vitest";
import { PipelineConfigSchema, resolveCallIdStyle } from "../../src/domain/config.js";

const problems = (input: unknown) => {
  const result = PipelineConfigSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
};

describe("pipeline config: judge, filter and export", () => {
  it("defaults every new field", () => {
    const config = PipelineConfigSchema.parse({});
    expect(config.judge).toEqual({ concurrency: 8 });
    expect(config.filter).toEqual({ minScore: 0.7, requirePass: true, requiredCriteria: [], dedupe: true, nearDuplicateThreshold: 0.85, excludeAttributions: [] });
    expect(config.export).toEqual({ format: "openai", includeSystemPrompt: true, includeReasoning: false, kimiToolCallIds: false });
  });

  it("sizes a judge committee from its temperatures or models", () => {
    expect(PipelineConfigSchema.parse({ judge: { committee: { temperatures: [0, 0.3, 0.7] } } }).judge.committee).toEqual({ size: 3, temperatures: [0, 0.3, 0.7] });
    expect(PipelineConfigSchema.parse({ judge: { committee: { models: [{}, { model: "judge-b" }] } } }).judge.committee?.size).toBe(2);
    expect(PipelineConfigSchema.parse({ judge: { committee: { size: 5 } } }).judge.committee?.size).toBe(5);
  });

  it("refuses a committee whose lists do not match its size", () => {
    expect(problems({ judge: { committee: { size: 3, temperatures: [0, 1] } } })).toEqual(["judge.committee.temperatures: needs one entry per member: the committee has 3, this list 2"]);
    expect(problems({ judge: { committee: { temperatures: [0, 1], models: [{}] } } })).toEqual(["judge.committee.models: needs one entry per member: the committee has 2, this list 1"]);
    expect(problems({ judge: { committee: { models: [{ modle: "x" }] } } })).toHaveLength(1);
  });

  it("accepts every filter option and checks the band", () => {
    const filter = {
      minScore: 0.5,
      requiredCriteria: ["goal_met"],
      nearDuplicateThreshold: 0.9,
      successRate: { min: 0.2, max: 0.8 },
      caps: { perTask: 2, perAgent: 10, perDomain: 50 },
      length: { minMessages: 4, maxMessages: 40, minToolCalls: 1, maxToolCalls: 12 },
      excludeAttributions: ["tool_simulator", "infrastructure"],
    };
    expect(PipelineConfigSchema.parse({ filter }).filter).toMatchObject(filter);
    expect(problems({ filter: { successRate: { min: 0.9, max: 0.1 } } })).toEqual(["filter.successRate.min: min must not exceed max"]);
    expect(problems({ filter: { excludeAttributions: ["user"] } })[0]).toMatch(/^filter\.excludeAttributions\.0/);
  });

  it("accepts every export option and checks the split", () => {
    const exportConfig = { format: "hf", includeSystemPrompt: false, includeReasoning: true, kimiToolCallIds: true, split: { validationRatio: 0.1, seed: 3 } };
    expect(PipelineConfigSchema.parse({ export: exportConfig }).export).toEqual(exportConfig);
    expect(problems({ export: { split: { validationRatio: 1 } } })[0]).toMatch(/^export\.split\.validationRatio/);
    expect(problems({ export: { format: "csv" } })[0]).toMatch(/^export\.format/);
  });

  it("takes a call-id style; kimiToolCallIds stays an alias of kimi, and callIdStyle wins", () => {
    expect(PipelineConfigSchema.parse({ export: { callIdStyle: "mistral" } }).export.callIdStyle).toBe("mistral");
    expect(problems({ export: { callIdStyle: "llama" } })[0]).toMatch(/^export\.callIdStyle/);
    expect(resolveCallIdStyle(PipelineConfigSchema.parse({}).export)).toBe("openai");
    expect(resolveCallIdStyle(PipelineConfigSchema.parse({ export: { kimiToolCallIds: true } }).export)).toBe("kimi");
    expect(resolveCallIdStyle(PipelineConfigSchema.parse({ export: { kimiToolCallIds: true, callIdStyle: "mistral" } }).export)).toBe("mistral");
  });
});

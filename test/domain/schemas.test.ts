import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderRecordSchemas } from "../../src/domain/json-schemas.js";
import { PipelineConfigSchema } from "../../src/domain/config.js";

const SCHEMAS = join(import.meta.dirname, "..", "..", "schemas");

describe("schemas/", () => {
  const rendered = renderRecordSchemas();
  it("has exactly one file per record", () => {
    expect(readdirSync(SCHEMAS).filter((f) => f.endsWith(".schema.json")).sort()).toEqual(Object.keys(rendered).map((n) => `${n}.schema.json`).sort());
  });
  it.each(Object.keys(rendered))("%s.schema.json is up to date (run `npm run schemas`)", (name) => {
    expect(readFileSync(join(SCHEMAS, `${name}.schema.json`), "utf8")).toBe(rendered[name]);
  });
  it("the pipeline config schema is not empty", () => {
    const schema = JSON.parse(rendered["pipeline-config"] ?? "{}");
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["seed", "models", "simulation", "filter"]));
  });
  it("the default config in fixtures/ is valid", () => {
    const config = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "fixtures", "pipeline.default.json"), "utf8"));
    expect(PipelineConfigSchema.safeParse(config).success).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { checkJsonSchema, compileJsonSchema, validateJsonSchema } from "../../src/support/json-schema.js";

/** Schemas that compile, and schemas that do not, each for a different reason. */
const GOOD: Record<string, Record<string, unknown>> = {
  "plain object": { type: "object", properties: { id: { type: "string" }, count: { type: "integer", minimum: 0 } }, required: ["id"] },
  "a property named like keywords": { type: "object", properties: { id: { type: "string" }, $ref: { type: "string" }, enum: { type: "array" } } },
  "a local reference into $defs": { type: "object", properties: { step: { $ref: "#/$defs/step" } }, $defs: { step: { type: "object", properties: { name: { type: "string" } } } } },
  "a reference to the root": { type: "object", properties: { child: { $ref: "#" } } },
  "a reference with escaped tokens": { type: "object", properties: { "a/b": { type: "string" }, copy: { $ref: "#/properties/a~1b" } } },
  "a valid pattern": { type: "object", properties: { code: { type: "string", pattern: "^[A-Z]{3}-\\d+$" } }, patternProperties: { "^x-": { type: "string" } } },
  "a $schema header": { $schema: "http://json-schema.org/draft-07/schema#", type: "object" },
  "nullable with a type": { type: "object", properties: { note: { type: "string", nullable: true } } },
  "an unknown format": { type: "object", properties: { when: { type: "string", format: "no-such-format" } } },
};

const BAD: Record<string, Record<string, unknown>> = {
  "an unknown type": { type: "object", properties: { value: { type: "nonsense" } } },
  "required not a list": { type: "object", required: "id" },
  "a broken pattern": { type: "object", properties: { code: { type: "string", pattern: "[A-Z" } } },
  "a broken pattern property": { type: "object", patternProperties: { "(unclosed": { type: "string" } } },
  "a reference that resolves nowhere": { type: "object", properties: { step: { $ref: "#/$defs/missing" } } },
  "a remote reference": { type: "object", properties: { step: { $ref: "https://example.com/schema.json" } } },
  "an empty enum": { type: "object", properties: { mode: { enum: [] } } },
  "nullable without a type": { type: "object", properties: { note: { nullable: true } } },
  "the draft-04 id keyword": { type: "object", properties: { note: { type: "string", id: "note" } } },
};

function compiles(schema: Record<string, unknown>): boolean {
  try {
    compileJsonSchema(structuredClone(schema));
    return true;
  } catch {
    return false;
  }
}

describe("checkJsonSchema", () => {
  for (const [name, schema] of Object.entries(GOOD)) {
    it(`accepts ${name}, which compiles`, () => {
      expect(checkJsonSchema(schema)).toBeUndefined();
      expect(compiles(schema)).toBe(true);
    });
  }
  for (const [name, schema] of Object.entries(BAD)) {
    it(`refuses ${name}, which does not compile, saying why`, () => {
      const problem = checkJsonSchema(schema);
      expect(problem).toEqual(expect.any(String));
      expect(problem?.length).toBeGreaterThan(10);
      expect(compiles(schema)).toBe(false);
    });
  }
});

describe("compileJsonSchema", () => {
  it("compiles a schema once, whichever object holds it", () => {
    const first = compileJsonSchema({ type: "object", properties: { city: { type: "string" } } });
    const second = compileJsonSchema({ type: "object", properties: { city: { type: "string" } } });
    expect(second).toBe(first);
    expect(compileJsonSchema({ type: "object", properties: { town: { type: "string" } } })).not.toBe(first);
  });

  it("validates values, and reports a broken schema as an error rather than throwing", () => {
    const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
    expect(validateJsonSchema(schema, { city: "Lyon" })).toEqual({ valid: true, errors: [] });
    expect(validateJsonSchema(schema, {})).toEqual({ valid: false, errors: ["(root): must have required property 'city'"] });
    expect(validateJsonSchema({ type: "nonsense" }, 1).errors[0]).toMatch(/^the schema itself is invalid: /);
  });
});

import { describe, expect, it } from "vitest";
import { compileJsonSchema, validateJsonSchema } from "../../../../src/support/json-schema.js";
import { loadTaxonomy, taxonomyDomains } from "./offline-fixtures.js";

describe("fixtures/taxonomy.json", () => {
  it("parses with TaxonomySchema and spans at least 24 domains in 6 categories", () => {
    const taxonomy = loadTaxonomy();
    expect(taxonomy.categories.length).toBeGreaterThanOrEqual(6);
    expect(taxonomyDomains().length).toBeGreaterThanOrEqual(24);
  });

  it("has unique snake_case domain names, an organisation and 1-3 entities per domain", () => {
    const domains = taxonomyDomains();
    expect(new Set(domains.map((domain) => domain.name)).size).toBe(domains.length);
    for (const domain of domains) {
      expect(domain.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(domain.organization.length).toBeGreaterThan(2);
      expect(domain.entities.length).toBeGreaterThanOrEqual(1);
      expect(domain.entities.length).toBeLessThanOrEqual(3);
    }
  });

  it("gives every entity 4-8 typed fields whose examples fit their schema, an id prefix and domain actions", () => {
    const prefixes = new Set<string>();
    for (const domain of taxonomyDomains()) {
      for (const entity of domain.entities) {
        expect(entity.idPrefix, `${domain.name}.${entity.name}`).toMatch(/^[A-Z]{2,5}$/);
        expect(prefixes.has(entity.idPrefix), `duplicate prefix ${entity.idPrefix}`).toBe(false);
        prefixes.add(entity.idPrefix);
        expect(entity.fields.length).toBeGreaterThanOrEqual(4);
        expect(entity.fields.length).toBeLessThanOrEqual(8);
        expect(entity.actions.length, `${domain.name}.${entity.name} has no actions`).toBeGreaterThan(0);
        expect(entity.fields.some((field) => field.name === "status" && Array.isArray(field.schema.enum))).toBe(true);
        for (const field of entity.fields) {
          expect(() => compileJsonSchema(field.schema)).not.toThrow();
          expect(field.examples.length, `${entity.name}.${field.name} has no examples`).toBeGreaterThan(0);
          for (const example of field.examples) expect(validateJsonSchema(field.schema, example).valid, `${entity.name}.${field.name}: ${JSON.stringify(example)}`).toBe(true);
        }
      }
    }
  });

  it("uses real JSON-Schema types and formats across the fields", () => {
    const schemas = taxonomyDomains().flatMap((domain) => domain.entities.flatMap((entity) => entity.fields.map((field) => field.schema)));
    const kinds = new Set(schemas.map((schema) => (typeof schema.format === "string" ? `string:${schema.format}` : String(schema.type))));
    for (const kind of ["string", "string:email", "string:date", "string:date-time", "number", "integer", "boolean"]) expect(kinds).toContain(kind);
    expect(schemas.some((schema) => typeof schema.minimum === "number")).toBe(true);
  });
});

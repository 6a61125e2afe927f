import { z } from "zod";
import { JsonSchemaSchema, recordBase } from "./common.js";

/** A field of a domain entity (JSON-Schema typed). */
export const EntityFieldSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  description: z.string(),
  schema: JsonSchemaSchema.describe("JSON Schema of the field's value"),
  examples: z.array(z.unknown()).default([]),
});
export type EntityField = z.infer<typeof EntityFieldSchema>;

/** Something a domain's tools manage: an order, a booking, a ticket. */
export const EntitySchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/).describe("singular, snake_case"),
  plural: z.string().regex(/^[a-z][a-z0-9_]*$/),
  idPrefix: z.string().regex(/^[A-Z]{2,5}$/).describe("prefix of ids, e.g. ORD for ORD-10442"),
  description: z.string(),
  fields: z.array(EntityFieldSchema).min(1),
  actions: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/)).default([]).describe("domain verbs beyond CRUD, e.g. refund, reschedule"),
});
export type Entity = z.infer<typeof EntitySchema>;

/** A domain of the taxonomy: category → domain → tools. */
export const DomainSpecSchema = z.object({
  category: z.string().min(1),
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  title: z.string().min(1),
  description: z.string().min(1),
  organization: z.string().min(1).describe("a fictional organisation the agent works for"),
  entities: z.array(EntitySchema).min(1),
  parent: z.string().optional().describe("the domain this one was evolved from"),
});
export type DomainSpec = z.infer<typeof DomainSpecSchema>;

/** A domain the user writes (a file, an MCP call): the spec, with unknown fields refused. */
export const DomainInputSchema = z.strictObject(DomainSpecSchema.shape);

export const DomainRecordSchema = z.object({ ...recordBase, kind: z.literal("domain"), ...DomainSpecSchema.shape });
export type DomainRecord = z.infer<typeof DomainRecordSchema>;

/** The seed taxonomy file (`fixtures/taxonomy.json`). */
export const TaxonomySchema = z.object({
  categories: z.array(z.object({ name: z.string(), domains: z.array(DomainSpecSchema.omit({ category: true })).min(1) })).min(1),
});
export type Taxonomy = z.infer<typeof TaxonomySchema>;

/** The spec of a stored domain (no ids or timestamps: what a model is shown). */
export function specOfDomain(domain: DomainSpec): DomainSpec {
  const { category, name, title, description, organization, entities, parent } = domain;
  return { category, name, title, description, organization, entities, ...(parent ? { parent } : {}) };
}

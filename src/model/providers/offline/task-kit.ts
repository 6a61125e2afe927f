import type { JsonObject, JsonValue } from "../../../domain/common.js";
import type { DomainSpec, Entity } from "../../../domain/domain.js";
import type { HiddenFact } from "../../../domain/task.js";
import type { Random } from "../../../support/random.js";
import { isAllowed, type RuleBook } from "./business-rules.js";
import { findStatusField, generateEntityId, generateEntityRecord, listStatuses } from "./entity-records.js";
import type { LiveValues } from "./live-values.js";
import type { GeneratedPersona } from "./personas.js";
import { makeEmail } from "./schema-values.js";
import { listStartStatuses, type ToolRole } from "./tool-roles.js";
import { humanize, pluralize } from "./text.js";
import { PERSON_NAMES } from "./vocabulary.js";

/*
 * What a task is built from: per entity the agent's tools manage, the tools that read and change its records
 * (a kit), the records a task seeds into the world (the persona's own and a few of other people's), and which
 * statuses let a change go through — by the tools' declared preconditions and the agent's rules.
 */

export interface EntityKit {
  entity: Entity;
  domain: DomainSpec;
  get: ToolRole;
  /** A search that filters by the record's email field, and that parameter. */
  search?: { role: ToolRole; emailParam: string } | undefined;
  /** Writes on one record selected by its id. */
  writes: ToolRole[];
  emailField?: string | undefined;
}

/** Everything a task writer knows about the agent: its tools, their kits and its rules. */
export interface TaskInput {
  domain: DomainSpec;
  domains: DomainSpec[];
  roles: ToolRole[];
  kits: EntityKit[];
  rules: RuleBook;
  confirm: boolean;
  persona: GeneratedPersona;
  random: Random;
  live?: LiveValues | undefined;
}

/** Kits of the entities that have a look-up by id (the records a task can be about). */
export function buildKits(roles: readonly ToolRole[]): EntityKit[] {
  const kits: EntityKit[] = [];
  for (const get of roles.filter((role) => role.kind === "get" && role.idParam && role.entity && role.domain)) {
    const entity = get.entity as Entity;
    if (kits.some((kit) => kit.entity.name === entity.name)) continue;
    const emailField = entity.fields.find((field) => field.schema.format === "email")?.name;
    const searchRole = roles.find((role) => role.kind === "search" && role.entity?.name === entity.name && role.filters.some((filter) => filter.field === emailField));
    const emailParam = searchRole?.filters.find((filter) => filter.field === emailField)?.parameter;
    kits.push({
      entity,
      domain: get.domain as DomainSpec,
      get,
      search: searchRole && emailParam ? { role: searchRole, emailParam } : undefined,
      writes: roles.filter((role) => role.writes && role.kind !== "create" && role.idParam && role.entity?.name === entity.name),
      emailField,
    });
  }
  return kits;
}

/** Entities that are the person themselves: "your customer" reads "your customer account". */
const PERSON_ENTITIES = /^(customer|member|user|patient|client|employee|student|passenger|guest|subscriber|holder|patron)$/;

export function nounOf(kit: EntityKit): string {
  return PERSON_ENTITIES.test(kit.entity.name) ? `${humanize(kit.entity.name)} account` : humanize(kit.entity.name);
}

export function pluralOf(kit: EntityKit): string {
  return humanize(kit.entity.plural || pluralize(kit.entity.name));
}

/** Statuses a write may start from: allowed by its preconditions and the agent's rules, open ones first. */
export function listEligibleStatuses(write: ToolRole, rules: RuleBook): string[] {
  const rule = rules.eligibility.find((candidate) => candidate.tool === write.name);
  return listStartStatuses(write).filter((status) => !rule || isAllowed(rule, status));
}

/** Statuses the agent's rules forbid the write from (the ground for a refusal). */
export function listForbiddenStatuses(write: ToolRole, rules: RuleBook): string[] {
  const rule = rules.eligibility.find((candidate) => candidate.tool === write.name);
  if (!rule || !write.entity) return [];
  return listStatuses(write.entity).filter((status) => !isAllowed(rule, status) && status !== write.transition?.to);
}

/** A record the persona owns (its email field is theirs), with a fresh id not in `taken`. */
export function makeOwnedRecord(kit: EntityKit, input: TaskInput, taken: Set<string>, overrides: JsonObject = {}): JsonObject {
  const owned: JsonObject = kit.emailField ? { [kit.emailField]: input.persona.email, ...overrides } : overrides;
  const id = generateEntityId(kit.entity.idPrefix, input.random, taken);
  taken.add(id);
  return generateEntityRecord(kit.entity, id, input.random, owned);
}

export function withStatus(kit: EntityKit, status: string | undefined): JsonObject {
  const field = findStatusField(kit.entity);
  return field && status !== undefined ? { [field.name]: status } : {};
}

/** One to three records of other people, so a search has something to filter out. */
export function makeDistractors(kit: EntityKit, input: TaskInput, taken: Set<string>): JsonObject[] {
  const others = PERSON_NAMES.map(makeEmail).filter((email) => email !== input.persona.email);
  return Array.from({ length: input.random.int(1, 3) }, () => {
    const id = generateEntityId(kit.entity.idPrefix, input.random, taken);
    taken.add(id);
    return generateEntityRecord(kit.entity, id, input.random, kit.emailField ? { [kit.emailField]: input.random.pick(others) } : {});
  });
}

/** The initial world: every record by entity and id. */
export function buildInitialState(records: ReadonlyArray<{ kit: EntityKit; record: JsonObject }>): JsonObject {
  const entities: Record<string, JsonObject> = {};
  for (const { kit, record } of records) {
    const collection = (entities[kit.entity.name] ??= {});
    collection[String(record.id)] = record;
  }
  return { entities };
}

export function makeIdFact(kit: EntityKit, id: string, description: string): HiddenFact {
  return { key: kit.get.idParam as string, value: id, description };
}

export function makeEmailFact(input: TaskInput): HiddenFact {
  return { key: "email", value: input.persona.email, description: "the email address on your account" };
}

/** The status of a record, if its entity has one. */
export function readStatus(kit: EntityKit, record: JsonObject): JsonValue | undefined {
  const field = findStatusField(kit.entity);
  return field ? record[field.name] : undefined;
}

import type { DomainSpec, Entity, EntityField } from "../../../domain/domain.js";
import type { DomainEvolutionContext, DomainEvolutionOutput } from "../../request-context.js";
import type { Random } from "../../../support/random.js";
import { findStatusField } from "./entity-records.js";
import { lowerFirst } from "./text.js";

/*
 * Hierarchical domain evolution: `count` new domains, each a specialisation of a seed domain ("flight_booking" → "flight_booking_group_bookings") with `parent` set, an
 * adapted organisation and description, and entities renamed and given one field the niche needs.
 */

interface Specialization {
  suffix: string;
  title: string;
  focus: string;
  organizationSuffix: string;
  entityPrefix: string;
  idLetter: string;
  field: EntityField;
  /** Categories it fits; empty = any. Matched against words of the category name. */
  categories: string[];
}

const SPECIALIZATIONS: Specialization[] = [
  {
    suffix: "business_accounts",
    title: "Business Accounts",
    focus: "business customers with several users and monthly invoicing",
    organizationSuffix: "for Business",
    entityPrefix: "business",
    idLetter: "B",
    field: { name: "company_name", description: "Company the record belongs to", schema: { type: "string" }, examples: ["Acme Robotics", "Blue Harbor Logistics"] },
    categories: [],
  },
  {
    suffix: "group_bookings",
    title: "Group Bookings",
    focus: "requests made on behalf of groups of ten or more people",
    organizationSuffix: "Group Desk",
    entityPrefix: "group",
    idLetter: "G",
    field: { name: "group_size", description: "Number of people in the group", schema: { type: "integer", minimum: 2, maximum: 60 }, examples: [12, 24] },
    categories: ["travel", "hospitality", "education"],
  },
  {
    suffix: "international",
    title: "International",
    focus: "cross-border customers who deal in several countries and currencies",
    organizationSuffix: "International",
    entityPrefix: "international",
    idLetter: "X",
    field: { name: "country_code", description: "ISO country code of the customer", schema: { type: "string", pattern: "^[A-Z]{2}$" }, examples: ["PT", "JP"] },
    categories: ["commerce", "travel", "finance", "logistics", "telecom"],
  },
  {
    suffix: "priority_service",
    title: "Priority Service",
    focus: "time-critical cases handled under a service-level agreement",
    organizationSuffix: "Priority Service",
    entityPrefix: "priority",
    idLetter: "P",
    field: { name: "sla_hours", description: "Hours within which the case must be handled", schema: { type: "integer", minimum: 1, maximum: 72 }, examples: [4, 24] },
    categories: [],
  },
  {
    suffix: "premium_members",
    title: "Premium Members",
    focus: "members of a paid premium tier who get extra perks",
    organizationSuffix: "Premium",
    entityPrefix: "premium",
    idLetter: "V",
    field: { name: "member_tier", description: "Premium membership tier", schema: { type: "string", enum: ["silver", "gold", "platinum"] }, examples: ["gold"] },
    categories: ["commerce", "travel", "hospitality", "telecom", "finance", "health"],
  },
  {
    suffix: "partner_channel",
    title: "Partner Channel",
    focus: "cases submitted through reseller and partner companies",
    organizationSuffix: "Partner Network",
    entityPrefix: "partner",
    idLetter: "N",
    field: { name: "partner_code", description: "Code of the partner who submitted it", schema: { type: "string", pattern: "^[A-Z]{3}[0-9]{2}$" }, examples: ["ACM42", "BLU07"] },
    categories: [],
  },
];

export function evolveDomains(context: DomainEvolutionContext, random: Random): DomainEvolutionOutput {
  const count = Math.max(1, context.count);
  const domains: DomainSpec[] = [];
  const taken = new Set(context.seedDomains.map((domain) => domain.name));
  const pairs = planSpecializations(context.seedDomains, random);
  for (const [parent, specialization] of pairs) {
    if (domains.length >= count) break;
    const evolved = specializeDomain(parent, specialization, taken);
    taken.add(evolved.name);
    domains.push(evolved);
  }
  if (domains.length === 0) throw new Error("domain-evolution: the context has no seed domains to evolve from");
  return { domains };
}

/** Parent × specialisation pairs, parents interleaved so evolution spreads over the seeds. */
function planSpecializations(seeds: readonly DomainSpec[], random: Random): Array<[DomainSpec, Specialization]> {
  const perParent = seeds.map((parent) => random.shuffle(SPECIALIZATIONS.filter((specialization) => fits(specialization, parent))));
  const pairs: Array<[DomainSpec, Specialization]> = [];
  const rounds = Math.max(0, ...perParent.map((list) => list.length));
  for (let round = 0; round < rounds; round++) {
    seeds.forEach((parent, index) => {
      const specialization = perParent[index]?.[round];
      if (specialization) pairs.push([parent, specialization]);
    });
  }
  return pairs;
}

function fits(specialization: Specialization, parent: DomainSpec): boolean {
  if (specialization.categories.length === 0) return true;
  const category = parent.category.toLowerCase();
  return specialization.categories.some((word) => category.includes(word));
}

function specializeDomain(parent: DomainSpec, specialization: Specialization, taken: ReadonlySet<string>): DomainSpec {
  let name = `${parent.name}_${specialization.suffix}`;
  for (let n = 2; taken.has(name); n++) name = `${parent.name}_${specialization.suffix}_${n}`;
  return {
    category: parent.category,
    name,
    title: `${parent.title}: ${specialization.title}`,
    description: `${parent.description.replace(/\.$/, "")}, specialised for ${specialization.focus}.`,
    organization: `${parent.organization} ${specialization.organizationSuffix}`,
    entities: parent.entities.map((entity) => specializeEntity(entity, specialization)),
    parent: parent.name,
  };
}

function specializeEntity(entity: Entity, specialization: Specialization): Entity {
  const fields = [...entity.fields];
  if (!fields.some((field) => field.name === specialization.field.name)) {
    if (fields.length >= 8) {
      const status = findStatusField(entity);
      const replaceAt = fields.map((field, index) => ({ field, index })).reverse().find(({ field }) => field !== status)?.index ?? fields.length - 1;
      fields.splice(replaceAt, 1);
    }
    fields.push(specialization.field);
  }
  return {
    name: `${specialization.entityPrefix}_${entity.name}`,
    plural: `${specialization.entityPrefix}_${entity.plural}`,
    idPrefix: `${specialization.idLetter}${entity.idPrefix}`.slice(0, 5),
    description: `${entity.description}, for ${lowerFirst(specialization.focus)}`,
    fields,
    actions: [...entity.actions],
  };
}

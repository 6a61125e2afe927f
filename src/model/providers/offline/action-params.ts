import type { JsonSchema } from "../../../domain/common.js";
import type { Entity, EntityField } from "../../../domain/domain.js";
import { toFieldSchema, findStatusField, statusForVerb, listStatuses } from "./entity-records.js";
import { readSchemaEnum, readSchemaType } from "./schema-values.js";
import { humanize, splitWords } from "./text.js";

/*
 * What a domain verb ("reschedule", "refund", "upgrade", "assign") needs as input beyond the entity id,
 * and what it does to the record. Tool synthesis builds action tools from this; task writing uses it to
 * know which hidden facts an action needs.
 */

export type ActionKind = "date_change" | "tier_change" | "money" | "reassign" | "relocate" | "restock" | "status_only";

export interface ActionParam {
  name: string;
  schema: JsonSchema;
  required: boolean;
  /** The record field the parameter writes, when it writes one. */
  field?: string | undefined;
}

export interface ActionPlan {
  kind: ActionKind;
  params: ActionParam[];
  /** The status the action leads to, when the entity's statuses have one. */
  status?: string | undefined;
}

const DATE_VERBS = new Set(["reschedule", "rebook", "postpone", "move", "defer", "extend", "renew"]);
const TIER_VERBS = new Set(["upgrade", "downgrade", "switch", "resize", "change"]);
const MONEY_VERBS = new Set(["refund", "reimburse", "credit", "compensate", "top", "charge", "pay"]);
const REASSIGN_VERBS = new Set(["assign", "reassign", "delegate", "transfer"]);
const RELOCATE_VERBS = new Set(["reroute", "redirect", "relocate"]);
const PAST_DATE_NAMES = /(placed|created|opened|issued|requested|borrowed|launched|joined|counted|enrolled|submitted|incident|reading)/;
const END_DATE_NAMES = /(due|return|end|expir|until|renewal)/;

export function planAction(action: string, entity: Entity): ActionPlan {
  const verb = splitWords(action)[0] ?? action;
  const status = statusForVerb(action.includes("_") && !TIER_VERBS.has(verb) ? action : verb, listStatuses(entity));
  const plan = (kind: ActionKind, params: ActionParam[]): ActionPlan => ({ kind, params, status });
  if (DATE_VERBS.has(verb)) {
    const field = pickDateField(entity, verb === "extend" || verb === "renew");
    if (field) return plan("date_change", [buildNewFieldParam(field)]);
  }
  if (TIER_VERBS.has(verb)) {
    const field = entity.fields.find((candidate) => candidate !== findStatusField(entity) && readSchemaEnum(candidate.schema));
    if (field) return plan("tier_change", [buildNewFieldParam(field)]);
  }
  if (MONEY_VERBS.has(verb)) {
    return plan("money", [
      { name: "amount", required: true, schema: { type: "number", exclusiveMinimum: 0, description: `Amount to ${humanize(action)}, in the account's currency.` } },
      { name: "reason", required: false, schema: { type: "string", maxLength: 200, description: `Why the ${humanize(action)} is made.` } },
    ]);
  }
  if (REASSIGN_VERBS.has(verb)) {
    const field = entity.fields.find((candidate) => /(assignee|owner|agent)/.test(candidate.name));
    if (field) return plan("reassign", [buildNewFieldParam(field)]);
  }
  if (RELOCATE_VERBS.has(verb)) {
    const field = entity.fields.find((candidate) => /(city|address|destination|location)/.test(candidate.name) && readSchemaType(candidate.schema) === "string");
    if (field) return plan("relocate", [buildNewFieldParam(field)]);
  }
  if (verb === "restock") {
    return plan("restock", [{ name: "quantity", required: true, schema: { type: "integer", minimum: 1, maximum: 10000, description: "Number of units received." } }]);
  }
  return plan("status_only", [{ name: "reason", required: false, schema: { type: "string", maxLength: 200, description: `Optional note on why the ${humanize(entity.name)} is ${humanize(status ?? action)}.` } }]);
}

function pickDateField(entity: Entity, preferEnd: boolean): EntityField | undefined {
  const dates = entity.fields.filter((field) => field.schema.format === "date" || field.schema.format === "date-time");
  const future = dates.filter((field) => !PAST_DATE_NAMES.test(field.name));
  if (preferEnd) return future.find((field) => END_DATE_NAMES.test(field.name));
  return future[0];
}

function buildNewFieldParam(field: EntityField): ActionParam {
  return { name: `new_${field.name}`, required: true, field: field.name, schema: { ...toFieldSchema(field), description: `The new ${humanize(field.name)}.` } };
}

/** Verbs that make money move or remove something: hinted destructive. */
export function isDestructiveVerb(verb: string): boolean {
  return ["revoke", "void", "terminate", "drop", "discontinue", "suspend", "deny", "reject", "withdraw", "stop", "freeze"].includes(verb);
}

export function isIdempotentKind(kind: ActionKind): boolean {
  return kind !== "money" && kind !== "restock";
}

import type { Entity } from "../../../domain/domain.js";
import type { EffectError, ToolEffect } from "../../../domain/effect.js";
import { planAction } from "./action-params.js";
import { findStatusField, listStatuses } from "./entity-records.js";
import type { Blueprint } from "./tool-blueprints.js";
import { listCreatableFields, findCancelStatus, pickSearchFilters } from "./tool-blueprints.js";
import { capitalize, humanize, joinList, pastTense } from "./text.js";

/*
 * The effect the offline generator declares with each tool it writes, from the kind of tool it is: a get selects
 * by id, a search filters, a create sets the given fields and starts the status, a cancel or a domain action moves
 * the status (only from a status where that makes sense), an update sets fields, a count counts. Undefined when
 * the tool would change nothing (a domain verb with no status and no field to set): such a tool is not written.
 */

/** Statuses a record does not leave: nothing is cancelled, refunded or rescheduled from them. */
const FINAL_STATUS = /^(delivered|cancell?ed|closed|refunded|rejected|completed|done|checked_out|returned|terminated|void|voided|expired|revoked|denied|withdrawn|picked_up|ported_out|no_show|lost|discontinued|dropped|failed)$/;

export function buildEffect(blueprint: Blueprint): ToolEffect | undefined {
  const { entity } = blueprint;
  const idSelector = { parameter: `${entity.name}_id`, field: "id", match: "equals" as const };
  const base = { entity: entity.name, select: [idSelector], set: [], preconditions: [], errors: [notFoundError(entity)] };
  const status = findStatusField(entity);
  switch (blueprint.kind) {
    case "get":
      return { ...base, operation: "get" };
    case "search":
      return { ...base, operation: "search", select: pickSearchFilters(entity).map((field) => ({ parameter: field.name, field: field.name, match: "equals" as const })), errors: [] };
    case "count":
      return { ...base, operation: "compute", select: status ? [{ parameter: status.name, field: status.name, match: "equals" as const }] : [], errors: [], compute: { kind: "count" } };
    case "create": {
      const initial = listStatuses(entity)[0];
      return {
        ...base,
        operation: "create",
        select: [],
        set: listCreatableFields(entity).map((field) => ({ parameter: field.name, field: field.name })),
        ...(status && initial !== undefined ? { transition: { field: status.name, to: initial } } : {}),
        errors: [],
      };
    }
    case "update_status":
      return status ? { ...base, operation: "update", set: [{ parameter: status.name, field: status.name }] } : undefined;
    case "update":
      return { ...base, operation: "update", set: listCreatableFields(entity).map((field) => ({ parameter: field.name, field: field.name })) };
    case "delete":
      return { ...base, operation: "delete" };
    case "cancel": {
      const to = findCancelStatus(entity);
      return to && status ? { ...base, operation: "transition", ...moveStatus(entity, status.name, to, "cancel") } : undefined;
    }
    case "action": {
      const action = blueprint.action ?? "process";
      const plan = planAction(action, entity);
      const set = plan.params.flatMap((param) => (param.field ? [{ parameter: param.name, field: param.field }] : []));
      if (plan.status && status) return { ...base, operation: "transition", set, ...moveStatus(entity, status.name, plan.status, action) };
      return set.length > 0 ? { ...base, operation: "update", set } : undefined;
    }
  }
}

/** A transition to `to`, allowed only from the statuses that are neither `to` nor final. */
function moveStatus(entity: Entity, field: string, to: string, verb: string): Pick<ToolEffect, "transition" | "preconditions" | "errors"> {
  const from = listStatuses(entity).filter((candidate) => candidate !== to && !FINAL_STATUS.test(candidate));
  const code = `cannot_${verb}`;
  const precondition: EffectError = { code, when: "precondition", message: `${capitalize(humanize(entity.name))} {id} cannot be ${humanize(pastTense(verb.split("_")[0] ?? verb))}: it is {value}.` };
  return {
    transition: { field, to },
    preconditions: from.length > 0 ? [{ field, oneOf: from, error: code }] : [],
    errors: [notFoundError(entity), ...(from.length > 0 ? [precondition] : [])],
  };
}

function notFoundError(entity: Entity): EffectError {
  return { code: "not_found", when: "not_found", message: `No ${humanize(entity.name)} with ID {id} exists.` };
}

/** The statuses an effect's precondition allows, for the tool's description. */
export function describePrecondition(effect: ToolEffect | undefined): string {
  const precondition = effect?.preconditions[0];
  return precondition ? ` Only possible while the ${humanize(precondition.field)} is ${joinList(precondition.oneOf.map((value) => humanize(String(value))), "or")}.` : "";
}

import type { JsonValue } from "../../../domain/common.js";
import type { DomainSpec, Entity } from "../../../domain/domain.js";
import type { ToolEffect } from "../../../domain/effect.js";
import type { ToolWithEffect } from "../../../domain/tool.js";
import { planAction } from "./action-params.js";
import { findStatusField, listStatuses, matchDomainEntity, statusForVerb } from "./entity-records.js";
import { analyzeTool, findStatusParam, type ToolAnatomy } from "./tool-anatomy.js";

/*
 * What a tool does to its domain's records, as the task writer and the rule writer need it: the declared
 * effect when the tool has one (exact), else what its name and schemas say (the anatomy's reading). The
 * agent never sees effects; it reads tools through the anatomy alone, as a model reads function specs.
 */


export type ToolRoleKind = "get" | "search" | "create" | "update" | "transition" | "delete" | "compute" | "other";

export interface ToolRole {
  name: string;
  anatomy: ToolAnatomy;
  kind: ToolRoleKind;
  /** The domain entity the tool works on, when known. */
  entity?: Entity | undefined;
  domain?: DomainSpec | undefined;
  /** The parameter that selects one record by id (get, update, transition, delete). */
  idParam?: string | undefined;
  /** Parameters that filter records (search): parameter → field. */
  filters: Array<{ parameter: string; field: string }>;
  /** Parameters whose value is written to a field (create, update). */
  sets: Array<{ parameter: string; field: string }>;
  transition?: { field: string; to: JsonValue } | undefined;
  /** Values a field must have for the call to succeed (declared, or none known). */
  preconditions: Array<{ field: string; oneOf: JsonValue[] }>;
  /** Required parameters beyond the id that carry a value the user must give (amounts, new dates). */
  valueParams: string[];
  writes: boolean;
}

export function readToolRoles(tools: readonly ToolWithEffect[], domains: readonly DomainSpec[]): ToolRole[] {
  return tools.map((tool) => readToolRole(tool, domains));
}

export function readToolRole(tool: ToolWithEffect, domains: readonly DomainSpec[]): ToolRole {
  const anatomy = analyzeTool(tool);
  return tool.effect ? fromEffect(tool.effect, anatomy, domains) : fromAnatomy(anatomy, domains);
}

function findEntity(domains: readonly DomainSpec[], name: string | undefined): { entity?: Entity; domain?: DomainSpec } {
  for (const domain of domains) {
    const entity = domain.entities.find((candidate) => candidate.name === name);
    if (entity) return { entity, domain };
  }
  return {};
}

function fromEffect(effect: ToolEffect, anatomy: ToolAnatomy, domains: readonly DomainSpec[]): ToolRole {
  const { entity, domain } = findEntity(domains, effect.entity);
  const idSelector = effect.select.find((selector) => selector.field === "id");
  const kind: ToolRoleKind = effect.operation === "list" ? "search" : effect.operation;
  const setParams = new Set(effect.set.map((assignment) => assignment.parameter));
  return {
    name: anatomy.name,
    anatomy,
    kind,
    entity,
    domain,
    idParam: idSelector?.parameter,
    filters: effect.select.filter((selector) => selector.field !== "id").map(({ parameter, field }) => ({ parameter, field })),
    sets: effect.set.map(({ parameter, field }) => ({ parameter, field })),
    transition: effect.transition ? { field: effect.transition.field, to: effect.transition.to } : undefined,
    preconditions: effect.preconditions.map(({ field, oneOf }) => ({ field, oneOf })),
    valueParams: anatomy.params.filter((param) => param.required && param.name !== idSelector?.parameter && (setParams.has(param.name) || kind === "transition" || kind === "update")).map((param) => param.name),
    writes: kind === "create" || kind === "update" || kind === "transition" || kind === "delete",
  };
}

function fromAnatomy(anatomy: ToolAnatomy, domains: readonly DomainSpec[]): ToolRole {
  const domain = domains.find((candidate) => matchDomainEntity(candidate, anatomy) !== undefined);
  const entity = domain ? matchDomainEntity(domain, anatomy) : undefined;
  const fields = new Set(entity?.fields.map((field) => field.name) ?? []);
  const base = { name: anatomy.name, anatomy, entity, domain, preconditions: [], filters: [], sets: [], valueParams: [] as string[] };
  const idParam = anatomy.idParam?.name;
  const valueParams = anatomy.params.filter((param) => param.required && param !== anatomy.idParam).map((param) => param.name);
  switch (anatomy.operation) {
    case "read":
      return { ...base, kind: idParam ? "get" : "search", idParam, writes: false };
    case "search":
      return { ...base, kind: "search", filters: anatomy.params.filter((param) => fields.has(param.name)).map((param) => ({ parameter: param.name, field: param.name })), writes: false };
    case "create":
      return { ...base, kind: "create", sets: anatomy.params.filter((param) => fields.has(param.name)).map((param) => ({ parameter: param.name, field: param.name })), valueParams, writes: true };
    case "update": {
      const status = findStatusParam(anatomy);
      const sets = anatomy.params.filter((param) => param !== anatomy.idParam && (fields.has(param.name) || param === status)).map((param) => ({ parameter: param.name, field: param === status && entity ? (findStatusField(entity)?.name ?? param.name) : param.name }));
      return { ...base, kind: "update", idParam, sets, valueParams, writes: true };
    }
    case "delete":
    case "action": {
      const statuses = entity ? listStatuses(entity) : [];
      const action = anatomy.actionWords.join("_") || anatomy.verb;
      const plan = entity ? planAction(action, entity) : undefined;
      const to = plan?.status ?? statusForVerb(anatomy.verb, statuses);
      const statusField = entity ? findStatusField(entity)?.name : undefined;
      const sets = (plan?.params ?? []).flatMap((param) => (param.field ? [{ parameter: param.name, field: param.field }] : []));
      if (to !== undefined && statusField) return { ...base, kind: "transition", idParam, sets, transition: { field: statusField, to }, valueParams, writes: true };
      if (anatomy.operation === "delete") return { ...base, kind: "delete", idParam, valueParams, writes: true };
      return { ...base, kind: sets.length > 0 ? "update" : "other", idParam, sets, valueParams, writes: !anatomy.readOnly };
    }
  }
}

/** The status field's values a write may start from: its declared precondition, else every status but the one it leads to. */
export function listStartStatuses(role: ToolRole): string[] {
  const entity = role.entity;
  if (!entity) return [];
  const field = findStatusField(entity);
  const statuses = listStatuses(entity);
  const declared = role.preconditions.find((condition) => condition.field === field?.name);
  const allowed = declared ? declared.oneOf.filter((value): value is string => typeof value === "string") : statuses;
  return allowed.filter((status) => role.transition?.to !== status);
}

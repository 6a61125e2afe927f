import type { JsonSchema } from "../../../domain/common.js";
import type { DomainSpec, Entity, EntityField } from "../../../domain/domain.js";
import type { ToolSpec } from "../../../domain/tool.js";
import { matchDomainEntity } from "./entity-records.js";
import { listSchemaProperties } from "./schema-values.js";
import { analyzeTool, findStatusParam, type ToolAnatomy } from "./tool-anatomy.js";
import { splitWords } from "./text.js";

/*
 * Which tasks a toolset supports. Tools are grouped by the entity they are about; each group offers
 * task shapes that chain its tools (look up then change, search then inspect, check then create,
 * compare two records); a toolset with no such chain still offers one task per tool.
 */

export interface EntityTools {
  entity: Entity;
  /** The entity is the domain's or its tools carry id shapes, so chained tasks make sense. */
  known: boolean;
  get?: ToolAnatomy | undefined;
  search?: ToolAnatomy | undefined;
  create?: ToolAnatomy | undefined;
  statusUpdate?: ToolAnatomy | undefined;
  update?: ToolAnatomy | undefined;
  removals: ToolAnatomy[];
  actions: ToolAnatomy[];
}

export type TaskPlanKind = "status_change" | "action" | "removal" | "compare" | "find_then_inspect" | "check_then_create" | "field_change" | "lookup" | "single_tool";

export interface TaskPlan {
  kind: TaskPlanKind;
  group: EntityTools;
  /** The tool the task is about (the write, or the read for look-up tasks). */
  main: ToolAnatomy;
}

export function groupToolsByEntity(domain: DomainSpec, tools: readonly ToolSpec[]): EntityTools[] {
  const groups = new Map<string, EntityTools>();
  for (const anatomy of tools.map(analyzeTool)) {
    const domainEntity = matchDomainEntity(domain, anatomy);
    const entity = domainEntity ?? inferEntity(anatomy);
    const group = groups.get(entity.name) ?? { entity, known: false, removals: [], actions: [] };
    group.known ||= domainEntity !== undefined || anatomy.idPrefix !== undefined;
    groups.set(entity.name, group);
    assignTool(group, anatomy);
  }
  return [...groups.values()];
}

function assignTool(group: EntityTools, anatomy: ToolAnatomy): void {
  switch (anatomy.operation) {
    case "read":
      if (anatomy.idParam) group.get ??= anatomy;
      break;
    case "search":
      if (anatomy.params.length > 0 && !anatomy.name.startsWith("count")) group.search ??= anatomy;
      break;
    case "create":
      group.create ??= anatomy;
      break;
    case "update":
      if (anatomy.idParam && findStatusParam(anatomy)) group.statusUpdate ??= anatomy;
      else if (anatomy.idParam) group.update ??= anatomy;
      break;
    case "delete":
      if (anatomy.idParam) group.removals.push(anatomy);
      break;
    case "action":
      if (anatomy.idParam) group.actions.push(anatomy);
      break;
  }
}

/** An entity reconstructed from a tool alone (for tools that are not from the domain's taxonomy). */
function inferEntity(anatomy: ToolAnatomy): Entity {
  const fields: EntityField[] = anatomy.recordSchema
    ? listSchemaProperties(anatomy.recordSchema)
        .filter(([name]) => name !== "id" && /^[a-z][a-z0-9_]*$/.test(name))
        .map(([name, schema]: [string, JsonSchema]) => ({ name, description: typeof schema.description === "string" ? schema.description : name, schema, examples: [] }))
    : [];
  const name = /^[a-z][a-z0-9_]*$/.test(anatomy.entityName) ? anatomy.entityName : "record";
  const letters = splitWords(name).join("").toUpperCase().replace(/[^A-Z]/g, "");
  return {
    name,
    plural: `${name}s`,
    idPrefix: anatomy.idPrefix ?? (letters.slice(0, 3).padEnd(2, "X") || "REC"),
    description: anatomy.spec.description,
    fields: fields.length > 0 ? fields : [{ name: "status", description: "Status", schema: { type: "string", enum: ["open", "closed"] }, examples: [] }],
    actions: [],
  };
}

/** Every task shape the toolset supports, chains first. */
export function listTaskPlans(groups: readonly EntityTools[], tools: readonly ToolSpec[]): TaskPlan[] {
  const plans: TaskPlan[] = [];
  for (const group of groups.filter((candidate) => candidate.known)) {
    if (group.statusUpdate) plans.push({ kind: "status_change", group, main: group.statusUpdate });
    for (const action of group.actions) plans.push({ kind: "action", group, main: action });
    for (const removal of group.removals) plans.push({ kind: "removal", group, main: removal });
    if (group.search && group.get && findEmailParam(group.search)) plans.push({ kind: "find_then_inspect", group, main: group.get });
    if (group.create) plans.push({ kind: "check_then_create", group, main: group.create });
    if (group.update) plans.push({ kind: "field_change", group, main: group.update });
    if (group.get) plans.push({ kind: "compare", group, main: group.get });
  }
  if (plans.length === 0) {
    for (const group of groups.filter((candidate) => candidate.known)) if (group.get) plans.push({ kind: "lookup", group, main: group.get });
  }
  const covered = new Set(plans.flatMap((plan) => [plan.main.name, ...listGroupTools(plan.group)]));
  for (const anatomy of tools.map(analyzeTool).filter((candidate) => !covered.has(candidate.name))) {
    const group = groups.find((candidate) => candidate.entity.name === anatomy.entityName) ?? { entity: inferEntity(anatomy), known: false, removals: [], actions: [] };
    plans.push({ kind: "single_tool", group, main: anatomy });
  }
  return plans;
}

function listGroupTools(group: EntityTools): string[] {
  return [group.get, group.search, group.create, group.statusUpdate, group.update, ...group.removals, ...group.actions].flatMap((tool) => (tool && group.known ? [tool.name] : []));
}

export function findEmailParam(anatomy: ToolAnatomy): ToolAnatomy["params"][number] | undefined {
  return anatomy.params.find((param) => param.schema.format === "email" || /email/.test(param.name));
}

import type { Entity } from "../../../domain/domain.js";
import { TOOL_NAME_PATTERN } from "../../../domain/tool.js";
import type { ToolSynthesisContext, ToolSynthesisOutput } from "../../request-context.js";
import type { Random } from "../../../support/random.js";
import { findCancelStatus, listCreatableFields, buildTool, type Blueprint, type SynthesizedTool } from "./tool-blueprints.js";
import { findStatusField } from "./entity-records.js";
import { buildEffect, describePrecondition } from "./tool-effects.js";

/*
 * Tool synthesis: each entity of the domain yields look-ups (get, search), writes (create, status change,
 * field update), cancel/delete and its domain actions. When fewer tools are asked for than exist, the
 * first entity's core chain wins (reads before writes), then the other entities'. Every tool declares its effect.
 */

export function synthesizeTools(context: ToolSynthesisContext, random: Random): ToolSynthesisOutput {
  // A blueprint whose tool would change nothing (no effect) is skipped, so the count is made of tools that work.
  const blueprints = orderBlueprints(context.domain.entities, random)
    .flatMap((blueprint) => {
      const effect = buildEffect(blueprint);
      return effect ? [{ ...blueprint, effect }] : [];
    })
    .slice(0, Math.max(1, context.count));
  const reads = blueprints.filter((blueprint) => isRead(blueprint));
  const writes = blueprints.filter((blueprint) => !isRead(blueprint));
  const taken = new Set(context.existingToolNames);
  const tools: SynthesizedTool[] = [];
  for (const blueprint of [...reads, ...writes]) {
    const tool = buildTool(blueprint, context.domain, random.fork(`${blueprint.kind}:${blueprint.entity.name}:${blueprint.action ?? ""}`));
    tools.push({ ...tool, name: claimName(tool.name, context.domain.name, taken), description: `${tool.description}${describePrecondition(blueprint.effect)}`, effect: blueprint.effect });
  }
  return { tools };
}

function isRead(blueprint: Blueprint): boolean {
  return blueprint.kind === "get" || blueprint.kind === "search" || blueprint.kind === "count";
}

/** All blueprints in the order they are worth having. */
function orderBlueprints(entities: readonly Entity[], random: Random): Blueprint[] {
  const perEntity = entities.map((entity) => listEntityBlueprints(entity, random));
  const ordered: Blueprint[] = [];
  const [primary, ...others] = perEntity;
  if (primary) ordered.push(...primary.slice(0, 5));
  for (const list of others) ordered.push(...list.slice(0, 3));
  if (primary) ordered.push(...primary.slice(5));
  for (const list of others) ordered.push(...list.slice(3));
  for (const entity of entities) ordered.push({ kind: "count", entity });
  return ordered;
}

function listEntityBlueprints(entity: Entity, random: Random): Blueprint[] {
  const actions = random.shuffle(entity.actions).filter((action) => action !== "cancel" && action !== "delete");
  const status = findStatusField(entity);
  const removal: Blueprint = { kind: findCancelStatus(entity) ? "cancel" : "delete", entity };
  const create: Blueprint = { kind: "create", entity };
  const writes: Blueprint[] = [];
  if (status) writes.push({ kind: "update_status", entity });
  const [firstAction, ...moreActions] = actions;
  if (firstAction) writes.push({ kind: "action", entity, action: firstAction });
  writes.push(...(random.chance(0.5) ? [removal, create] : [create, removal]));
  writes.push(...moreActions.map((action): Blueprint => ({ kind: "action", entity, action })));
  if (listCreatableFields(entity).length > 0) writes.push({ kind: "update", entity });
  return [{ kind: "get", entity }, { kind: "search", entity }, ...writes];
}

/** A portable name not used yet: the plain one, else suffixed with the domain, else numbered. */
function claimName(base: string, domainName: string, taken: Set<string>): string {
  const candidates = [base, `${base}_${domainName}`.slice(0, 64)];
  for (let n = 2; candidates.length < 50; n++) candidates.push(`${base.slice(0, 60)}_${n}`);
  const name = candidates.find((candidate) => TOOL_NAME_PATTERN.test(candidate) && !taken.has(candidate)) ?? `${base.slice(0, 50)}_${taken.size}`;
  taken.add(name);
  return name;
}

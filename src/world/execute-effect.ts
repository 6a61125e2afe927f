import type { JsonObject, JsonSchema, JsonValue } from "../domain/common.js";
import type { Entity } from "../domain/domain.js";
import type { EffectError, ToolEffect } from "../domain/effect.js";
import type { StateOperation } from "../domain/episode.js";
import { applyStateOperations } from "../domain/world-state.js";
import { validateJsonSchema } from "../support/json-schema.js";
import { deleteRecordOperation, readCollection, setRecordOperation } from "./entity-state.js";
import { evaluateFormula } from "./formula.js";
import { createRecordId } from "./record-ids.js";
import { shapeResult, type EffectPayload } from "./shape-result.js";
import { describeValue, matchesSelector, sameValue } from "./values.js";

/*
 * The environment executor: a tool with a declared effect run against the world state, deterministically and
 * without a model. Everything it does is declared in the effect and the domain's entity: which parameters select
 * records, which set fields, the transition, the preconditions, the errors. An unknown id is not found; a broken
 * precondition gives its declared error; a created id is new; the answer is shaped to the output schema; the same
 * arguments on the same state give the same answer.
 */

/** What the executor needs of a tool. */
export interface WorldTool {
  name: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema | undefined;
  effect: ToolEffect;
}

export type EffectErrorKind = EffectError["when"];

export interface EffectAnswer {
  isError: boolean;
  /** The tool's response: shaped to its output schema, or `{ error, message }`. */
  result: JsonValue;
  stateUpdate: StateOperation[];
  /** The world state after the call. */
  state: JsonObject;
  /** For an error answer: its code and which declared case it is. */
  error?: { code: string; when: EffectErrorKind } | undefined;
  /** Why a successful result does not fit the output schema (empty when it fits). */
  problems: string[];
}

export interface EffectCall {
  tool: WorldTool;
  /** The domain entity the effect names (undefined for a formula over arguments). */
  entity: Entity | undefined;
  state: JsonObject;
  arguments: JsonObject;
}

/** The entity an effect names, among its domain's entities. */
export function findEffectEntity(effect: ToolEffect, entities: readonly Entity[]): Entity | undefined {
  return effect.entity === undefined ? undefined : entities.find((entity) => entity.name === effect.entity);
}

export function executeEffect(call: EffectCall): EffectAnswer {
  const { effect } = call.tool;
  if (effect.operation === "compute" && effect.compute?.kind === "formula") return computeFormula(call, effect.compute);
  const entity = call.entity;
  if (!entity) return fail(call, "invalid", "unavailable", `The ${call.tool.name} service is not available.`);
  const records = readCollection(call.state, entity.name);
  switch (effect.operation) {
    case "list":
    case "search": {
      const found = filterRecords(effect, records, call.arguments);
      return succeed(call, { kind: "records", records: found }, [], `${found.length} ${describeEntity(entity, found.length !== 1)} found.`);
    }
    case "compute":
      return computeOverRecords(call, entity, filterRecords(effect, records, call.arguments));
    case "create":
      return createRecord(call, entity, records);
    default:
      return changeTarget(call, entity, records);
  }
}

/** The records every given selector matches (selectors of one parameter are alternatives), in the state's order. */
function filterRecords(effect: ToolEffect, records: ReadonlyMap<string, JsonObject>, args: JsonObject): JsonObject[] {
  const groups = groupSelectors(effect, args);
  return [...records.values()].filter((record) => groups.every(({ value, selectors }) => selectors.some((selector) => matchesSelector(record[selector.field], value, selector.match))));
}

function groupSelectors(effect: ToolEffect, args: JsonObject): Array<{ parameter: string; value: JsonValue; selectors: ToolEffect["select"] }> {
  const groups = new Map<string, ToolEffect["select"]>();
  for (const selector of effect.select) {
    if (args[selector.parameter] === undefined || args[selector.parameter] === null) continue;
    groups.set(selector.parameter, [...(groups.get(selector.parameter) ?? []), selector]);
  }
  return [...groups].map(([parameter, selectors]) => ({ parameter, value: args[parameter] as JsonValue, selectors }));
}

/** get, update, transition, delete: the one record the call names, checked, then changed. */
function changeTarget(call: EffectCall, entity: Entity, records: ReadonlyMap<string, JsonObject>): EffectAnswer {
  const { effect } = call.tool;
  const groups = groupSelectors(effect, call.arguments);
  const label = describeEntity(entity);
  if (groups.length === 0) {
    const wanted = effect.select.map((selector) => selector.parameter).join(" or ") || "an id";
    return fail(call, "invalid", "invalid_arguments", `${wanted} is required to find the ${label}.`);
  }
  const named = describeValue(groups[0]?.value);
  const matches = filterRecords(effect, records, call.arguments);
  if (matches.length === 0) return fail(call, "not_found", "not_found", `No ${label} with ${groups[0]?.parameter === undefined || isIdSelector(effect, groups[0].parameter) ? "ID" : humanizeName(groups[0].parameter)} ${named} exists.`, { id: named });
  if (matches.length > 1) return fail(call, "conflict", "ambiguous", `${matches.length} ${describeEntity(entity, true)} match ${named}; give the ${label} ID.`, { id: named });
  const target = matches[0] as JsonObject;
  const id = String(target.id);
  for (const precondition of effect.preconditions) {
    const value = target[precondition.field];
    if (!precondition.oneOf.some((allowed) => sameValue(value, allowed))) {
      const allowed = precondition.oneOf.map(describeValue).join(" or ");
      return fail(call, "precondition", precondition.error, `${capitalize(label)} ${id} is ${describeValue(value)}; this is only possible while its ${humanizeName(precondition.field)} is ${allowed}.`, { id, field: precondition.field, value: describeValue(value) });
    }
  }
  if (effect.operation === "get") return succeed(call, { kind: "record", record: target }, [], `${capitalize(label)} ${id} found.`);
  if (effect.operation === "delete") return succeed(call, { kind: "deleted", record: target }, [deleteRecordOperation(entity.name, id)], `${capitalize(label)} ${id} deleted.`);
  const changed = applyAssignments(effect, call.arguments, { ...target });
  return succeed(call, { kind: "record", record: changed }, [setRecordOperation(entity.name, changed)], `${capitalize(label)} ${id} updated.`);
}

function createRecord(call: EffectCall, entity: Entity, records: ReadonlyMap<string, JsonObject>): EffectAnswer {
  const id = createRecordId(entity.idPrefix, new Set(records.keys()), { entity: entity.name, arguments: call.arguments });
  const record = applyAssignments(call.tool.effect, call.arguments, { id });
  return succeed(call, { kind: "record", record }, [setRecordOperation(entity.name, record)], `${capitalize(describeEntity(entity))} ${id} created.`);
}

/** The fields the call sets (only the parameters it gives), then the declared transition. */
function applyAssignments(effect: ToolEffect, args: JsonObject, record: JsonObject): JsonObject {
  for (const assignment of effect.set) {
    const value = args[assignment.parameter];
    if (value !== undefined) record[assignment.field] = value;
  }
  if (effect.transition) record[effect.transition.field] = effect.transition.to;
  return record;
}

function computeOverRecords(call: EffectCall, entity: Entity, selected: JsonObject[]): EffectAnswer {
  const computation = call.tool.effect.compute;
  if (computation?.kind === "sum") {
    const total = selected.reduce((sum, record) => sum + (typeof record[computation.field] === "number" ? (record[computation.field] as number) : 0), 0);
    return succeed(call, { kind: "value", name: "total", value: Math.round(total * 100) / 100 }, [], `The total is ${total}.`);
  }
  return succeed(call, { kind: "value", name: "total", value: selected.length }, [], `${selected.length} ${describeEntity(entity, selected.length !== 1)}.`);
}

function computeFormula(call: EffectCall, computation: { expression: string; result: string }): EffectAnswer {
  const variables: Record<string, number> = {};
  for (const [name, value] of Object.entries(call.arguments)) {
    const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
    if (Number.isFinite(number)) variables[name] = number;
  }
  const evaluated = evaluateFormula(computation.expression, variables);
  if (!evaluated.ok) return fail(call, "invalid", "invalid_arguments", `The calculation cannot be done: ${evaluated.problem}.`);
  const value = Math.round(evaluated.value * 1e6) / 1e6;
  return succeed(call, { kind: "value", name: computation.result, value }, [], `The result is ${value}.`);
}

function succeed(call: EffectCall, payload: EffectPayload, stateUpdate: StateOperation[], text: string): EffectAnswer {
  const result = shapeResult(payload, call.tool.outputSchema, text);
  const check = call.tool.outputSchema ? validateJsonSchema(call.tool.outputSchema, result) : { valid: true, errors: [] };
  return { isError: false, result, stateUpdate, state: applyStateOperations(call.state, stateUpdate).state, problems: check.errors };
}

/**
 * An error answer `{ error, message }`: the effect's declared error of that code (or, failing that, of that kind)
 * with its message filled in, else the code and the default message.
 */
function fail(call: EffectCall, when: EffectErrorKind, code: string, message: string, fill: Record<string, string> = {}): EffectAnswer {
  const declared = call.tool.effect.errors.find((error) => error.code === code) ?? (when === "precondition" ? undefined : call.tool.effect.errors.find((error) => error.when === when));
  const text = declared ? declared.message.replace(/\{(\w+)\}/g, (placeholder, key: string) => fill[key] ?? placeholder) : message;
  const errorCode = declared?.code ?? code;
  return { isError: true, result: { error: errorCode, message: text }, stateUpdate: [], state: call.state, error: { code: errorCode, when }, problems: [] };
}

function isIdSelector(effect: ToolEffect, parameter: string): boolean {
  return effect.select.some((selector) => selector.parameter === parameter && selector.field === "id");
}

function describeEntity(entity: Entity, plural = false): string {
  return humanizeName(plural ? entity.plural : entity.name);
}

function humanizeName(name: string): string {
  return name.replace(/_/g, " ");
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

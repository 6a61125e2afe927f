import type { JsonObject, JsonSchema, JsonValue } from "../domain/common.js";
import type { Entity } from "../domain/domain.js";
import { WRITE_OPERATIONS, type ToolAudit, type ToolAuditCheck } from "../domain/effect.js";
import { stableStringify } from "../support/hash.js";
import { validateJsonSchema } from "../support/json-schema.js";
import { checkEffect } from "./check-effect.js";
import { ENTITIES_KEY } from "./entity-state.js";
import { executeEffect, findEffectEntity, type EffectAnswer, type WorldTool } from "./execute-effect.js";
import { sampleSchemaValue } from "./sample-values.js";
import { listSchemaProperties, listSchemaRequired, readSchemaEnum } from "./schema-reading.js";
import { sameValue } from "./values.js";

/*
 * The tool audit: before a synthetic tool is given to agents it is exercised on a sample state of its entity — a
 * valid call (it succeeds, fits the output schema, and a write changes the state), the same call again (the same
 * answer), a call naming an unknown id (not found, nothing changed) and a call on a record that breaks a
 * precondition (the declared error). A tool that fails any of them is excluded, with the reasons.
 */

const SAMPLE_RECORDS = 3;

export function auditTool(tool: WorldTool, entities: readonly Entity[]): ToolAudit {
  const checks: ToolAudit["checks"] = [];
  const record = (check: ToolAuditCheck, passed: boolean, detail: string): void => {
    checks.push({ check, passed, detail });
  };
  const problems = checkEffect(tool.effect, tool, entities);
  record("effect", problems.length === 0, problems.length ? problems.join("; ") : "the effect fits the domain's entities and the tool's parameters");
  if (problems.length > 0) return finish(checks);
  const entity = findEffectEntity(tool.effect, entities);
  const state = buildSampleState(tool, entity);
  const run = (args: JsonObject): EffectAnswer => executeEffect({ tool, entity, state, arguments: args });

  const args = buildValidArguments(tool, state, entity);
  const accepted = validateJsonSchema(tool.inputSchema, args);
  if (!accepted.valid) {
    record("valid_call", false, `no sample call fits the input schema: ${accepted.errors.join("; ")}`);
    return finish(checks);
  }
  const answer = run(args);
  record("valid_call", ...judgeValidCall(tool, state, answer));
  const again = run(args);
  const same = stableStringify([answer.result, answer.stateUpdate]) === stableStringify([again.result, again.stateUpdate]);
  record("same_answer", same, same ? "the same call on the same state gave the same answer" : "the same call on the same state gave another answer");

  const idSelector = tool.effect.select.find((selector) => selector.field === "id");
  if (idSelector && entity) {
    const unknown = pickUnknownId(tool, idSelector.parameter, state, entity);
    if (unknown !== undefined) {
      const missing = run({ ...args, [idSelector.parameter]: unknown });
      const notFound = missing.isError && missing.error?.when === "not_found" && missing.stateUpdate.length === 0;
      record("unknown_id", notFound, notFound ? `${unknown} is not found` : `a call on the unknown id ${unknown} answered ${JSON.stringify(missing.result).slice(0, 200)}`);
    }
    const precondition = tool.effect.preconditions[0];
    const violating = precondition ? sampleRecordId(state, entity, 1) : undefined;
    if (precondition && violating !== undefined && violatesPreconditions(tool, state, entity, violating)) {
      const refused = run({ ...args, [idSelector.parameter]: violating });
      const declared = refused.isError && refused.error?.when === "precondition" && refused.stateUpdate.length === 0;
      record("precondition", declared, declared ? `a ${entity.name} that is ${describe(readSample(state, entity, violating)[precondition.field])} gets ${refused.error?.code}` : `a call breaking the precondition on ${precondition.field} answered ${JSON.stringify(refused.result).slice(0, 200)}`);
    }
  }
  return finish(checks);
}

function finish(checks: ToolAudit["checks"]): ToolAudit {
  return { passed: checks.every((check) => check.passed), checks };
}

/** A valid call passes when it succeeds, fits the output schema, and (for a write) changes the state. */
function judgeValidCall(tool: WorldTool, state: JsonObject, answer: EffectAnswer): [boolean, string] {
  if (answer.isError) return [false, `a valid call failed: ${JSON.stringify(answer.result).slice(0, 200)}`];
  if (answer.problems.length > 0) return [false, `the answer does not fit the output schema: ${answer.problems.join("; ")}`];
  if (WRITE_OPERATIONS.has(tool.effect.operation) && stableStringify(answer.state) === stableStringify(state)) return [false, "a valid call of a write changed nothing"];
  return [true, "a valid call succeeded and its answer fits the output schema"];
}

/**
 * Sample records of the entity: values from each field's examples, enum or type; ids in the shape the tool's id
 * parameter asks for. The first record meets every precondition, the second breaks them where the field allows.
 */
function buildSampleState(tool: WorldTool, entity: Entity | undefined): JsonObject {
  if (!entity) return {};
  const idParameter = tool.effect.select.find((selector) => selector.field === "id")?.parameter;
  const idSchema = idParameter ? listSchemaProperties(tool.inputSchema).find(([name]) => name === idParameter)?.[1] : undefined;
  const records: JsonObject = {};
  for (let index = 0; index < SAMPLE_RECORDS; index++) {
    const fallbackId = `${entity.idPrefix}-${10001 + index}`;
    const sampled = idSchema ? sampleSchemaValue(idSchema, fallbackId, index) : fallbackId;
    const id = typeof sampled === "string" && sampled !== "" && !(sampled in records) ? sampled : fallbackId;
    const record: JsonObject = { id };
    for (const field of entity.fields) record[field.name] = sampleSchemaValue(field.schema, `sample ${field.name.replace(/_/g, " ")}`, index);
    for (const precondition of tool.effect.preconditions) {
      const allowed = readSchemaEnum(entity.fields.find((field) => field.name === precondition.field)?.schema ?? {}) ?? [];
      const outside = allowed.find((value) => !precondition.oneOf.some((candidate) => sameValue(candidate, value)));
      record[precondition.field] = index === 1 && outside !== undefined ? outside : (precondition.oneOf[0] as JsonValue);
    }
    records[id] = record;
  }
  return { [ENTITIES_KEY]: { [entity.name]: records } };
}

function readSample(state: JsonObject, entity: Entity, id: string): JsonObject {
  return ((state[ENTITIES_KEY] as JsonObject)[entity.name] as JsonObject)[id] as JsonObject;
}

function sampleRecordId(state: JsonObject, entity: Entity | undefined, index: number): string | undefined {
  if (!entity) return undefined;
  return Object.keys((state[ENTITIES_KEY] as JsonObject | undefined)?.[entity.name] as JsonObject | undefined ?? {})[index];
}

function violatesPreconditions(tool: WorldTool, state: JsonObject, entity: Entity, id: string): boolean {
  const sample = readSample(state, entity, id);
  return tool.effect.preconditions.some((precondition) => !precondition.oneOf.some((allowed) => sameValue(allowed, sample[precondition.field])));
}

/**
 * A call the input schema accepts that names the first sample record: selectors by id or field take its values,
 * assignments take a value other than the record's, other required parameters a sample of their schema.
 */
function buildValidArguments(tool: WorldTool, state: JsonObject, entity: Entity | undefined): JsonObject {
  const target = entity ? sampleRecordId(state, entity, 0) : undefined;
  const sample = entity && target !== undefined ? readSample(state, entity, target) : {};
  const required = new Set(listSchemaRequired(tool.inputSchema));
  const args: JsonObject = {};
  for (const [name, schema] of listSchemaProperties(tool.inputSchema)) {
    const selector = tool.effect.select.find((candidate) => candidate.parameter === name);
    const assignment = tool.effect.set.find((candidate) => candidate.parameter === name);
    if (selector && (selector.field === "id" || required.has(name))) args[name] = sample[selector.field] ?? sampleSchemaValue(schema, "sample");
    else if (assignment) args[name] = pickDifferent(schema, sample[assignment.field]);
    else if (required.has(name)) args[name] = sampleSchemaValue(schema, `sample ${name.replace(/_/g, " ")}`);
  }
  return args;
}

function pickDifferent(schema: JsonSchema, current: JsonValue | undefined): JsonValue {
  for (let variant = 1; variant < 6; variant++) {
    const value = sampleSchemaValue(schema, `new ${describe(current)}`, variant);
    if (!sameValue(value, current)) return value;
  }
  return sampleSchemaValue(schema, "changed");
}

/** An id the state does not hold that the id parameter's schema accepts. */
function pickUnknownId(tool: WorldTool, parameter: string, state: JsonObject, entity: Entity): string | undefined {
  const schema = listSchemaProperties(tool.inputSchema).find(([name]) => name === parameter)?.[1] ?? {};
  const held = new Set(Object.keys(((state[ENTITIES_KEY] as JsonObject)[entity.name] as JsonObject) ?? {}));
  for (let variant = SAMPLE_RECORDS; variant < SAMPLE_RECORDS + 20; variant++) {
    const candidate = sampleSchemaValue(schema, `${entity.idPrefix}-9${String(variant).padStart(4, "0")}`, variant);
    if (typeof candidate === "string" && !held.has(candidate) && validateJsonSchema(schema, candidate).valid) return candidate;
  }
  return undefined;
}

function describe(value: JsonValue | undefined): string {
  return typeof value === "string" ? value : JSON.stringify(value ?? null);
}

/** How many tools were audited, and the excluded ones per first failed check. */
export function tallyAudits(tools: ReadonlyArray<{ audit?: ToolAudit | undefined }>): { audited: number; excluded: Record<string, number> } {
  const tally = { audited: 0, excluded: {} as Record<string, number> };
  for (const { audit } of tools) {
    if (!audit) continue;
    tally.audited++;
    const failed = audit.checks.find((check) => !check.passed);
    if (failed) tally.excluded[failed.check] = (tally.excluded[failed.check] ?? 0) + 1;
  }
  return tally;
}

import type { JsonSchema } from "../domain/common.js";
import type { Entity } from "../domain/domain.js";
import type { ToolEffect } from "../domain/effect.js";
import { listSchemaProperties, readSchemaType } from "./schema-reading.js";
import { validateJsonSchema } from "../support/json-schema.js";
import { readFormulaNames } from "./formula.js";

/*
 * Whether a declared effect fits its tool and its domain: the entity is one of the domain's, the fields it reads
 * and writes are the entity's, the parameters it uses are the tool's, a transition moves to a value the field
 * allows, a formula parses and reads numeric parameters only. Each problem is a sentence with its path.
 */

export function checkEffect(effect: ToolEffect, tool: { inputSchema: JsonSchema }, entities: readonly Entity[]): string[] {
  const problems: string[] = [];
  const parameters = new Map(listSchemaProperties(tool.inputSchema));
  const parameterProblem = (path: string, parameter: string): void => {
    if (!parameters.has(parameter)) problems.push(`${path}: "${parameter}" is not a parameter of the tool (its parameters: ${[...parameters.keys()].join(", ") || "none"})`);
  };
  if (effect.compute?.kind === "formula") {
    const names = readFormulaNames(effect.compute.expression);
    if (!names.ok) problems.push(`effect.compute.expression: ${names.problem}`);
    else {
      for (const name of names.names) {
        parameterProblem("effect.compute.expression", name);
        const type = readSchemaType(parameters.get(name) ?? {});
        if (parameters.has(name) && type !== "number" && type !== "integer") problems.push(`effect.compute.expression: "${name}" is not a numeric parameter`);
      }
    }
    return problems;
  }
  const entity = entities.find((candidate) => candidate.name === effect.entity);
  if (!entity) {
    problems.push(`effect.entity: "${effect.entity}" is not an entity of the domain (its entities: ${entities.map((candidate) => candidate.name).join(", ")})`);
    return problems;
  }
  const fields = new Map(entity.fields.map((field) => [field.name, field]));
  const fieldProblem = (path: string, field: string, allowId: boolean): boolean => {
    if ((allowId && field === "id") || fields.has(field)) return false;
    problems.push(`${path}: "${field}" is not a field of ${entity.name} (its fields: ${["id", ...fields.keys()].join(", ")})`);
    return true;
  };
  effect.select.forEach((selector, index) => {
    parameterProblem(`effect.select[${index}].parameter`, selector.parameter);
    fieldProblem(`effect.select[${index}].field`, selector.field, true);
  });
  effect.set.forEach((assignment, index) => {
    parameterProblem(`effect.set[${index}].parameter`, assignment.parameter);
    if (assignment.field === "id") problems.push(`effect.set[${index}].field: a record's id is never set by a parameter`);
    else fieldProblem(`effect.set[${index}].field`, assignment.field, false);
  });
  if (effect.transition && !fieldProblem("effect.transition.field", effect.transition.field, false)) {
    const schema = fields.get(effect.transition.field)?.schema ?? {};
    const check = validateJsonSchema(schema, effect.transition.to);
    if (!check.valid) problems.push(`effect.transition.to: ${JSON.stringify(effect.transition.to)} is not a value ${entity.name}.${effect.transition.field} allows (${check.errors.join("; ")})`);
  }
  effect.preconditions.forEach((precondition, index) => {
    if (fieldProblem(`effect.preconditions[${index}].field`, precondition.field, false)) return;
    const schema = fields.get(precondition.field)?.schema ?? {};
    const wrong = precondition.oneOf.filter((value) => !validateJsonSchema(schema, value).valid);
    if (wrong.length) problems.push(`effect.preconditions[${index}].oneOf: ${wrong.map((value) => JSON.stringify(value)).join(", ")} not allowed by ${entity.name}.${precondition.field}`);
  });
  const targets = effect.operation === "get" || effect.operation === "update" || effect.operation === "transition" || effect.operation === "delete";
  if (targets && effect.select.length === 0) problems.push(`effect.select: a ${effect.operation} names the record it works on (a parameter selecting by id)`);
  if (effect.operation === "update" && effect.set.length === 0 && !effect.transition) problems.push("effect.set: an update sets at least one field");
  if (effect.operation === "compute" && effect.compute?.kind === "sum" && !fieldProblem("effect.compute.field", effect.compute.field, false)) {
    const type = readSchemaType(fields.get(effect.compute.field)?.schema ?? {});
    if (type !== "number" && type !== "integer") problems.push(`effect.compute.field: ${entity.name}.${effect.compute.field} is not numeric`);
  }
  const codes = effect.errors.map((error) => error.code);
  const repeated = codes.filter((code, index) => codes.indexOf(code) !== index);
  if (repeated.length) problems.push(`effect.errors: the codes ${[...new Set(repeated)].join(", ")} are declared more than once`);
  return problems;
}

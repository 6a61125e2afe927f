import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const compiled = new WeakMap<object, ValidateFunction>();

export interface SchemaCheck {
  valid: boolean;
  errors: string[];
}

/** Compile a JSON Schema; throws with the reason when the schema itself is broken. */
export function compileJsonSchema(schema: Record<string, unknown>): ValidateFunction {
  const hit = compiled.get(schema);
  if (hit) return hit;
  const { $schema: _ignored, ...rest } = schema;
  const validate = ajv.compile(rest);
  compiled.set(schema, validate);
  return validate;
}

/** Check a value against a JSON Schema; a broken schema is reported as an error, not thrown. */
export function validateJsonSchema(schema: Record<string, unknown>, value: unknown): SchemaCheck {
  let validate: ValidateFunction;
  try {
    validate = compileJsonSchema(schema);
  } catch (error) {
    return { valid: false, errors: [`the schema itself is invalid: ${(error as Error).message}`] };
  }
  const valid = validate(value);
  return { valid: Boolean(valid), errors: valid ? [] : formatAjvErrors(validate.errors ?? []) };
}

function formatAjvErrors(errors: ErrorObject[]): string[] {
  return errors.map((e) => `${e.instancePath || "(root)"}: ${e.message ?? "invalid"}${e.params && "allowedValues" in e.params ? ` (${(e.params.allowedValues as unknown[]).join(", ")})` : ""}`);
}

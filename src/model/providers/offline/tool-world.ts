import type { JsonObject, JsonSchema, JsonValue } from "../../../domain/common.js";
import type { ToolCallRecord, ToolSimulationContext, ToolSimulationOutput } from "../../request-context.js";
import { hashValue, seedFrom } from "../../../support/hash.js";
import { validateJsonSchema } from "../../../support/json-schema.js";
import { createRandom, type Random } from "../../../support/random.js";
import { asObject, conformToSchema, generateSchemaValue, listSchemaProperties, readSchemaType } from "./schema-values.js";
import { analyzeTool, type ToolAnatomy } from "./tool-anatomy.js";
import { actOnRecord, createRecord, readRecord, removeRecord, searchRecords, updateRecord, type Outcome, type Payload } from "./world-operations.js";
import { resolveCollection, type Collection } from "./world-records.js";

/*
 * The tool simulator: a world model over the episode's state. The operation comes from the tool's spec;
 * reads answer from the state (not_found when the id is absent), writes return the changed record and
 * the state operations that make the change stick. Tools that no entity stands behind, and pure functions
 * (no id parameter), get a plausible answer derived from their arguments, the same one every time the same
 * arguments come back. It plays the LLM tool simulator for tools without a declared effect.
 */

export function simulateTool(context: ToolSimulationContext, random: Random): ToolSimulationOutput {
  const recorded = findRecordedAnswer(context);
  if (recorded) return { result: recorded.result, isError: isErrorResult(recorded.result), stateUpdate: [] };
  const anatomy = analyzeTool(context.tool);
  const collection = resolveCollection(context.state, anatomy, context.arguments, context.domain);
  // Reading or changing one record needs its id; a tool without an id parameter is a function of its arguments.
  const namesNoRecord = anatomy.operation !== "search" && anatomy.operation !== "create" && !anatomy.idParam;
  if (!collection || namesNoRecord) return simulateUnknownTool(context, anatomy);
  const outcome = runOperation(anatomy, context.arguments, collection, random);
  if (outcome.payload.kind === "error") {
    return { result: { error: outcome.payload.error, message: outcome.payload.message }, isError: true, stateUpdate: [] };
  }
  return { result: shapeResult(outcome.payload, context.tool.outputSchema, random), isError: false, stateUpdate: outcome.stateUpdate };
}

function runOperation(anatomy: ToolAnatomy, args: JsonObject, collection: Collection, random: Random): Outcome {
  switch (anatomy.operation) {
    case "read":
      return readRecord(anatomy, args, collection);
    case "search":
      return searchRecords(args, collection);
    case "create":
      return createRecord(args, collection, random, anatomy.recordSchema);
    case "update":
      return updateRecord(anatomy, args, collection);
    case "delete":
      return removeRecord(anatomy, args, collection);
    case "action":
      return actOnRecord(anatomy, args, collection);
  }
}

function isErrorResult(result: JsonValue): boolean {
  return asObject(result)?.error !== undefined;
}

/** Put the payload in the shape the output schema asks for, then make it fit. */
function shapeResult(payload: Exclude<Payload, { kind: "error" }>, outputSchema: JsonSchema | undefined, random: Random): JsonValue {
  const raw = buildRawResult(payload, outputSchema);
  if (!outputSchema) return raw;
  const fitted = conformToSchema(raw, outputSchema, random);
  return validateJsonSchema(outputSchema, fitted).valid ? fitted : conformToSchema(generateSchemaValue(outputSchema, random), outputSchema, random);
}

function buildRawResult(payload: Exclude<Payload, { kind: "error" }>, outputSchema: JsonSchema | undefined): JsonValue {
  const properties = outputSchema ? listSchemaProperties(outputSchema) : [];
  if (payload.kind === "deleted") return { id: payload.id, deleted: true };
  if (payload.kind === "list") {
    const listName = properties.find(([, schema]) => readSchemaType(schema) === "array")?.[0] ?? "results";
    const totalName = properties.find(([name, schema]) => /^(total|count|total_count)$/.test(name) && readSchemaType(schema) !== "array")?.[0];
    if (outputSchema && !properties.some(([, schema]) => readSchemaType(schema) === "array")) return { [totalName ?? "total"]: payload.records.length };
    return { [listName]: payload.records, [totalName ?? "total"]: payload.records.length };
  }
  if (!outputSchema || properties.some(([name]) => name === "id") || properties.length === 0) return payload.record;
  const wrapper = properties.find(([, schema]) => readSchemaType(schema) === "object" && listSchemaProperties(schema).some(([name]) => name === "id"));
  return wrapper ? { [wrapper[0]]: payload.record } : payload.record;
}

/**
 * A tool no entity stands behind (e.g. an imported real tool): an answer generated from its output
 * schema, seeded by the tool and the arguments only, with argument values copied into same-named fields.
 */
function simulateUnknownTool(context: ToolSimulationContext, anatomy: ToolAnatomy): ToolSimulationOutput {
  const previous = [...context.history].reverse().find((record) => record.tool === context.tool.name && hashValue(record.arguments) === hashValue(context.arguments));
  if (previous) return { result: previous.result, isError: isErrorResult(previous.result), stateUpdate: [] };
  const random = createRandom(seedFrom("unknown-tool", context.tool.name, context.arguments));
  const outputSchema = context.tool.outputSchema;
  const example = asObject(context.examples?.find((record) => record.tool === context.tool.name && !isErrorResult(record.result))?.result);
  if (!outputSchema && example) return { result: { ...example, ...pickArgumentsNamedIn(context.arguments, example) }, isError: false, stateUpdate: [] };
  if (!outputSchema) return { result: buildDefaultResult(context, anatomy), isError: false, stateUpdate: [] };
  const generated = asObject(generateSchemaValue(outputSchema, random));
  const merged: JsonValue = generated ? { ...generated, ...pickSharedArguments(context.arguments, outputSchema) } : generateSchemaValue(outputSchema, random);
  return { result: conformToSchema(merged, outputSchema, random), isError: false, stateUpdate: [] };
}

/** A recorded real call of this tool with the same arguments: the real answer is the best answer. */
function findRecordedAnswer(context: ToolSimulationContext): ToolCallRecord | undefined {
  const key = hashValue(context.arguments);
  return context.examples?.find((record) => record.tool === context.tool.name && hashValue(record.arguments) === key);
}

/** Arguments whose names the recorded answer has, to answer in its shape with this call's values. */
function pickArgumentsNamedIn(args: JsonObject, example: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(args).filter(([key, value]) => key in example && typeof value === typeof example[key]));
}

function pickSharedArguments(args: JsonObject, outputSchema: JsonSchema): JsonObject {
  const properties = new Map(listSchemaProperties(outputSchema));
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(args)) {
    const property = properties.get(key);
    if (property && validateJsonSchema(property, value).valid) out[key] = value;
  }
  return out;
}

function buildDefaultResult(context: ToolSimulationContext, anatomy: ToolAnatomy): JsonObject {
  const summary = Object.entries(context.arguments)
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(", ");
  const done = anatomy.readOnly ? "looked up" : "processed";
  return { status: "ok", ...context.arguments, message: `Request ${done}${summary ? ` for ${summary}` : ""}.` };
}

import type { JsonObject } from "../domain/common.js";
import type { ToolCall } from "../domain/message.js";

/** A call's arguments as an object; formats that store objects cannot carry anything else. */
export function parseArgumentsObject(call: ToolCall): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(call.function.arguments);
  } catch {
    throw new Error(`the arguments of call ${call.id} (${call.function.name}) are not JSON, so they cannot be exported as an object; filter with requirePass to drop such episodes`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`the arguments of call ${call.id} (${call.function.name}) are not a JSON object, so they cannot be exported as one`);
  }
  return parsed as JsonObject;
}

import type { JsonObject, JsonValue } from "./common.js";
import type { StateOperation } from "./episode.js";

/** Apply state operations to a copy of the state; returns the new state and the operations that applied. */
export function applyStateOperations(state: JsonObject, operations: readonly StateOperation[]): { state: JsonObject; applied: StateOperation[] } {
  const next = structuredClone(state);
  const applied: StateOperation[] = [];
  for (const operation of operations) {
    if (operation.op === "set" ? setAtPath(next, operation.path, operation.value) : deleteAtPath(next, operation.path)) applied.push(operation);
  }
  return { state: next, applied };
}

function setAtPath(root: JsonObject, path: readonly string[], value: JsonValue): boolean {
  let node: JsonObject = root;
  for (const key of path.slice(0, -1)) {
    const child = node[key];
    if (child === undefined || child === null || typeof child !== "object" || Array.isArray(child)) node[key] = {};
    node = node[key] as JsonObject;
  }
  const last = path[path.length - 1];
  if (last === undefined) return false;
  node[last] = structuredClone(value);
  return true;
}

function deleteAtPath(root: JsonObject, path: readonly string[]): boolean {
  let node: JsonValue | undefined = root;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return false;
    node = (node as JsonObject)[key];
  }
  const last = path[path.length - 1];
  if (last === undefined || node === null || typeof node !== "object" || Array.isArray(node) || !(last in node)) return false;
  delete (node as JsonObject)[last];
  return true;
}

/** Read a dot path (`entities.order.ORD-1.status`); undefined when absent. */
export function readPath(state: JsonValue, path: string): JsonValue | undefined {
  let node: JsonValue | undefined = state;
  for (const key of path.split(".")) {
    if (node === null || node === undefined || typeof node !== "object") return undefined;
    node = Array.isArray(node) ? node[Number(key)] : (node as JsonObject)[key];
  }
  return node;
}

/**
 * The world state after the step at `throughIndex` (inclusive; after the last step when omitted), rebuilt
 * from the initial state and the state diffs the steps recorded.
 */
export function rebuildWorldState(
  initial: JsonObject,
  steps: ReadonlyArray<{ index: number; tool?: { stateDiff: readonly StateOperation[] } | undefined }>,
  throughIndex = Number.POSITIVE_INFINITY,
): JsonObject {
  let state = structuredClone(initial);
  for (const step of steps) {
    if (step.index > throughIndex) break;
    if (step.tool && step.tool.stateDiff.length > 0) state = applyStateOperations(state, step.tool.stateDiff).state;
  }
  return state;
}

import type { JsonObject, JsonValue } from "../domain/common.js";
import type { StateOperation } from "../domain/episode.js";
import { isObject } from "../support/is-object.js";

/*
 * The world-state rules a simulated tool answer must keep, checked against the episode's state (records
 * live at `entities.<collection>.<id>`): ids a tool creates are new, what exists is found, what was deleted in
 * this episode is gone, and an id the state does not hold is not found (unless the call creates it). Each broken rule comes back as a sentence the tool simulator is shown
 * on its retry.
 */

export interface ConsistencyInput {
  args: JsonObject;
  state: JsonObject;
  result: JsonValue;
  isError: boolean;
  stateUpdate: readonly StateOperation[];
  /** Ids of records deleted earlier in the episode (and not created again). */
  deletedIds: ReadonlySet<string>;
}

const ID_VALUE = /^[A-Z]{2,5}-\d{3,}$/;
const ID_KEY = /(^id$|_id$|Id$)/;
const NOT_FOUND_CODE = /not.?found|no.?such|does.?not.?exist|unknown.?(id|record)/i;
const NOT_FOUND_TEXT = /not found|does not exist|doesn't exist|no .{1,40} with (the )?id|could not find|couldn't find/i;

/** The problems of an answer; empty when it keeps every rule. */
export function checkWorldConsistency(input: ConsistencyInput): string[] {
  const problems: string[] = [];
  const argumentIds = collectArgumentIds(input.args);
  const mentioned = new Set(collectStrings(input.args));
  for (const operation of input.stateUpdate) {
    const [root, collection, id] = operation.path;
    if (operation.op !== "set" || operation.path.length !== 3 || root !== "entities" || collection === undefined || id === undefined) continue;
    if (mentioned.has(id)) continue;
    if (findRecord(input.state, id, collection) !== undefined) {
      problems.push(`it creates ${collection} ${id}, but a record with that id already exists; give a new record an id that is not in the state yet`);
    } else if (input.deletedIds.has(id)) {
      problems.push(`it creates ${collection} ${id}, but that id belonged to a record deleted earlier in this episode; ids are never reused`);
    }
  }
  if (input.isError && isNotFound(input.result) && argumentIds.length > 0 && argumentIds.every((id) => findRecord(input.state, id) !== undefined)) {
    problems.push(`it answers not found, but ${argumentIds.join(" and ")} exist${argumentIds.length === 1 ? "s" : ""} in the current state; a record that exists must be found`);
  }
  if (!input.isError) {
    const recreated = new Set(input.stateUpdate.flatMap((operation) => (operation.op === "set" && operation.path[0] === "entities" && operation.path[2] !== undefined ? [operation.path[2]] : [])));
    const returned = new Set(collectStrings(input.result));
    for (const [key, id] of collectArgumentIdEntries(input.args)) {
      if (findRecord(input.state, id) !== undefined || recreated.has(id)) continue;
      if (input.deletedIds.has(id) && returned.has(id)) {
        problems.push(`${id} was deleted earlier in this episode, so it cannot be returned; a call on it must fail with a not_found error`);
      } else if (!input.deletedIds.has(id) && isModelledId(input.state, key, id)) {
        problems.push(`it answers a success for ${id}, which is not in the state and was not created by this call; an id that is not in the state is not found`);
      }
    }
  }
  return problems;
}

/**
 * Whether the state keeps the records an id would be one of: a collection holds ids with its prefix (`ORD-…`), or
 * the argument is named after a collection (`order_id` and `entities.order`). An id the state has no place for
 * (a stateless tool's reference) cannot be judged absent.
 */
function isModelledId(state: JsonObject, key: string, id: string): boolean {
  const entities = state.entities;
  if (!isObject(entities)) return false;
  const prefix = /^([A-Z]{2,5})-/.exec(id)?.[1];
  const collection = key.replace(/(_id|Id)$/, "");
  return Object.entries(entities).some(([name, records]) => isObject(records) && (name === collection || (prefix !== undefined && Object.keys(records).some((other) => other.startsWith(`${prefix}-`)))));
}

/** Ids an answer's state update deletes (`entities.<collection>.<id>`) and creates, to keep the episode's tombstones. */
export function trackDeletedIds(deletedIds: Set<string>, operations: readonly StateOperation[]): void {
  for (const operation of operations) {
    const [root, , id] = operation.path;
    if (root !== "entities" || operation.path.length !== 3 || id === undefined) continue;
    if (operation.op === "delete") deletedIds.add(id);
    else deletedIds.delete(id);
  }
}

/** Argument values that name a record: values of id-named keys, and strings shaped like `ABC-1234`. */
function collectArgumentIds(args: JsonObject): string[] {
  return [...new Set(collectArgumentIdEntries(args).map(([, id]) => id))];
}

/** The arguments that name a record, as `[parameter, id]`. */
function collectArgumentIdEntries(args: JsonObject): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(args)) {
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) if (typeof item === "string" && item !== "" && (ID_KEY.test(key) || ID_VALUE.test(item))) entries.push([key, item]);
  }
  return entries;
}

function collectStrings(value: JsonValue): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(collectStrings);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(collectStrings);
  return [];
}

/** The record with this id in any collection of the state (or in `collection` only). */
function findRecord(state: JsonObject, id: string, collection?: string): JsonValue | undefined {
  const entities = state.entities;
  if (!isObject(entities)) return undefined;
  const names = collection === undefined ? Object.keys(entities) : [collection];
  for (const name of names) {
    const records = entities[name];
    if (isObject(records) && Object.hasOwn(records, id)) return records[id];
  }
  return undefined;
}

function isNotFound(result: JsonValue): boolean {
  if (result === null || typeof result !== "object" || Array.isArray(result)) return typeof result === "string" && NOT_FOUND_TEXT.test(result);
  const code = result.error ?? result.code;
  const message = result.message;
  return result.status === 404 || (typeof code === "string" && NOT_FOUND_CODE.test(code)) || (typeof message === "string" && NOT_FOUND_TEXT.test(message));
}

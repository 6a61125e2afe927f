import type { JsonObject, JsonValue } from "../domain/common.js";
import type { StateOperation } from "../domain/episode.js";
import { isObject } from "../support/is-object.js";

/*
 * The world-state rules a simulated tool answer must keep, checked against the episode's state (records
 * live at `entities.<collection>.<id>`): ids a tool creates are new, what exists is found, and what was
 * deleted in this episode is gone. Each broken rule comes back as a sentence the tool simulator is shown
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
    for (const id of argumentIds) {
      if (input.deletedIds.has(id) && returned.has(id) && findRecord(input.state, id) === undefined && !recreated.has(id)) {
        problems.push(`${id} was deleted earlier in this episode, so it cannot be returned; a call on it must fail with a not_found error`);
      }
    }
  }
  return problems;
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
  const ids = new Set<string>();
  for (const [key, value] of Object.entries(args)) {
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) if (typeof item === "string" && item !== "" && (ID_KEY.test(key) || ID_VALUE.test(item))) ids.add(item);
  }
  return [...ids];
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

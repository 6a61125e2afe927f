import type { JsonObject, JsonValue } from "../domain/common.js";
import type { StateOperation } from "../domain/episode.js";
import { isObject } from "../support/is-object.js";

/*
 * The world state's layout: `{ "entities": { "<entity name>": { "<id>": { "id": "<id>", ...fields } } } }`.
 * Reading a collection of records, and the state operations that write one record.
 */

export const ENTITIES_KEY = "entities";

/** The collections of the state by entity name (absent or malformed parts read as empty). */
export function readEntities(state: JsonObject): JsonObject {
  const entities = state[ENTITIES_KEY];
  return isObject(entities) ? entities : {};
}

/** The records of one entity by id, in the state's order. */
export function readCollection(state: JsonObject, entityName: string): Map<string, JsonObject> {
  return readRecords(readEntities(state)[entityName]);
}

/** The records of a collection value by id (entries that are not objects are skipped). */
export function readRecords(value: JsonValue | undefined): Map<string, JsonObject> {
  const records = new Map<string, JsonObject>();
  if (!isObject(value)) return records;
  for (const [id, record] of Object.entries(value)) if (isObject(record)) records.set(id, record);
  return records;
}

/** The record with this id in any collection of the state (or in `entityName` only). */
export function findRecord(state: JsonObject, id: string, entityName?: string): JsonObject | undefined {
  const entities = readEntities(state);
  const names = entityName === undefined ? Object.keys(entities) : [entityName];
  for (const name of names) {
    const record = readRecords(entities[name]).get(id);
    if (record) return record;
  }
  return undefined;
}

export function setRecordOperation(entityName: string, record: JsonObject): StateOperation {
  return { op: "set", path: [ENTITIES_KEY, entityName, String(record.id)], value: record };
}

export function deleteRecordOperation(entityName: string, id: string): StateOperation {
  return { op: "delete", path: [ENTITIES_KEY, entityName, id] };
}

/** Every record of the state as `[entity, id, record]`, in the state's order. */
export function listRecords(state: JsonObject): Array<[string, string, JsonObject]> {
  return Object.entries(readEntities(state)).flatMap(([entity, value]) => [...readRecords(value)].map(([id, record]): [string, string, JsonObject] => [entity, id, record]));
}

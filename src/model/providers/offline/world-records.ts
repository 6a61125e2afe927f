import type { JsonObject } from "../../../domain/common.js";
import { deleteRecordOperation, readEntities, readRecords, setRecordOperation } from "../../../world/entity-state.js";
import type { StateOperation } from "../../../domain/episode.js";
import type { DomainSpec, Entity } from "../../../domain/domain.js";
import { asObject } from "./schema-values.js";
import { matchDomainEntity } from "./entity-records.js";
import { singularize, pluralize } from "./text.js";
import type { ToolAnatomy } from "./tool-anatomy.js";

/*
 * The world state's layout: `{ "entities": { "<entity>": { "<id>": { "id": "<id>", ...fields } } } }`.
 * Finding the collection a tool works on, and the state operations that change it.
 */

export interface Collection {
  name: string;
  records: Map<string, JsonObject>;
  entity?: Entity | undefined;
  prefix?: string | undefined;
}

/**
 * The collection a tool reads or writes: the domain entity's or the tool's entity name when the state
 * has it; else the collection holding the id the call names or ids with the tool's prefix; else a new,
 * empty collection when the tool's entity is known. Undefined when nothing ties the tool to an entity.
 */
export function resolveCollection(state: JsonObject, anatomy: ToolAnatomy, args: JsonObject, domain: DomainSpec | undefined): Collection | undefined {
  const entities = readEntities(state);
  const entity = matchDomainEntity(domain, anatomy);
  const prefix = entity?.idPrefix ?? anatomy.idPrefix;
  const names = [entity?.name, anatomy.entityName, singularize(anatomy.entityName), pluralize(anatomy.entityName)].filter((name): name is string => Boolean(name));
  const byName = names.find((name) => asObject(entities[name]));
  if (byName) return { name: byName, records: readRecords(entities[byName]), entity, prefix };
  const idValue = anatomy.idParam ? args[anatomy.idParam.name] : undefined;
  for (const [name, value] of Object.entries(entities)) {
    const records = readRecords(value);
    const ids = [...records.keys()];
    if ((typeof idValue === "string" && records.has(idValue)) || (prefix && ids.some((id) => id.startsWith(`${prefix}-`)))) return { name, records, entity, prefix };
  }
  if (entity || anatomy.idPrefix || anatomy.recordSchema) return { name: entity?.name ?? anatomy.entityName, records: new Map(), entity, prefix };
  return undefined;
}

export function setRecord(collection: Collection, record: JsonObject): StateOperation {
  return setRecordOperation(collection.name, record);
}

export function deleteRecord(collection: Collection, id: string): StateOperation {
  return deleteRecordOperation(collection.name, id);
}

/** A new id with the collection's prefix (or one derived from its name) not present anywhere in it. */
export function pickPrefix(collection: Collection): string {
  if (collection.prefix) return collection.prefix;
  const existing = [...collection.records.keys()].map((id) => /^([A-Z]{2,5})-/.exec(id)?.[1]).find((prefix) => prefix);
  return existing ?? (collection.name.replace(/[^a-z]/g, "").slice(0, 3).toUpperCase().padEnd(2, "X") || "REC");
}

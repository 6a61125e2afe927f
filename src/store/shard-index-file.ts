import { readFile } from "node:fs/promises";
import { SCHEMA_VERSION } from "../domain/common.js";
import { isObject } from "../support/is-object.js";
import { replaceFileDurably } from "./durable-file.js";
import type { StoreFileSystem } from "./file-system.js";

/** The `format` of a shard's index file. */
export const SHARD_INDEX_FORMAT = "agentsynth-store-index";

/** Where one record sits in its shard, and the facts about it the store keeps in memory. */
export interface IndexedRecord<F> {
  id: string;
  /** Byte offset of its line. */
  offset: number;
  /** Bytes of its line, without the newline. */
  length: number;
  facts: F;
}

/**
 * What a finished (sealed) shard's index file holds: every record's id, place and facts, and the shard's size
 * when it was written, so a cold start reads these small files instead of every record. It is derived data:
 * one that is missing, unreadable, of another facts version or of another size than its shard is ignored
 * and the shard is read instead.
 */
interface ShardIndexFile<F> {
  format: typeof SHARD_INDEX_FORMAT;
  collection: string;
  schemaVersion: number;
  factsVersion: number;
  shard: number;
  /** The shard file's size in bytes. */
  size: number;
  /** The distinct facts of the shard's records (most records share theirs with many others). */
  facts: F[];
  /** [id, offset, length, position of its facts in `facts`] per record, in file order. */
  records: Array<[string, number, number, number]>;
}

export interface ShardIndexTarget {
  file: string;
  collection: string;
  factsVersion: number;
  shard: number;
}

export async function writeShardIndex<F>(fileSystem: StoreFileSystem, target: ShardIndexTarget, size: number, records: readonly IndexedRecord<F>[]): Promise<void> {
  const positions = new Map<string, number>();
  const facts: F[] = [];
  const rows = records.map((record): [string, number, number, number] => {
    const key = JSON.stringify(record.facts);
    let position = positions.get(key);
    if (position === undefined) {
      position = facts.push(record.facts) - 1;
      positions.set(key, position);
    }
    return [record.id, record.offset, record.length, position];
  });
  const content: ShardIndexFile<F> = {
    format: SHARD_INDEX_FORMAT,
    collection: target.collection,
    schemaVersion: SCHEMA_VERSION,
    factsVersion: target.factsVersion,
    shard: target.shard,
    size,
    facts,
    records: rows,
  };
  await replaceFileDurably(fileSystem, target.file, JSON.stringify(content));
}

/** The records of a shard's index file, or undefined when it cannot be used for a shard of `size` bytes. */
export async function readShardIndex<F>(target: ShardIndexTarget, size: number): Promise<IndexedRecord<F>[] | undefined> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(target.file, "utf8"));
  } catch {
    return undefined;
  }
  if (
    !isObject(data) ||
    data.format !== SHARD_INDEX_FORMAT ||
    data.collection !== target.collection ||
    data.schemaVersion !== SCHEMA_VERSION ||
    data.factsVersion !== target.factsVersion ||
    data.shard !== target.shard ||
    data.size !== size ||
    !Array.isArray(data.facts) ||
    !Array.isArray(data.records)
  ) {
    return undefined;
  }
  const facts = data.facts as F[];
  const records: IndexedRecord<F>[] = [];
  for (const entry of data.records as unknown[]) {
    if (!Array.isArray(entry) || typeof entry[0] !== "string" || typeof entry[1] !== "number" || typeof entry[2] !== "number" || typeof entry[3] !== "number" || facts[entry[3]] === undefined) return undefined;
    records.push({ id: entry[0], offset: entry[1], length: entry[2], facts: facts[entry[3]] as F });
  }
  return records;
}

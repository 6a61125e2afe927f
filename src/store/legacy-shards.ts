import { errorCode } from "../errors/describe-error.js";
import type { ShardedCollectionSpec } from "./collections.js";
import { publishFileDurably } from "./durable-file.js";
import type { StoreFileSystem } from "./file-system.js";
import { identifyThisProcess } from "./lock-holder.js";
import { legacyShardFileName, listShardDirectory, shardFileName, shardIndexFileName, type ShardDirectoryListing } from "./shard-files.js";
import { createShardHeader } from "./shard-format.js";
import { writeShardIndex, type IndexedRecord } from "./shard-index-file.js";
import { readStoreFile } from "./store-file.js";
import type { StoredRecord } from "./types.js";

export interface ShardDirectory<T, F> {
  directory: string;
  spec: ShardedCollectionSpec<T, F>;
  fileSystem: StoreFileSystem;
}

/**
 * What a shard directory holds, after turning every shard of the first layout (`shard-000001.json`, one JSON
 * document rewritten on each append) into an append-only shard of the same number with its index file, then
 * removing it. The new shard is published with link(), which never replaces, so when two processes migrate at
 * once one wins and the other just removes the old file. A corrupt old shard is reported (StoreCorruptError)
 * and left as it is.
 */
export async function listMigratedShardDirectory<T extends StoredRecord, F>(shards: ShardDirectory<T, F>): Promise<ShardDirectoryListing> {
  const listing = await listShardDirectory(shards.directory);
  if (listing.legacy.length === 0) return listing;
  for (const shard of listing.legacy) await migrateLegacyShard(shards, shard);
  return listShardDirectory(shards.directory);
}

async function migrateLegacyShard<T extends StoredRecord, F>({ directory, spec, fileSystem }: ShardDirectory<T, F>, shard: number): Promise<void> {
  const legacyFile = legacyShardFileName(directory, shard);
  const records = await readStoreFile(legacyFile, spec);
  if (records === undefined) return; // another process has just migrated it
  const { line } = createShardHeader(spec.name, identifyThisProcess());
  const parts = [line];
  const indexed: IndexedRecord<F>[] = [];
  let offset = Buffer.byteLength(line);
  for (const record of records) {
    const text = JSON.stringify(record);
    const length = Buffer.byteLength(text);
    indexed.push({ id: record.id, offset, length, facts: spec.facts(record) });
    parts.push(`${text}\n`);
    offset += length + 1;
  }
  try {
    await publishFileDurably(fileSystem, shardFileName(directory, shard), parts.join(""));
    await writeShardIndex(fileSystem, { file: shardIndexFileName(directory, shard), collection: spec.name, factsVersion: spec.factsVersion, shard }, offset, indexed);
  } catch (error) {
    if (errorCode(error) !== "EEXIST") throw error;
  }
  await fileSystem.unlink(legacyFile).catch((error: unknown) => {
    if (errorCode(error) !== "ENOENT") throw error;
  });
}

import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { errorCode } from "../errors/describe-error.js";

/** An append-only shard: a header line, then one record a line. */
const SHARD_FILE_PATTERN = /^shard-(\d+)\.jsonl$/;
/** The facts index its writer leaves beside a shard it has finished (sealed). */
const INDEX_FILE_PATTERN = /^shard-(\d+)\.index\.json$/;
/** A shard of the first layout: one JSON document rewritten on every append; migrated when found. */
const LEGACY_SHARD_FILE_PATTERN = /^shard-(\d+)\.json$/;

/** `shard-000001.jsonl`; wider numbers simply grow (shard-1000000.jsonl) and still sort numerically. */
export function shardFileName(directory: string, shard: number): string {
  return join(directory, `shard-${padShardNumber(shard)}.jsonl`);
}

export function shardIndexFileName(directory: string, shard: number): string {
  return join(directory, `shard-${padShardNumber(shard)}.index.json`);
}

export function legacyShardFileName(directory: string, shard: number): string {
  return join(directory, `shard-${padShardNumber(shard)}.json`);
}

function padShardNumber(shard: number): string {
  return String(shard).padStart(6, "0");
}

export interface ShardDirectoryListing {
  /** Shard numbers, ascending. */
  shards: number[];
  /** Shards whose index file is there. */
  indexed: Set<number>;
  /** Shards of the first layout, ascending. */
  legacy: number[];
}

/**
 * What a shard directory holds. Anything else there (a temporary file left by a crash mid-write, a README)
 * is ignored.
 */
export async function listShardDirectory(directory: string): Promise<ShardDirectoryListing> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return { shards: [], indexed: new Set(), legacy: [] };
    throw error;
  }
  const listing: ShardDirectoryListing = { shards: [], indexed: new Set(), legacy: [] };
  for (const name of names) {
    const shard = SHARD_FILE_PATTERN.exec(name)?.[1];
    const index = INDEX_FILE_PATTERN.exec(name)?.[1];
    const legacy = LEGACY_SHARD_FILE_PATTERN.exec(name)?.[1];
    if (shard !== undefined) listing.shards.push(Number(shard));
    else if (index !== undefined) listing.indexed.add(Number(index));
    else if (legacy !== undefined) listing.legacy.push(Number(legacy));
  }
  listing.shards.sort((a, b) => a - b);
  listing.legacy.sort((a, b) => a - b);
  return listing;
}

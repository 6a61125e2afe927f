import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { errorCode } from "../errors/describe-error.js";

/** `shard-000001.json`; wider numbers simply grow (shard-1000000.json) and still sort numerically. */
const SHARD_FILE_PATTERN = /^shard-(\d+)\.json$/;

export function shardFileName(directory: string, shard: number): string {
  return join(directory, `shard-${String(shard).padStart(6, "0")}.json`);
}

/**
 * Shard numbers present in a directory, ascending. Anything else there (lowdb's `.shard-….json.tmp`
 * left by a crash mid-write, a README) is ignored.
 */
export async function listShards(directory: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return [];
    throw error;
  }
  const shards: number[] = [];
  for (const name of names) {
    const match = SHARD_FILE_PATTERN.exec(name);
    if (match?.[1] !== undefined) shards.push(Number(match[1]));
  }
  return shards.sort((a, b) => a - b);
}

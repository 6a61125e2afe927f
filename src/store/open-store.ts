import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { InputError } from "../errors/input-error.js";
import { LowdbCatalog } from "./catalog.js";
import { COLLECTIONS } from "./collections.js";
import { acquireDataDirLock } from "./lock.js";
import { LowdbShardedCollection } from "./sharded-collection.js";
import type { CollectionSpec } from "./store-file.js";
import { StoreGuard } from "./store-guard.js";
import type { OpenStoreOptions, Store, StoredRecord } from "./types.js";

/** Records per episode/judgment shard: ~1 MB of 5 KB episodes, so an append rewrites about that much. */
export const DEFAULT_SHARD_SIZE = 200;

/**
 * Opens (creating it if needed) the store in one data directory and locks the directory for this
 * process. Layout: one file per catalog (`tasks.json`, …), one folder of shards per large collection
 * (`episodes/shard-000001.json`, …) and `store.lock`. Files are read lazily, on first use, so a corrupt
 * file fails only the operations on its collection.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const dataDir = resolve(options.dataDir);
  const shardSize = options.shardSize ?? DEFAULT_SHARD_SIZE;
  if (!Number.isInteger(shardSize) || shardSize < 1) throw new InputError(`shardSize must be a positive integer, got ${shardSize}`);
  await createDirectory(dataDir);
  const lock = await acquireDataDirLock(dataDir);
  try {
    await createDirectory(join(dataDir, COLLECTIONS.episodes.name));
    await createDirectory(join(dataDir, COLLECTIONS.judgments.name));
    await createDirectory(join(dataDir, COLLECTIONS.recordings.name));
  } catch (error) {
    await lock.release();
    throw error;
  }

  const guard = new StoreGuard(dataDir);
  const catalog = <T extends StoredRecord>(spec: CollectionSpec<T>): LowdbCatalog<T> => new LowdbCatalog(join(dataDir, `${spec.name}.json`), spec, guard);
  const sharded = <T extends StoredRecord>(spec: CollectionSpec<T>): LowdbShardedCollection<T> =>
    new LowdbShardedCollection(join(dataDir, spec.name), spec, guard, shardSize);
  const catalogs = {
    servers: catalog(COLLECTIONS.servers),
    tools: catalog(COLLECTIONS.tools),
    domains: catalog(COLLECTIONS.domains),
    agents: catalog(COLLECTIONS.agents),
    tasks: catalog(COLLECTIONS.tasks),
    datasets: catalog(COLLECTIONS.datasets),
    runs: catalog(COLLECTIONS.runs),
  };
  const episodes = sharded(COLLECTIONS.episodes);
  const judgments = sharded(COLLECTIONS.judgments);
  const recordings = sharded(COLLECTIONS.recordings);

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    guard.close(); // new operations are refused; those already accepted still finish
    await Promise.all([...Object.values(catalogs).map((each) => each.flush()), episodes.flush(), judgments.flush(), recordings.flush()]);
    await lock.release();
  };
  return {
    dataDir,
    ...catalogs,
    episodes,
    judgments,
    recordings,
    close: () => (closing ??= close()),
  };
}

async function createDirectory(directory: string): Promise<void> {
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    throw new InputError(`the data directory ${directory} cannot be created (${error instanceof Error ? error.message : String(error)})`);
  }
}

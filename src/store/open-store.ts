import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { InputError } from "../errors/input-error.js";
import { LowdbCatalog } from "./catalog.js";
import { COLLECTIONS, type ShardedCollectionSpec } from "./collections.js";
import { EpisodeStatisticsIndex } from "./episode-statistics.js";
import { nodeFileSystem } from "./file-system.js";
import { assertNoLegacyHolder } from "./lock.js";
import { ShardedStoreCollection, type IndexListener } from "./sharded-collection.js";
import type { CollectionSpec } from "./store-file.js";
import { StoreGuard } from "./store-guard.js";
import type { OpenStoreOptions, Store, StoredRecord } from "./types.js";

/** Records per episode/judgment/recording shard before a writer starts its next one. */
export const DEFAULT_SHARD_SIZE = 200;

/**
 * Opens (creating it if needed) the store in one data directory. Any number of processes may have it open at
 * once (two hosts' `serve` and a `run`): catalog writes take a short lock and merge by id, and each process
 * appends to shards of its own. Layout: one file per catalog (`tasks.json`, …) and one folder of shards per
 * large collection (`episodes/shard-000001.jsonl`, its `shard-000001.index.json` once sealed, …). Files are
 * read lazily, on first use, so a corrupt file fails only the operations on its collection.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const dataDir = resolve(options.dataDir);
  const shardSize = options.shardSize ?? DEFAULT_SHARD_SIZE;
  if (!Number.isInteger(shardSize) || shardSize < 1) throw new InputError(`shardSize must be a positive integer, got ${shardSize}`);
  await createDirectory(dataDir);
  await assertNoLegacyHolder(dataDir);
  for (const spec of [COLLECTIONS.episodes, COLLECTIONS.judgments, COLLECTIONS.recordings]) await createDirectory(join(dataDir, spec.name));

  const fileSystem = options.fileSystem ?? nodeFileSystem;
  const onWarning = options.onWarning ?? ((message: string) => process.stderr.write(`agentsynth: ${message}\n`));
  const guard = new StoreGuard(dataDir);
  const statistics = new EpisodeStatisticsIndex();
  const catalog = <T extends StoredRecord>(spec: CollectionSpec<T>): LowdbCatalog<T> => new LowdbCatalog(join(dataDir, `${spec.name}.json`), spec, guard, fileSystem);
  const sharded = <T extends StoredRecord, F>(spec: ShardedCollectionSpec<T, F>, onIndexed?: IndexListener<F>): ShardedStoreCollection<T, F> =>
    new ShardedStoreCollection({ directory: join(dataDir, spec.name), spec, guard, shardSize, fileSystem, onWarning, onIndexed });
  const catalogs = {
    servers: catalog(COLLECTIONS.servers),
    tools: catalog(COLLECTIONS.tools),
    domains: catalog(COLLECTIONS.domains),
    agents: catalog(COLLECTIONS.agents),
    tasks: catalog(COLLECTIONS.tasks),
    datasets: catalog(COLLECTIONS.datasets),
    runs: catalog(COLLECTIONS.runs),
  };
  const episodes = sharded(COLLECTIONS.episodes, statistics.onEpisode);
  const judgments = sharded(COLLECTIONS.judgments, statistics.onJudgment);
  const recordings = sharded(COLLECTIONS.recordings);

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    guard.close(); // new operations are refused; those already accepted still finish
    await Promise.all([...Object.values(catalogs).map((each) => each.flush()), episodes.close(), judgments.close(), recordings.close()]);
  };
  return {
    dataDir,
    ...catalogs,
    episodes,
    judgments,
    recordings,
    async statistics() {
      guard.assertOpen();
      await Promise.all([episodes.refresh(), judgments.refresh()]);
      return statistics.snapshot();
    },
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

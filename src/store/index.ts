export { openStore, DEFAULT_SHARD_SIZE } from "./open-store.js";
export { defaultDataDir, DEFAULT_DATA_DIR } from "./data-dir.js";
export { STORE_FORMAT, type StoreFile } from "./store-file.js";
export { LOCK_FILE_NAME } from "./lock.js";
export { nodeFileSystem, type StoreFileHandle, type StoreFileSystem } from "./file-system.js";
export type { Catalog, CatalogView, EpisodeFacts, EpisodeStatistics, JudgmentFacts, OpenStoreOptions, ShardedCollection, Store, StoredRecord } from "./types.js";

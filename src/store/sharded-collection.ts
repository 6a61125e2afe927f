import { NotFoundError } from "../errors/not-found-error.js";
import { StoreCorruptError } from "../errors/store-corrupt-error.js";
import { listShards, shardFileName } from "./shard-files.js";
import { readStoreFile, StoreFileWriter, validateRecord, type CollectionSpec } from "./store-file.js";
import type { StoreGuard } from "./store-guard.js";
import type { ShardedCollection, StoredRecord } from "./types.js";

/** The one shard appends go to; every other shard is sealed and never written again. */
interface CurrentShard<T> {
  number: number;
  /** Replaced (never mutated) on every write, so a scan can keep a reference as its snapshot. */
  records: readonly T[];
  writer: StoreFileWriter<T>;
}

interface ShardLayout<T> {
  /** Shard numbers before the current one, ascending. */
  sealed: number[];
  current: CurrentShard<T>;
}

/** Built on the first get/require/count by reading every shard once, then kept up to date by appends. */
interface ShardIndex {
  /** id → shard number; when an id repeats, the newest record wins. */
  shardOf: Map<string, number>;
  /** shard number → records in it. */
  counts: Map<number, number>;
}

interface PendingAppend<T> {
  record: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * An append-mostly collection in bounded lowdb shard files (`shard-000001.json`, …). An append rewrites
 * only the current shard (at most `shardSize` records), so its cost does not grow with the collection.
 * In memory: the current shard, the lazily built id index, and the last sealed shard a `get` read.
 *
 * Appends are validated at once, then queued and written by a single writer: whatever is queued while a
 * write is on disk goes out together in the next write (group commit), so 32 concurrent appends cost a
 * few writes instead of 32, and each promise resolves only after the write holding its record.
 *
 * Ids are expected to be unique (they are generated). `append` does not look for an earlier record with
 * the same id, because that would mean reading every shard; if an id does repeat, `get` returns the
 * newest record and `scan` yields both.
 */
export class LowdbShardedCollection<T extends StoredRecord> implements ShardedCollection<T> {
  readonly directory: string;
  readonly #spec: CollectionSpec<T>;
  readonly #guard: StoreGuard;
  readonly #shardSize: number;
  #layout: ShardLayout<T> | undefined;
  #opening: Promise<ShardLayout<T>> | undefined;
  #index: ShardIndex | undefined;
  #indexing: Promise<ShardIndex> | undefined;
  #lastSealedRead: { number: number; records: readonly T[] } | undefined;
  #pending: PendingAppend<T>[] = [];
  #flushing: Promise<void> | undefined;

  constructor(directory: string, spec: CollectionSpec<T>, guard: StoreGuard, shardSize: number) {
    this.directory = directory;
    this.#spec = spec;
    this.#guard = guard;
    this.#shardSize = shardSize;
  }

  async append(record: T): Promise<void> {
    this.#guard.assertOpen();
    const valid = validateRecord(this.#spec, record);
    await new Promise<void>((resolve, reject) => {
      this.#pending.push({ record: valid, resolve, reject });
      this.#startFlushing();
    });
  }

  async get(id: string): Promise<T | undefined> {
    this.#guard.assertOpen();
    const layout = await this.#open();
    const recent = findNewest(layout.current.records, id);
    if (recent !== undefined) return structuredClone(recent);
    const shard = (await this.#buildIndex()).shardOf.get(id);
    if (shard === undefined) return undefined;
    const found = findNewest(await this.#readShardForLookup(shard), id);
    return found === undefined ? undefined : structuredClone(found);
  }

  async require(id: string): Promise<T> {
    const record = await this.get(id);
    if (record === undefined) throw new NotFoundError(this.#spec.kind, id);
    return record;
  }

  /** A snapshot taken when the scan starts: records appended during the scan are not included. */
  async *scan(): AsyncIterable<T> {
    this.#guard.assertOpen();
    const layout = await this.#open();
    const sealed = [...layout.sealed];
    const current = layout.current.records;
    for (const shard of sealed) yield* await this.#readShardFile(shard);
    for (const record of current) yield structuredClone(record);
  }

  async find(predicate: (record: T) => boolean): Promise<T[]> {
    const found: T[] = [];
    for await (const record of this.scan()) if (predicate(record)) found.push(record);
    return found;
  }

  async count(): Promise<number> {
    this.#guard.assertOpen();
    let total = 0;
    for (const count of (await this.#buildIndex()).counts.values()) total += count;
    return total;
  }

  /** Resolves when every append made so far is on disk (or has failed). */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  #startFlushing(): void {
    if (this.#flushing) return;
    this.#flushing = this.#drain().finally(() => {
      this.#flushing = undefined;
      // An append may have been queued between the drain's last check and this callback.
      if (this.#pending.length > 0) this.#startFlushing();
    });
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0) await this.#writeBatch(this.#pending.splice(0));
  }

  /** Writes a batch shard by shard, settling each append as soon as the write holding it is done. Never throws. */
  async #writeBatch(batch: PendingAppend<T>[]): Promise<void> {
    let rest = batch;
    try {
      const layout = await this.#open();
      while (rest.length > 0) {
        const target = layout.current.records.length < this.#shardSize ? layout.current : this.#createShard(layout.current.number + 1);
        const chunk = rest.slice(0, this.#shardSize - target.records.length);
        const records = [...target.records, ...chunk.map((pending) => pending.record)];
        await target.writer.write(records);
        rest = rest.slice(chunk.length);
        this.#commitWrite(layout, target, records, chunk);
        for (const pending of chunk) pending.resolve();
      }
    } catch (error) {
      for (const pending of rest) pending.reject(error);
    }
  }

  /** Called once the shard file is on disk: memory and the index now follow it. */
  #commitWrite(layout: ShardLayout<T>, target: CurrentShard<T>, records: readonly T[], chunk: readonly PendingAppend<T>[]): void {
    if (target !== layout.current) {
      layout.sealed.push(layout.current.number);
      layout.current = target;
    }
    target.records = records;
    if (this.#index === undefined) return;
    this.#index.counts.set(target.number, records.length);
    for (const pending of chunk) this.#index.shardOf.set(pending.record.id, target.number);
  }

  #createShard(number: number): CurrentShard<T> {
    return { number, records: [], writer: new StoreFileWriter<T>(shardFileName(this.directory, number), this.#spec.name) };
  }

  /** Finds the shards and loads the last one; a failed open is not cached, so a repaired file is picked up. */
  async #open(): Promise<ShardLayout<T>> {
    if (this.#layout) return this.#layout;
    this.#opening ??= this.#readLayout().finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }

  async #readLayout(): Promise<ShardLayout<T>> {
    const shards = await listShards(this.directory);
    const last = shards.at(-1);
    const current = this.#createShard(last ?? 1);
    if (last !== undefined) current.records = (await readStoreFile(current.writer.file, this.#spec)) ?? [];
    this.#layout = { sealed: shards.slice(0, -1), current };
    return this.#layout;
  }

  async #buildIndex(): Promise<ShardIndex> {
    if (this.#index) return this.#index;
    this.#indexing ??= this.#readIndex().finally(() => {
      this.#indexing = undefined;
    });
    return this.#indexing;
  }

  /** Reads the sealed shards one at a time (bounded memory), keeping only ids and counts. */
  async #readIndex(): Promise<ShardIndex> {
    const layout = await this.#open();
    const index: ShardIndex = { shardOf: new Map(), counts: new Map() };
    // Appends may seal more shards while this reads; loop until every sealed shard is in. Sealed shards
    // come in ascending order, so a repeated id ends up pointing at its newest shard.
    for (let unread = [...layout.sealed]; unread.length > 0; unread = layout.sealed.filter((shard) => !index.counts.has(shard))) {
      for (const shard of unread) addToIndex(index, shard, await this.#readShardFile(shard));
    }
    // No await from here on: the current shard comes from memory, and later appends update the index.
    addToIndex(index, layout.current.number, layout.current.records);
    this.#index = index;
    return index;
  }

  /** For get: the current shard from memory, a sealed one from disk with a one-shard cache. */
  async #readShardForLookup(shard: number): Promise<readonly T[]> {
    const layout = await this.#open();
    if (shard === layout.current.number) return layout.current.records;
    if (this.#lastSealedRead?.number !== shard) this.#lastSealedRead = { number: shard, records: await this.#readShardFile(shard) };
    return this.#lastSealedRead.records;
  }

  async #readShardFile(shard: number): Promise<T[]> {
    const file = shardFileName(this.directory, shard);
    const records = await readStoreFile(file, this.#spec);
    if (records === undefined) throw new StoreCorruptError(file, "has disappeared from the data directory");
    return records;
  }
}

function addToIndex<T extends StoredRecord>(index: ShardIndex, shard: number, records: readonly T[]): void {
  index.counts.set(shard, records.length);
  for (const record of records) index.shardOf.set(record.id, shard);
}

function findNewest<T extends StoredRecord>(records: readonly T[], id: string): T | undefined {
  for (let position = records.length - 1; position >= 0; position -= 1) {
    const record = records[position];
    if (record?.id === id) return record;
  }
  return undefined;
}

import { errorCode, describeError } from "../errors/describe-error.js";
import { createFileDurably } from "./durable-file.js";
import type { StoreFileHandle, StoreFileSystem } from "./file-system.js";
import { identifyThisProcess } from "./lock-holder.js";
import { listShardDirectory, shardFileName, shardIndexFileName } from "./shard-files.js";
import { createShardHeader, type ShardHeader } from "./shard-format.js";
import { writeShardIndex, type IndexedRecord } from "./shard-index-file.js";
import type { ShardedCollectionSpec } from "./collections.js";
import type { StoredRecord } from "./types.js";

/** A shard this writer made: appends go to the last one until it holds `shardSize` records. */
interface OwnShard<F> {
  number: number;
  file: string;
  header: ShardHeader;
  /** Open while the shard takes appends; closed once it is sealed. */
  handle: StoreFileHandle | undefined;
  /** Bytes on disk and fsynced. */
  size: number;
  records: IndexedRecord<F>[];
}

interface PendingAppend<F> {
  line: Buffer;
  id: string;
  facts: F;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface ShardWriterOptions<T, F> {
  directory: string;
  spec: ShardedCollectionSpec<T, F>;
  fileSystem: StoreFileSystem;
  shardSize: number;
  /** Called with each batch once it is on disk (fsynced), in order. */
  onCommit: (shard: number, header: ShardHeader, records: readonly IndexedRecord<F>[]) => void;
  onWarning: (message: string) => void;
}

/**
 * This process's appends to one collection. It writes only to shards it created itself (numbered after every
 * shard in the directory, taken with an exclusive create, so several processes never share one), each a header
 * line and then one compact record a line. An append costs one write of its line and one fsync, wherever it
 * falls in the shard. Appends queued while a write is on disk go out together in the next write (group
 * commit). A full shard is sealed: its index file is written beside it and it is never written again.
 */
export class ShardWriter<T extends StoredRecord, F> {
  readonly #options: ShardWriterOptions<T, F>;
  readonly #own = new Map<number, OwnShard<F>>();
  #current: OwnShard<F> | undefined;
  #pending: PendingAppend<F>[] = [];
  #flushing: Promise<void> | undefined;

  constructor(options: ShardWriterOptions<T, F>) {
    this.#options = options;
  }

  /** Queues a validated record; resolves once it is on disk. */
  append(record: T): Promise<void> {
    const line = Buffer.from(`${JSON.stringify(record)}\n`, "utf8");
    const facts = this.#options.spec.facts(record);
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ line, id: record.id, facts, resolve, reject });
      this.#startFlushing();
    });
  }

  /** The bytes of one of this writer's shards that are on disk, or undefined for a shard of another writer. */
  committedSize(shard: number): number | undefined {
    return this.#own.get(shard)?.size;
  }

  /** Whether one of this writer's shards is sealed (takes no more appends). */
  isSealed(shard: number): boolean {
    const own = this.#own.get(shard);
    return own !== undefined && own.handle === undefined;
  }

  /** Resolves when every append made so far is on disk (or has failed). */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  /** Flushes, then seals the shard being written, so no reader needs to watch it any more. */
  async close(): Promise<void> {
    await this.flush();
    const current = this.#current;
    this.#current = undefined;
    if (current) await this.#seal(current);
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

  /** Writes a batch shard by shard, settling each append as soon as the write holding it is durable. Never throws. */
  async #writeBatch(batch: PendingAppend<F>[]): Promise<void> {
    let rest = batch;
    try {
      while (rest.length > 0) {
        const target = this.#current ?? (this.#current = await this.#createShard());
        const chunk = rest.slice(0, this.#options.shardSize - target.records.length);
        await this.#write(target, chunk);
        rest = rest.slice(chunk.length);
        for (const pending of chunk) pending.resolve();
        if (target.records.length >= this.#options.shardSize) {
          this.#current = undefined;
          await this.#seal(target);
        }
      }
    } catch (error) {
      for (const pending of rest) pending.reject(error);
    }
  }

  async #write(target: OwnShard<F>, chunk: readonly PendingAppend<F>[]): Promise<void> {
    const handle = target.handle;
    if (!handle) throw new Error(`${target.file} is sealed`);
    const data = Buffer.concat(chunk.map((pending) => pending.line));
    try {
      await handle.writeAt(data, target.size);
      await handle.sync();
    } catch (error) {
      // Cut what may have reached the file and seal the shard as it was: its offsets are never used again,
      // and the next append starts a new shard.
      await handle.truncate(target.size).catch(() => undefined);
      if (this.#current === target) this.#current = undefined;
      await this.#seal(target);
      throw error;
    }
    const committed: IndexedRecord<F>[] = [];
    let offset = target.size;
    for (const pending of chunk) {
      committed.push({ id: pending.id, offset, length: pending.line.length - 1, facts: pending.facts });
      offset += pending.line.length;
    }
    target.size = offset;
    target.records.push(...committed);
    this.#options.onCommit(target.number, target.header, committed);
  }

  /** A new shard numbered after every shard in the directory; another process taking that number first means trying the next. */
  async #createShard(): Promise<OwnShard<F>> {
    const { directory, fileSystem, spec } = this.#options;
    const listing = await listShardDirectory(directory);
    let number = Math.max(0, ...listing.shards, ...listing.legacy, ...this.#own.keys()) + 1;
    const { header, line } = createShardHeader(spec.name, identifyThisProcess());
    for (;;) {
      const file = shardFileName(directory, number);
      try {
        const handle = await createFileDurably(fileSystem, file, line);
        const shard: OwnShard<F> = { number, file, header, handle, size: Buffer.byteLength(line), records: [] };
        this.#own.set(number, shard);
        return shard;
      } catch (error) {
        if (errorCode(error) !== "EEXIST") throw error;
        number += 1;
      }
    }
  }

  /** Closes a shard for good and leaves its index file beside it (without one, readers read the shard itself). */
  async #seal(shard: OwnShard<F>): Promise<void> {
    const handle = shard.handle;
    shard.handle = undefined;
    await handle?.close().catch(() => undefined);
    const { directory, fileSystem, spec } = this.#options;
    try {
      await writeShardIndex(fileSystem, { file: shardIndexFileName(directory, shard.number), collection: spec.name, factsVersion: spec.factsVersion, shard: shard.number }, shard.size, shard.records);
    } catch (error) {
      this.#options.onWarning(`could not write the index of ${shard.file} (${describeError(error)}); readers will read the shard itself`);
    }
    shard.records = []; // sealed: its facts now live in the collection's index and in the index file
  }
}

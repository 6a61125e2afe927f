import { statSync } from "node:fs";
import { NotFoundError } from "../errors/not-found-error.js";
import { StoreCorruptError } from "../errors/store-corrupt-error.js";
import { describeError, errorCode } from "../errors/describe-error.js";
import type { ShardedCollectionSpec } from "./collections.js";
import { deepFreeze } from "./deep-freeze.js";
import type { StoreFileSystem } from "./file-system.js";
import { listMigratedShardDirectory } from "./legacy-shards.js";
import { isHolderAlive, type ProcessIdentity } from "./lock-holder.js";
import { SerialQueue } from "./serial-queue.js";
import { shardFileName, shardIndexFileName } from "./shard-files.js";
import { decodeShardChunk, readFileRange, type DecodedShardChunk, type ShardHeader } from "./shard-format.js";
import { readShardIndex, type IndexedRecord } from "./shard-index-file.js";
import { ShardWriter } from "./shard-writer.js";
import { parseStoredRecord, validateRecord } from "./store-file.js";
import type { StoreGuard } from "./store-guard.js";
import type { ShardedCollection, StoredRecord } from "./types.js";

/** Where a record is, and its facts. */
export interface IndexEntry<F> {
  shard: number;
  offset: number;
  length: number;
  facts: F;
}

/** Told about every record the index takes in, with the entry it replaces when its id was there before. */
export type IndexListener<F> = (id: string, entry: IndexEntry<F>, previous: IndexEntry<F> | undefined) => void;

/** How far the index has read one shard. */
interface ShardProgress {
  number: number;
  file: string;
  /** File offset after the last complete line taken in. */
  indexed: number;
  /** Lines taken in, the header included. */
  lines: number;
  header?: ShardHeader | undefined;
  /** Its index file was listed. */
  hasIndexFile: boolean;
  /** Nothing more will come: sealed by its writer, or its writer is gone. */
  done: boolean;
}

export interface ShardedCollectionOptions<T, F> {
  directory: string;
  spec: ShardedCollectionSpec<T, F>;
  guard: StoreGuard;
  shardSize: number;
  fileSystem: StoreFileSystem;
  onWarning: (message: string) => void;
  onIndexed?: IndexListener<F> | undefined;
}

/** Most bytes one read of getMany takes in. */
const MAX_READ_BYTES = 8 * 2 ** 20;
/**
 * File times come from a coarse clock: a directory changed twice within one tick keeps its time. A listing is
 * trusted only once the directory's time is this much older than the listing.
 */
const RACY_LISTING_NS = 100_000_000n;

/**
 * An append-mostly collection in bounded shards (`shard-000001.jsonl`, …), written by any number of processes
 * at once, each appending to shards of its own (ShardWriter). Every record costs one line and one fsync.
 *
 * The index maps every id to its shard and byte offset and keeps the record's facts (see COLLECTIONS). It is
 * built on the first read that needs it, from the sealed shards' index files (a cold start reads those small
 * files, not the records) and from the shards still being written, then kept current: this process's appends
 * go in as they commit, and each read looks for what other processes added (a stat of the directory, and of
 * each shard still open) and reads only that.
 *
 * Ids are expected to be unique (they are generated). `append` does not look for an earlier record with the
 * same id; if an id does repeat, `get` returns the one stored last and `scan` yields both.
 */
export class ShardedStoreCollection<T extends StoredRecord, F> implements ShardedCollection<T, F> {
  readonly directory: string;
  readonly #options: ShardedCollectionOptions<T, F>;
  readonly #writer: ShardWriter<T, F>;
  readonly #entries = new Map<string, IndexEntry<F>>();
  readonly #shards = new Map<number, ShardProgress>();
  /** Shards that may still grow, ascending. */
  #open: ShardProgress[] = [];
  #listing: { version: string; trusted: boolean } | undefined;
  readonly #refreshes = new SerialQueue();
  readonly #warned = new Set<string>();
  readonly #interned = new Map<string, F>();
  /** The shared facts object for each facts object already seen. */
  readonly #internedFrom = new WeakMap<object, F>();

  constructor(options: ShardedCollectionOptions<T, F>) {
    this.directory = options.directory;
    this.#options = options;
    this.#writer = new ShardWriter({
      directory: options.directory,
      spec: options.spec,
      fileSystem: options.fileSystem,
      shardSize: options.shardSize,
      onWarning: options.onWarning,
      onCommit: (shard, header, records) => this.#takeCommitted(shard, header, records),
    });
  }

  async append(record: T): Promise<void> {
    this.#options.guard.assertOpen();
    await this.#writer.append(validateRecord(this.#options.spec, record));
  }

  async get(id: string): Promise<T | undefined> {
    this.#options.guard.assertOpen();
    let entry = this.#entries.get(id);
    if (entry === undefined) {
      await this.#refresh();
      entry = this.#entries.get(id);
    }
    if (entry === undefined) return undefined;
    const file = shardFileName(this.directory, entry.shard);
    const buffer = await readFileRange(file, entry.offset, entry.offset + entry.length);
    return this.#parseAt(file, entry, buffer, 0);
  }

  async require(id: string): Promise<T> {
    const record = await this.get(id);
    if (record === undefined) throw new NotFoundError(this.#options.spec.kind, id);
    return record;
  }

  async *getMany(ids: readonly string[]): AsyncIterable<T> {
    this.#options.guard.assertOpen();
    if (ids.some((id) => !this.#entries.has(id))) await this.#refresh();
    const entries = ids.map((id) => {
      const entry = this.#entries.get(id);
      if (entry === undefined) throw new NotFoundError(this.#options.spec.kind, id);
      return entry;
    });
    for (let first = 0; first < entries.length; ) {
      // A run of records that follow each other in one shard is one read.
      const start = entries[first] as IndexEntry<F>;
      let last = first;
      let end = start.offset + start.length + 1;
      for (let next = entries[last + 1]; next && next.shard === start.shard && next.offset === end && next.offset + next.length - start.offset <= MAX_READ_BYTES; next = entries[last + 1]) {
        last += 1;
        end = next.offset + next.length + 1;
      }
      const file = shardFileName(this.directory, start.shard);
      const buffer = await readFileRange(file, start.offset, end - 1);
      for (let position = first; position <= last; position += 1) {
        const entry = entries[position] as IndexEntry<F>;
        yield this.#parseAt(file, entry, buffer, entry.offset - start.offset);
      }
      first = last + 1;
    }
  }

  /**
   * Every record, oldest first, one shard in memory at a time. A snapshot taken when the scan starts: records
   * appended during the scan are not included.
   */
  async *scan(): AsyncIterable<T> {
    this.#options.guard.assertOpen();
    const { spec } = this.#options;
    const listing = await listMigratedShardDirectory(this.#options);
    const sizes = listing.shards.map((shard) => this.#writer.committedSize(shard) ?? fileSize(shardFileName(this.directory, shard)));
    for (const [position, shard] of listing.shards.entries()) {
      const file = shardFileName(this.directory, shard);
      const chunk = this.#decode(file, await readFileRange(file, 0, sizes[position] ?? 0), 0, 1, undefined);
      for (const line of chunk.lines) yield parseStoredRecord(file, `line ${line.number}`, spec, line.value);
    }
  }

  async find(predicate: (record: T) => boolean): Promise<T[]> {
    const found: T[] = [];
    for await (const record of this.scan()) if (predicate(record)) found.push(record);
    return found;
  }

  async count(): Promise<number> {
    this.#options.guard.assertOpen();
    await this.#refresh();
    return this.#entries.size;
  }

  async facts(): Promise<ReadonlyMap<string, F>> {
    this.#options.guard.assertOpen();
    await this.#refresh();
    const entries = [...this.#entries].sort(([, a], [, b]) => comparePositions(a, b));
    return new Map(entries.map(([id, entry]) => [id, entry.facts]));
  }

  /** Brings the index up to date with every shard on disk (see the class comment). */
  refresh(): Promise<void> {
    return this.#refresh();
  }

  /** Resolves when every append made so far is on disk (or has failed). */
  async flush(): Promise<void> {
    await this.#writer.flush();
  }

  /** Flushes and seals this process's shard. */
  async close(): Promise<void> {
    await this.#writer.close();
  }

  #refresh(): Promise<void> {
    return this.#refreshes.run(async () => {
      if (this.#isListingStale()) await this.#relist();
      for (const progress of [...this.#open]) await this.#catchUp(progress);
      this.#open = this.#open.filter((progress) => !progress.done);
    });
  }

  /** Whether the directory may hold shards or index files the index has not seen (one stat). */
  #isListingStale(): boolean {
    if (this.#listing === undefined || !this.#listing.trusted) return true;
    return directoryVersion(this.directory).version !== this.#listing.version;
  }

  async #relist(): Promise<void> {
    const before = directoryVersion(this.directory);
    const listing = await listMigratedShardDirectory(this.#options);
    for (const shard of listing.shards) {
      let progress = this.#shards.get(shard);
      if (progress === undefined) {
        progress = { number: shard, file: shardFileName(this.directory, shard), indexed: 0, lines: 0, hasIndexFile: false, done: false };
        this.#shards.set(shard, progress);
        this.#open.push(progress);
      }
      progress.hasIndexFile ||= listing.indexed.has(shard);
    }
    this.#open.sort((a, b) => a.number - b.number);
    this.#listing = { version: before.version, trusted: before.settled };
  }

  /** Takes in what a shard holds beyond what the index has read of it. */
  async #catchUp(progress: ShardProgress): Promise<void> {
    const own = this.#writer.committedSize(progress.number);
    const size = own ?? fileSize(progress.file);
    if (own === undefined && progress.indexed === 0 && progress.hasIndexFile) {
      const records = await readShardIndex<F>(this.#indexTarget(progress.number), size);
      if (records !== undefined && progress.indexed === 0) {
        for (const record of records) this.#add(record.id, { shard: progress.number, offset: record.offset, length: record.length, facts: record.facts });
        Object.assign(progress, { indexed: size, lines: records.length + 1, done: true });
        return;
      }
    }
    if (size > progress.indexed) {
      const start = progress.indexed;
      const buffer = await readFileRange(progress.file, start, size);
      if (progress.indexed !== start) return; // this process's own appends came in meanwhile; the next refresh goes on from there
      const chunk = this.#decode(progress.file, buffer, start, progress.lines + 1, progress.header);
      const { spec } = this.#options;
      // All or nothing: a corrupt line leaves the index where it was, so a retry does not count records twice.
      const entries = chunk.lines.map((line) => {
        const record = parseStoredRecord(progress.file, `line ${line.number}`, spec, line.value);
        return { id: record.id, entry: { shard: progress.number, offset: line.offset, length: line.length, facts: spec.facts(record) } };
      });
      for (const { id, entry } of entries) this.#add(id, entry);
      progress.lines += chunk.lines.length + (chunk.header && !progress.header ? 1 : 0);
      progress.header ??= chunk.header;
      progress.indexed = chunk.end;
      if (chunk.torn) progress.done = true;
    }
    if (progress.indexed < size) return;
    // Sealed by its writer and read to the end, or left for good by a writer that is gone.
    if (own !== undefined ? this.#writer.isSealed(progress.number) : progress.hasIndexFile || (progress.header !== undefined && !isHolderAlive(progress.header.writer))) progress.done = true;
  }

  /** This process's appends, as they commit: taken in at once when the index has read the shard up to them. */
  #takeCommitted(shard: number, header: ShardHeader, records: readonly IndexedRecord<F>[]): void {
    const first = records[0];
    if (first === undefined) return;
    let progress = this.#shards.get(shard);
    if (progress === undefined) {
      progress = { number: shard, file: shardFileName(this.directory, shard), indexed: first.offset, lines: 1, header, hasIndexFile: false, done: false };
      this.#shards.set(shard, progress);
      this.#open = [...this.#open, progress].sort((a, b) => a.number - b.number);
    }
    if (progress.indexed === 0 && first.offset === Buffer.byteLength(`${JSON.stringify(header)}\n`)) Object.assign(progress, { indexed: first.offset, lines: 1, header });
    if (progress.indexed !== first.offset) return; // a gap: the next refresh reads it from the file
    for (const record of records) this.#add(record.id, { shard, offset: record.offset, length: record.length, facts: record.facts });
    const last = records[records.length - 1] as IndexedRecord<F>;
    progress.indexed = last.offset + last.length + 1;
    progress.lines += records.length;
  }

  #add(id: string, entry: IndexEntry<F>): void {
    const previous = this.#entries.get(id);
    if (previous !== undefined && comparePositions(previous, entry) > 0) return; // an older copy of a repeated id
    entry.facts = this.#intern(entry.facts);
    this.#entries.set(id, entry);
    this.#options.onIndexed?.(id, entry, previous);
  }

  /**
   * One frozen object for equal facts: most records share theirs with many others, so a hundred thousand
   * records hold a few hundred facts objects (an index file's records already share their shard's).
   */
  #intern(facts: F): F {
    const raw = facts as object;
    let shared = this.#internedFrom.get(raw);
    if (shared === undefined) {
      const key = JSON.stringify(facts);
      shared = this.#interned.get(key);
      if (shared === undefined) {
        shared = deepFreeze(facts);
        this.#interned.set(key, shared);
      }
      this.#internedFrom.set(raw, shared);
    }
    return shared;
  }

  #decode(file: string, buffer: Buffer, start: number, firstLine: number, header: ShardHeader | undefined): DecodedShardChunk {
    const chunk = decodeShardChunk({ file, spec: this.#options.spec, buffer, start, firstLine, header, isWriterGone: (writer: ProcessIdentity) => !isHolderAlive(writer) });
    if (chunk.torn && !this.#warned.has(file)) {
      this.#warned.add(file);
      this.#options.onWarning(`store file ${file}: dropped a torn last record (${chunk.torn}), left by a writer that stopped mid-write; the records before it are intact`);
    }
    return chunk;
  }

  #parseAt(file: string, entry: IndexEntry<F>, buffer: Buffer, at: number): T {
    let value: unknown;
    try {
      value = JSON.parse(buffer.toString("utf8", at, at + entry.length));
    } catch (error) {
      throw new StoreCorruptError(file, `has no record at byte ${entry.offset}, where its index says one is (${describeError(error)})`, { cause: error });
    }
    return parseStoredRecord(file, `byte ${entry.offset}`, this.#options.spec, value);
  }

  #indexTarget(shard: number): { file: string; collection: string; factsVersion: number; shard: number } {
    return { file: shardIndexFileName(this.directory, shard), collection: this.#options.spec.name, factsVersion: this.#options.spec.factsVersion, shard };
  }
}

function comparePositions(a: { shard: number; offset: number }, b: { shard: number; offset: number }): number {
  return a.shard - b.shard || a.offset - b.offset;
}

/** A shard's size; a shard that vanished is corruption (shards are never deleted). */
function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch (error) {
    throw new StoreCorruptError(file, errorCode(error) === "ENOENT" ? "has disappeared from the data directory" : `cannot be read (${describeError(error)})`, { cause: error });
  }
}

/** A directory's version (its change time, which any entry added, removed or renamed moves), and whether that time is old enough to trust. */
function directoryVersion(directory: string): { version: string; settled: boolean } {
  const stats = statSync(directory, { bigint: true, throwIfNoEntry: false });
  if (stats === undefined) return { version: "missing", settled: false };
  const now = BigInt(Date.now()) * 1_000_000n;
  return { version: `${stats.ino}:${stats.mtimeNs}:${stats.ctimeNs}`, settled: now - stats.mtimeNs > RACY_LISTING_NS };
}

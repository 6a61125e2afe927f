import { statSync } from "node:fs";
import { Low } from "lowdb";
import { errorCode } from "../errors/describe-error.js";
import { NotFoundError } from "../errors/not-found-error.js";
import { StoreCorruptError } from "../errors/store-corrupt-error.js";
import { deepFreeze } from "./deep-freeze.js";
import type { StoreFileSystem } from "./file-system.js";
import { withFileLock } from "./lock.js";
import { SerialQueue } from "./serial-queue.js";
import { createStoreFile, DurableStoreFile, readStoreFile, validateRecord, validateRecords, type CollectionSpec, type StoreFile } from "./store-file.js";
import type { StoreGuard } from "./store-guard.js";
import type { Catalog, CatalogView, StoredRecord } from "./types.js";

interface CatalogState<T> {
  /** In insertion order, deeply frozen; replaced as a whole on every change, never mutated. */
  records: readonly T[];
  positions: ReadonlyMap<string, number>;
  /** Which version of the file this is (see fileVersion); "missing" when there is no file yet. */
  version: string;
}

/**
 * A small collection kept whole, in memory and in one lowdb file, shared by every process on the data
 * directory. Reads notice a file another process has replaced (one stat) and load it again. A write takes
 * the catalog's lock file (`tasks.json.lock`) for a moment, re-reads the file if another process changed it,
 * applies its change by id to what is there, and replaces the file durably, so no process's write is lost.
 * A failed write changes nothing. Readers get copies, or (view) the frozen cached records themselves.
 */
export class LowdbCatalog<T extends StoredRecord> implements Catalog<T> {
  readonly file: string;
  readonly #spec: CollectionSpec<T>;
  readonly #guard: StoreGuard;
  readonly #database: Low<StoreFile<T>>;
  readonly #queue = new SerialQueue();
  #state: CatalogState<T> | undefined;
  #loading: { version: string; promise: Promise<CatalogState<T>> } | undefined;

  constructor(file: string, spec: CollectionSpec<T>, guard: StoreGuard, fileSystem: StoreFileSystem) {
    this.file = file;
    this.#spec = spec;
    this.#guard = guard;
    this.#database = new Low(new DurableStoreFile<T>(file, fileSystem), createStoreFile<T>(spec.name, []));
  }

  async get(id: string): Promise<T | undefined> {
    this.#guard.assertOpen();
    const state = await this.#load();
    const position = state.positions.get(id);
    const record = position === undefined ? undefined : state.records[position];
    return record === undefined ? undefined : structuredClone(record);
  }

  async require(id: string): Promise<T> {
    const record = await this.get(id);
    if (record === undefined) throw new NotFoundError(this.#spec.kind, id);
    return record;
  }

  async all(): Promise<T[]> {
    this.#guard.assertOpen();
    const state = await this.#load();
    return state.records.map((record) => structuredClone(record));
  }

  async view(): Promise<CatalogView<T>> {
    this.#guard.assertOpen();
    const { records, positions } = await this.#load();
    return { records, positionOf: (id) => positions.get(id) };
  }

  async find(predicate: (record: T) => boolean): Promise<T[]> {
    this.#guard.assertOpen();
    const state = await this.#load();
    // The predicate sees the frozen cached records (cloning thousands of them per call would dominate); only matches are copied.
    return state.records.filter((record) => predicate(record)).map((record) => structuredClone(record));
  }

  async count(): Promise<number> {
    this.#guard.assertOpen();
    return (await this.#load()).records.length;
  }

  async put(record: T): Promise<void> {
    this.#guard.assertOpen();
    const valid = detach([validateRecord(this.#spec, record)]);
    await this.#write((state) => upsert(state, valid));
  }

  async putMany(records: readonly T[]): Promise<void> {
    this.#guard.assertOpen();
    const valid = detach(validateRecords(this.#spec, records));
    if (valid.length === 0) return;
    await this.#write((state) => upsert(state, valid));
  }

  async remove(id: string): Promise<boolean> {
    this.#guard.assertOpen();
    let removed = false;
    await this.#write((state) => {
      removed = state.positions.has(id);
      return removed ? state.records.filter((record) => record.id !== id) : undefined;
    });
    return removed;
  }

  /** Resolves when every write queued so far has settled. */
  async flush(): Promise<void> {
    await this.#queue.waitUntilIdle();
  }

  /**
   * One write, in this process's queue and under the catalog's lock: `change` gets the file as it is now
   * (re-read if another process replaced it) and returns the new records, or undefined to write nothing.
   */
  async #write(change: (state: CatalogState<T>) => T[] | undefined): Promise<void> {
    await this.#queue.run(() =>
      withFileLock(`${this.file}.lock`, async () => {
        const records = change(await this.#load());
        if (records === undefined) return;
        this.#database.data = createStoreFile(this.#spec.name, records);
        await this.#database.write();
        this.#state = { records: deepFreeze(records), positions: this.#mapPositions(records), version: fileVersion(this.file) };
      }),
    );
  }

  /**
   * The cached records if the file is still the one they were read from, else the file read again. A failed
   * read is not cached, so a repaired file is picked up on the next call.
   */
  async #load(): Promise<CatalogState<T>> {
    const version = fileVersion(this.file);
    if (this.#state?.version === version) return this.#state;
    // A read already under way is shared only if it reads this version: a write must never merge into an older one.
    if (this.#loading?.version === version) return this.#loading.promise;
    const promise = this.#read(version).finally(() => {
      if (this.#loading?.promise === promise) this.#loading = undefined;
    });
    this.#loading = { version, promise };
    return promise;
  }

  async #read(version: string): Promise<CatalogState<T>> {
    const records = deepFreeze((await readStoreFile(this.file, this.#spec)) ?? []);
    const state = { records, positions: this.#mapPositions(records), version };
    this.#state = state;
    return state;
  }

  #mapPositions(records: readonly T[]): Map<string, number> {
    const positions = new Map<string, number>();
    records.forEach((record, position) => {
      const earlier = positions.get(record.id);
      if (earlier !== undefined) {
        throw new StoreCorruptError(this.file, `holds two records with id "${record.id}" (records[${earlier}] and records[${position}])`);
      }
      positions.set(record.id, position);
    });
    return positions;
  }
}

/** Copies detached from the caller's objects, holding exactly what the file will (JSON drops undefined fields). */
function detach<T>(records: readonly T[]): T[] {
  return JSON.parse(JSON.stringify(records)) as T[];
}

/** The records with `upserts` applied: a new id goes at the end, a known one is replaced in its place. */
function upsert<T extends StoredRecord>(state: CatalogState<T>, upserts: readonly T[]): T[] {
  const records = [...state.records];
  const positions = new Map(state.positions);
  for (const record of upserts) {
    const position = positions.get(record.id);
    if (position === undefined) {
      positions.set(record.id, records.length);
      records.push(record);
    } else {
      records[position] = record;
    }
  }
  return records;
}

/**
 * Tells one version of a file from another without reading it: every write replaces the file by a rename,
 * so the inode changes, and with it the change time and usually the size. A synchronous stat: it is one
 * system call, cheaper than a trip through the thread pool.
 */
function fileVersion(file: string): string {
  try {
    const stats = statSync(file, { bigint: true, throwIfNoEntry: false });
    return stats === undefined ? "missing" : `${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
  } catch (error) {
    return `unreadable:${errorCode(error) ?? "?"}`; // the read that follows reports it
  }
}

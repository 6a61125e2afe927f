import { NotFoundError } from "../errors/not-found-error.js";
import { StoreCorruptError } from "../errors/store-corrupt-error.js";
import { SerialQueue } from "./serial-queue.js";
import { readStoreFile, StoreFileWriter, validateRecord, validateRecords, type CollectionSpec } from "./store-file.js";
import type { StoreGuard } from "./store-guard.js";
import type { Catalog, StoredRecord } from "./types.js";

interface CatalogState<T> {
  /** In insertion order; replaced as a whole on every write, never mutated. */
  records: readonly T[];
  positions: ReadonlyMap<string, number>;
}

/**
 * A small collection kept whole, in memory and in one lowdb file, loaded on first use. Writes are
 * serialized and copy-on-write: the new state is built aside, written, and only then becomes the
 * current one, so a failed write changes nothing. Readers get copies, so mutating a returned record
 * cannot silently change the cache without reaching the file.
 */
export class LowdbCatalog<T extends StoredRecord> implements Catalog<T> {
  readonly file: string;
  readonly #spec: CollectionSpec<T>;
  readonly #guard: StoreGuard;
  readonly #writer: StoreFileWriter<T>;
  readonly #queue = new SerialQueue();
  #state: CatalogState<T> | undefined;
  #loading: Promise<CatalogState<T>> | undefined;

  constructor(file: string, spec: CollectionSpec<T>, guard: StoreGuard) {
    this.file = file;
    this.#spec = spec;
    this.#guard = guard;
    this.#writer = new StoreFileWriter<T>(file, spec.name);
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

  async find(predicate: (record: T) => boolean): Promise<T[]> {
    this.#guard.assertOpen();
    const state = await this.#load();
    // The predicate sees the cached records (cloning thousands of them per call would dominate); only matches are copied.
    return state.records.filter((record) => predicate(record)).map((record) => structuredClone(record));
  }

  async count(): Promise<number> {
    this.#guard.assertOpen();
    return (await this.#load()).records.length;
  }

  async put(record: T): Promise<void> {
    this.#guard.assertOpen();
    const valid = validateRecord(this.#spec, record);
    await this.#queue.run(() => this.#upsert([valid]));
  }

  async putMany(records: readonly T[]): Promise<void> {
    this.#guard.assertOpen();
    const valid = validateRecords(this.#spec, records);
    if (valid.length === 0) return;
    await this.#queue.run(() => this.#upsert(valid));
  }

  async remove(id: string): Promise<boolean> {
    this.#guard.assertOpen();
    return this.#queue.run(async () => {
      const state = await this.#load();
      if (!state.positions.has(id)) return false;
      await this.#commit(state.records.filter((record) => record.id !== id));
      return true;
    });
  }

  /** Resolves when every write queued so far has settled. */
  async flush(): Promise<void> {
    await this.#queue.waitUntilIdle();
  }

  async #upsert(upserts: readonly T[]): Promise<void> {
    const state = await this.#load();
    const records = [...state.records];
    const positions = new Map(state.positions);
    for (const record of upserts) {
      const position = positions.get(record.id);
      if (position === undefined) {
        positions.set(record.id, records.length);
        records.push(record);
      } else {
        records[position] = record; // a replacement keeps its place in the insertion order
      }
    }
    await this.#writer.write(records);
    this.#state = { records, positions };
  }

  async #commit(records: T[]): Promise<void> {
    await this.#writer.write(records);
    this.#state = { records, positions: this.#mapPositions(records) };
  }

  /** Loads the file once; a failed load is not cached, so a repaired file is picked up on the next call. */
  async #load(): Promise<CatalogState<T>> {
    if (this.#state) return this.#state;
    this.#loading ??= this.#read().finally(() => {
      this.#loading = undefined;
    });
    return this.#loading;
  }

  async #read(): Promise<CatalogState<T>> {
    const records = (await readStoreFile(this.file, this.#spec)) ?? [];
    const state = { records, positions: this.#mapPositions(records) };
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

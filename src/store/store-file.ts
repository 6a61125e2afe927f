import { readFile } from "node:fs/promises";
import type { Adapter } from "lowdb";
import type { z } from "zod";
import { SCHEMA_VERSION } from "../domain/common.js";
import { formatIssues } from "../errors/format-issues.js";
import { InputError } from "../errors/input-error.js";
import { StoreCorruptError } from "../errors/store-corrupt-error.js";
import { isObject } from "../support/is-object.js";
import { describeError, errorCode } from "../errors/describe-error.js";
import { replaceFileDurably } from "./durable-file.js";
import type { StoreFileSystem } from "./file-system.js";

/** The `format` header of every store file, so that a foreign JSON file is never mistaken for ours. */
export const STORE_FORMAT = "agentsynth-store";

/** What every whole-file store file (a catalog, or a shard of the first layout) holds: a header, then the records. */
export interface StoreFile<T> {
  format: typeof STORE_FORMAT;
  collection: string;
  schemaVersion: number;
  records: T[];
}

/** One kind of stored record: the collection (file) name, the record kind (for messages) and its schema. */
export interface CollectionSpec<T> {
  /** Collection name, e.g. "tasks"; also the `collection` header of its files. */
  name: string;
  /** Record kind, e.g. "task"; used in messages and NotFoundError. */
  kind: string;
  schema: z.ZodType<T>;
}

/** Most problems listed when a file or record is invalid; the rest are counted. */
const MAX_LISTED_PROBLEMS = 5;

/**
 * Read and validate one whole-file store file. Returns undefined when the file does not exist; throws
 * StoreCorruptError (naming the file) when it cannot be read, is not JSON, is not an agentsynth store
 * file of this collection and version, or holds a record that does not match the schema.
 */
export async function readStoreFile<T>(file: string, spec: CollectionSpec<T>): Promise<T[] | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return undefined;
    throw new StoreCorruptError(file, `cannot be read (${describeError(error)})`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new StoreCorruptError(file, `is not valid JSON (${describeError(error)})`, { cause: error });
  }
  assertStoreHeader(file, data, spec);
  if (!Array.isArray(data.records)) throw new StoreCorruptError(file, `has no "records" array`);
  return data.records.map((record: unknown, index) => parseStoredRecord(file, `records[${index}]`, spec, record));
}

/** Checks the `format`, `collection` and `schemaVersion` a store file starts with. */
export function assertStoreHeader(file: string, data: unknown, spec: CollectionSpec<unknown>): asserts data is Record<string, unknown> {
  if (!isObject(data) || data.format !== STORE_FORMAT) {
    throw new StoreCorruptError(file, `is not an agentsynth store file (no "format": "${STORE_FORMAT}" header)`);
  }
  if (data.collection !== spec.name) {
    throw new StoreCorruptError(file, `holds the collection ${JSON.stringify(data.collection)}, not "${spec.name}"`);
  }
  if (data.schemaVersion !== SCHEMA_VERSION) {
    throw new StoreCorruptError(file, `has schemaVersion ${JSON.stringify(data.schemaVersion)}, but this agentsynth reads schemaVersion ${SCHEMA_VERSION}`);
  }
}

/** A record read from a store file, checked against its schema; `where` says where it sits (`records[3]`, `line 7`). */
export function parseStoredRecord<T>(file: string, where: string, spec: CollectionSpec<T>, record: unknown): T {
  const result = spec.schema.safeParse(record);
  if (result.success) return result.data;
  const problems = listProblems(formatIssues(result.error.issues));
  throw new StoreCorruptError(file, `has an invalid ${spec.kind} at ${where}${describeId(record)}: ${problems.join("; ")}`);
}

/**
 * Validate a record before it is written: throws InputError naming each path and problem. This is the one
 * check a record gets on its way in; what it returns is what is written.
 */
export function validateRecord<T>(spec: CollectionSpec<T>, record: unknown): T {
  const result = spec.schema.safeParse(record);
  if (!result.success) {
    throw new InputError(`invalid ${spec.kind}${describeId(record)}; nothing was stored`, listProblems(formatIssues(result.error.issues)));
  }
  return result.data;
}

/** Validate every record before any is written; one InputError lists the problems of all invalid ones. */
export function validateRecords<T>(spec: CollectionSpec<T>, records: readonly unknown[]): T[] {
  const valid: T[] = [];
  const problems: string[] = [];
  let invalid = 0;
  records.forEach((record, index) => {
    const result = spec.schema.safeParse(record);
    if (result.success) {
      valid.push(result.data);
      return;
    }
    invalid += 1;
    const prefix = `records[${index}]${describeId(record)}`;
    problems.push(...formatIssues(result.error.issues).map((problem) => `${prefix} ${problem}`));
  });
  if (invalid > 0) {
    throw new InputError(`${invalid} of ${records.length} ${spec.name} are invalid; nothing was stored`, listProblems(problems));
  }
  return valid;
}

/**
 * lowdb's adapter for one whole-file store file, written durably (see replaceFileDurably) instead of lowdb's
 * plain rename, compact with one record a line. `read` is not used by the store (readStoreFile validates).
 */
export class DurableStoreFile<T> implements Adapter<StoreFile<T>> {
  constructor(
    readonly file: string,
    readonly fileSystem: StoreFileSystem,
  ) {}

  async read(): Promise<StoreFile<T> | null> {
    try {
      return JSON.parse(await readFile(this.file, "utf8")) as StoreFile<T>;
    } catch (error) {
      if (errorCode(error) === "ENOENT") return null;
      throw error;
    }
  }

  async write(data: StoreFile<T>): Promise<void> {
    await replaceFileDurably(this.fileSystem, this.file, serializeStoreFile(data));
  }
}

export function createStoreFile<T>(collection: string, records: T[]): StoreFile<T> {
  return { format: STORE_FORMAT, collection, schemaVersion: SCHEMA_VERSION, records };
}

/** Compact JSON, one record a line: `{"format":…,"records":[` + records + `]}`. */
function serializeStoreFile<T>(data: StoreFile<T>): string {
  const { records, ...header } = data;
  const head = JSON.stringify({ ...header, records: [] }).slice(0, -2);
  return records.length === 0 ? `${head}]}\n` : `${head}\n${records.map((record) => JSON.stringify(record)).join(",\n")}\n]}\n`;
}

function listProblems(problems: string[]): string[] {
  if (problems.length <= MAX_LISTED_PROBLEMS) return problems;
  return [...problems.slice(0, MAX_LISTED_PROBLEMS), `… and ${problems.length - MAX_LISTED_PROBLEMS} more`];
}

export function describeId(record: unknown): string {
  return isObject(record) && typeof record.id === "string" ? ` (id "${record.id}")` : "";
}

import { readFile } from "node:fs/promises";
import { Low } from "lowdb";
import { JSONFile } from "lowdb/node";
import type { z } from "zod";
import { SCHEMA_VERSION } from "../domain/common.js";
import { formatIssues } from "../errors/format-issues.js";
import { InputError } from "../errors/input-error.js";
import { StoreCorruptError } from "../errors/store-corrupt-error.js";
import { isObject } from "../support/is-object.js";
import { describeError, errorCode } from "../errors/describe-error.js";

/** The `format` header of every store file, so that a foreign JSON file is never mistaken for ours. */
export const STORE_FORMAT = "agentsynth-store";

/** What every store file holds: a header, then the records. */
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
 * Read and validate one store file. Returns undefined when the file does not exist; throws
 * StoreCorruptError (naming the file) when it cannot be read, is not JSON, is not an agentsynth store
 * file of this collection and version, or holds a record that does not match the schema.
 *
 * lowdb's JSONFile.read is not used here: it returns null both for a missing file and for a file holding
 * `null`, and the second must be reported as foreign, not silently overwritten.
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
  return parseStoreFile(file, data, spec);
}

function parseStoreFile<T>(file: string, data: unknown, spec: CollectionSpec<T>): T[] {
  if (!isObject(data) || data.format !== STORE_FORMAT) {
    throw new StoreCorruptError(file, `is not an agentsynth store file (no "format": "${STORE_FORMAT}" header)`);
  }
  if (data.collection !== spec.name) {
    throw new StoreCorruptError(file, `holds the collection ${JSON.stringify(data.collection)}, not "${spec.name}"`);
  }
  if (data.schemaVersion !== SCHEMA_VERSION) {
    throw new StoreCorruptError(file, `has schemaVersion ${JSON.stringify(data.schemaVersion)}, but this agentsynth reads schemaVersion ${SCHEMA_VERSION}`);
  }
  if (!Array.isArray(data.records)) throw new StoreCorruptError(file, `has no "records" array`);
  return data.records.map((record: unknown, index) => {
    const result = spec.schema.safeParse(record);
    if (result.success) return result.data;
    const problems = listProblems(formatIssues(result.error.issues));
    throw new StoreCorruptError(file, `has an invalid ${spec.kind} at records[${index}]${describeId(record)}: ${problems.join("; ")}`);
  });
}

/**
 * Validate a record before it is written: throws InputError naming each path and problem. The result is
 * detached from the caller's object and holds exactly what the file will hold (a JSON round trip drops
 * `undefined` fields), so memory and disk never disagree.
 */
export function validateRecord<T>(spec: CollectionSpec<T>, record: unknown): T {
  const result = spec.schema.safeParse(record);
  if (!result.success) {
    throw new InputError(`invalid ${spec.kind}${describeId(record)}; nothing was stored`, listProblems(formatIssues(result.error.issues)));
  }
  return JSON.parse(JSON.stringify(result.data)) as T;
}

/** Validate every record before any is written; one InputError lists the problems of all invalid ones. */
export function validateRecords<T>(spec: CollectionSpec<T>, records: readonly unknown[]): T[] {
  const valid: T[] = [];
  const problems: string[] = [];
  let invalid = 0;
  records.forEach((record, index) => {
    const result = spec.schema.safeParse(record);
    if (result.success) {
      valid.push(JSON.parse(JSON.stringify(result.data)) as T);
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
 * Writes one store file through lowdb: JSONFile writes a temporary file and renames it over the
 * target, so a crash leaves either the old or the new file, never half of one.
 */
export class StoreFileWriter<T> {
  readonly #database: Low<StoreFile<T>>;
  readonly #collection: string;

  constructor(readonly file: string, collection: string) {
    this.#collection = collection;
    this.#database = new Low<StoreFile<T>>(new JSONFile<StoreFile<T>>(file), createStoreFile<T>(collection, []));
  }

  /** Resolves once the new file has replaced the old one. */
  async write(records: T[]): Promise<void> {
    this.#database.data = createStoreFile(this.#collection, records);
    await this.#database.write();
  }
}

export function createStoreFile<T>(collection: string, records: T[]): StoreFile<T> {
  return { format: STORE_FORMAT, collection, schemaVersion: SCHEMA_VERSION, records };
}

function listProblems(problems: string[]): string[] {
  if (problems.length <= MAX_LISTED_PROBLEMS) return problems;
  return [...problems.slice(0, MAX_LISTED_PROBLEMS), `… and ${problems.length - MAX_LISTED_PROBLEMS} more`];
}

function describeId(record: unknown): string {
  return isObject(record) && typeof record.id === "string" ? ` (id "${record.id}")` : "";
}


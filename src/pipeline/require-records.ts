import { InputError } from "../errors/input-error.js";
import { NotFoundError } from "../errors/not-found-error.js";
import type { Catalog, StoredRecord } from "../store/types.js";

/** The records with these ids, in the order given; every id must exist (one NotFoundError naming them all). */
export async function requireAll<T extends StoredRecord>(catalog: Catalog<T>, kind: string, ids: readonly string[]): Promise<T[]> {
  if (ids.length === 0) throw new InputError(`the list of ${kind} ids is empty; give at least one, or leave it out`);
  const found = await Promise.all(ids.map((id) => catalog.get(id)));
  const missing = ids.filter((_, index) => found[index] === undefined);
  if (missing.length === 1) throw new NotFoundError(kind, missing[0] as string);
  if (missing.length > 1) throw new InputError(`no ${kind} with these ids: ${missing.join(", ")}`);
  return found as T[];
}

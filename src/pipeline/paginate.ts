import { InputError } from "../errors/input-error.js";

export interface PageRequest {
  /** The `nextCursor` of the previous page; absent for the first page. */
  cursor?: string | undefined;
  /** Items per page (default 50, at most 200). */
  limit?: number | undefined;
}

export interface Page<T> {
  items: T[];
  /** Present when there are more items: pass it as `cursor` to get the next page. */
  nextCursor?: string | undefined;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

const CURSOR_PREFIX = "after:";

/** An opaque cursor pointing after the record with this id. */
export function encodeCursor(id: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${id}`, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  if (!text.startsWith(CURSOR_PREFIX) || text.length === CURSOR_PREFIX.length || encodeCursor(text.slice(CURSOR_PREFIX.length)) !== cursor) {
    throw unknownCursor(cursor);
  }
  return text.slice(CURSOR_PREFIX.length);
}

function unknownCursor(cursor: string): InputError {
  return new InputError(
    `the cursor "${cursor}" does not exist: it was not returned by this list with these filters, or the record it points at is gone; list again without a cursor to start from the first page`,
  );
}

/**
 * One page of `records` (in their order) after the cursor's record. Streams: only the page is kept in
 * memory. A cursor whose record is not in `records` is an InputError.
 */
export async function paginate<T>(records: Iterable<T> | AsyncIterable<T>, idOf: (record: T) => string, request: PageRequest = {}): Promise<Page<T>> {
  const limit = pageLimit(request);
  const after = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
  let found = after === undefined;
  const items: T[] = [];
  for await (const record of records) {
    if (!found) {
      found = idOf(record) === after;
      continue;
    }
    items.push(record);
    if (items.length > limit) break;
  }
  if (!found) throw unknownCursor(request.cursor ?? "");
  return toPage(items, limit, idOf);
}

/** A list in memory whose records can be found by id at once (a catalog's view). */
export interface IndexedList<T> {
  readonly records: readonly T[];
  positionOf(id: string): number | undefined;
}

/**
 * One page of the records of `list` that `matches`, after the cursor's record, which is found by id rather
 * than by walking the list: a page near the end of 6,000 records costs what the first one does. A cursor
 * whose record is gone or does not match is an InputError.
 */
export function paginateList<T>(list: IndexedList<T>, matches: (record: T) => boolean, idOf: (record: T) => string, request: PageRequest = {}): Page<T> {
  const limit = pageLimit(request);
  let position = 0;
  if (request.cursor !== undefined) {
    const at = list.positionOf(decodeCursor(request.cursor));
    const record = at === undefined ? undefined : list.records[at];
    if (at === undefined || record === undefined || !matches(record)) throw unknownCursor(request.cursor);
    position = at + 1;
  }
  const items: T[] = [];
  for (; position < list.records.length && items.length <= limit; position += 1) {
    const record = list.records[position] as T;
    if (matches(record)) items.push(record);
  }
  return toPage(items, limit, idOf);
}

function pageLimit(request: PageRequest): number {
  return Math.min(MAX_PAGE_SIZE, Math.max(1, request.limit ?? DEFAULT_PAGE_SIZE));
}

/** The page from up to `limit + 1` items: the extra one only says there is a next page. */
function toPage<T>(items: T[], limit: number, idOf: (record: T) => string): Page<T> {
  if (items.length <= limit) return { items };
  const page = items.slice(0, limit);
  return { items: page, nextCursor: encodeCursor(idOf(page[page.length - 1] as T)) };
}

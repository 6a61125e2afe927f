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
  const limit = Math.min(MAX_PAGE_SIZE, Math.max(1, request.limit ?? DEFAULT_PAGE_SIZE));
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
  if (items.length <= limit) return { items };
  const page = items.slice(0, limit);
  return { items: page, nextCursor: encodeCursor(idOf(page[page.length - 1] as T)) };
}

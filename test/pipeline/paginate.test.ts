import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors/input-error.js";
import { encodeCursor, paginate, paginateList } from "../../src/pipeline/paginate.js";

const records = Array.from({ length: 7 }, (_, index) => ({ id: `r_${index + 1}` }));
const idOf = (record: { id: string }) => record.id;

describe("paginate", () => {
  it("walks every record once, page by page, from iterables and async iterables", async () => {
    async function* stream() {
      yield* records;
    }
    for (const source of [() => records, () => stream()]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await paginate(source(), idOf, { cursor, limit: 3 });
        seen.push(...page.items.map(idOf));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(records.map(idOf));
    }
  });

  it("has no next cursor on the last page, and clamps the limit", async () => {
    expect(await paginate(records, idOf, { limit: 7 })).toEqual({ items: records });
    expect((await paginate(records, idOf, { limit: 0 })).items).toHaveLength(1);
    expect((await paginate(Array.from({ length: 300 }, (_, i) => ({ id: String(i) })), idOf, { limit: 10_000 })).items).toHaveLength(200);
  });

  it("refuses a cursor it did not give out, or one whose record is gone", async () => {
    await expect(paginate(records, idOf, { cursor: "garbage" })).rejects.toThrow(InputError);
    await expect(paginate(records, idOf, { cursor: encodeCursor("r_99") })).rejects.toThrow(/does not exist/);
    await expect(paginate(records, idOf, { cursor: `${encodeCursor("r_1")}x` })).rejects.toThrow(/does not exist/);
  });
});

describe("paginateList", () => {
  const list = { records, positionOf: (id: string) => (/^r_[1-7]$/.test(id) ? Number(id.slice(2)) - 1 : undefined) };
  const odd = (record: { id: string }): boolean => Number(record.id.slice(2)) % 2 === 1;

  it("walks the matching records once, page by page, each page starting at its cursor's record", () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = paginateList(list, odd, idOf, { cursor, limit: 2 });
      seen.push(...page.items.map(idOf));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["r_1", "r_3", "r_5", "r_7"]);
    expect(paginateList(list, () => true, idOf, { limit: 7 })).toEqual({ items: records });
  });

  it("refuses a cursor it did not give out, one whose record is gone, or one the filter does not match", () => {
    expect(() => paginateList(list, odd, idOf, { cursor: "garbage" })).toThrow(InputError);
    expect(() => paginateList(list, odd, idOf, { cursor: encodeCursor("r_99") })).toThrow(/does not exist/);
    expect(() => paginateList(list, odd, idOf, { cursor: encodeCursor("r_2") })).toThrow(/does not exist/);
  });
});

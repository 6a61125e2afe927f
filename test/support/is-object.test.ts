import { describe, expect, expectTypeOf, it } from "vitest";
import type { JsonObject, JsonValue } from "../../src/domain/common.js";
import { isObject } from "../../src/support/is-object.js";

describe("isObject", () => {
  it("is true for plain objects only", () => {
    expect([{}, { a: 1 }, Object.create(null)].map(isObject)).toEqual([true, true, true]);
    expect([null, undefined, [], [1], "text", 3, true].map(isObject)).toEqual([false, false, false, false, false, false, false]);
  });

  it("narrows a JSON value to a JSON object", () => {
    const value = JSON.parse('{"id": "A"}') as JsonValue;
    if (isObject(value)) expectTypeOf(value).toEqualTypeOf<JsonObject>();
    expect(isObject(value)).toBe(true);
  });
});

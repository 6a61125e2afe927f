import { describe, expect, it } from "vitest";
import { diffWorldStates, findMissingFacts, verifyEpisode } from "../../src/world/verify-episode.js";

const initial = { entities: { order: { "ORD-1": { id: "ORD-1", status: "pending" }, "ORD-2": { id: "ORD-2", status: "paid" } } } };

describe("verification against the blueprint", () => {
  it("pairs created records by their fields whatever ids they got", () => {
    const expected = { entities: { order: { ...initial.entities.order, "ORD-50000": { id: "ORD-50000", status: "pending", email: "a@example.com" } } } };
    const sameContent = { entities: { order: { ...initial.entities.order, "ORD-61111": { id: "ORD-61111", status: "pending", email: "A@example.com " } } } };
    expect(diffWorldStates(initial, expected, sameContent)).toEqual([]);
    const otherEmail = { entities: { order: { ...initial.entities.order, "ORD-61111": { id: "ORD-61111", status: "pending", email: "b@example.com" } } } };
    expect(diffWorldStates(initial, expected, otherEmail)).toEqual([{ path: ["entities", "order", "ORD-61111", "email"], expected: "a@example.com", actual: "b@example.com" }]);
    expect(diffWorldStates(initial, expected, initial)).toEqual([{ path: ["entities", "order", "ORD-50000"], expected: expected.entities.order["ORD-50000"] }]);
    expect(diffWorldStates(initial, initial, otherEmail)).toEqual([{ path: ["entities", "order", "ORD-61111"], actual: otherEmail.entities.order["ORD-61111"] }]);
  });

  it("finds deleted and changed records that should have stayed as they were", () => {
    const actual = { entities: { order: { "ORD-1": { id: "ORD-1", status: "cancelled" } } } };
    expect(diffWorldStates(initial, initial, actual)).toEqual([
      { path: ["entities", "order", "ORD-1", "status"], expected: "pending", actual: "cancelled" },
      { path: ["entities", "order", "ORD-2"], expected: { id: "ORD-2", status: "paid" } },
    ]);
  });

  it("finds answer facts by text and numbers by value", () => {
    expect(findMissingFacts(["in_transit", "1234.5", "$20", "Lisbon"], "Your parcel is In Transit to lisbon; the total was 1,234.50 and the refund 20.00.")).toEqual([]);
    expect(findMissingFacts(["delivered", "42"], "It is on its way; 420 items.")).toEqual(["delivered", "42"]);
  });

  it("does not apply to a blueprint that needs a tool without an effect", () => {
    const blueprint = { actions: [{ tool: "read_file", arguments: {} }], answerFacts: [], finalState: initial };
    expect(verifyEpisode({ blueprint, initialState: initial, finalState: initial, finalAnswer: "", steps: [], executableTools: new Set() })).toEqual({
      applicable: false,
      reason: "the blueprint uses read_file, which has no declared effect",
      missingFacts: [],
      diff: [],
    });
  });
});

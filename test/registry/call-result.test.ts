import { describe, expect, it } from "vitest";
import { answerOfCallResult } from "../../src/registry/call-result.js";

describe("answerOfCallResult", () => {
  it("shows the text content and records the structured content", () => {
    const answer = answerOfCallResult({ content: [{ type: "text", text: "3 entities" }], structuredContent: { count: 3 } });
    expect(answer).toEqual({ content: "3 entities", result: { count: 3 }, isError: false });
  });

  it("records JSON text parsed, other text as it is, and keeps the error flag", () => {
    expect(answerOfCallResult({ content: [{ type: "text", text: ' {"entities": []}' }] }).result).toEqual({ entities: [] });
    expect(answerOfCallResult({ content: [{ type: "text", text: "[not json" }] }).result).toBe("[not json");
    expect(answerOfCallResult({ content: [{ type: "text", text: "Error: ENOENT" }], isError: true })).toMatchObject({ isError: true, result: "Error: ENOENT" });
  });

  it("describes images, embedded resources and links in a line each", () => {
    const answer = answerOfCallResult({
      content: [
        { type: "image", data: "aGVsbG8=", mimeType: "image/png" },
        { type: "resource", resource: { uri: "file:///a.txt", text: "hello" } },
        { type: "resource", resource: { uri: "file:///b.bin", blob: "AAAA" } },
        { type: "resource_link", uri: "file:///c.txt", name: "c.txt" },
      ],
    });
    expect(answer.content).toBe("[image image/png, 6 bytes]\nhello\n[resource file:///b.bin]\n[resource link file:///c.txt (c.txt)]");
  });
});

import { describe, expect, it } from "vitest";
import { describeError, errorCode } from "../../src/errors/describe-error.js";
import { StoreCorruptError } from "../../src/errors/store-corrupt-error.js";

function systemError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe("describeError", () => {
  it("puts our stable code before our own errors' messages", () => {
    expect(describeError(new StoreCorruptError("/data/tasks.json", "is not valid JSON"))).toMatch(/^STORE_CORRUPT: .*tasks\.json.*is not valid JSON/);
  });

  it("adds a system error code (its own or its cause's) that the message does not say", () => {
    expect(describeError(systemError("connect failed", "ECONNREFUSED"))).toBe("connect failed (ECONNREFUSED)");
    expect(describeError(new Error("fetch failed", { cause: systemError("getaddrinfo", "ENOTFOUND") }))).toBe("fetch failed (ENOTFOUND)");
    expect(describeError(systemError("ENOENT: no such file or directory, open 'x'", "ENOENT"))).toBe("ENOENT: no such file or directory, open 'x'");
    expect(describeError(new SyntaxError("Unexpected token"))).toBe("Unexpected token");
  });

  it("turns anything else thrown into text", () => {
    expect(describeError("plain text")).toBe("plain text");
    expect(describeError(42)).toBe("42");
  });
});

describe("errorCode", () => {
  it("reads a string code and nothing else", () => {
    expect(errorCode(systemError("x", "EEXIST"))).toBe("EEXIST");
    expect(errorCode({ code: "EPERM" })).toBe("EPERM");
    expect(errorCode({ code: 404 })).toBeUndefined();
    expect(errorCode(new Error("no code"))).toBeUndefined();
    expect(errorCode(null)).toBeUndefined();
    expect(errorCode("ENOENT")).toBeUndefined();
  });
});

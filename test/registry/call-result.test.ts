import { describe, expect, it } from "vitest";
import { answerOfCallResult, redactAnswer, secretValuesOf } from "../../src/registry/call-result.js";
import { parseMcpConfig } from "../../src/registry/mcp-config.js";

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

  it("redacts header values and env values named like secrets, and nothing else", () => {
    const config = parseMcpConfig({ mcpServers: { remote: { url: "http://127.0.0.1:9/mcp", headers: { Authorization: "Bearer abc12345" } }, local: { command: "node", env: { API_KEY: "k-998877", NODE_ENV: "production" } } } });
    const [remote, local] = config.servers;
    expect(secretValuesOf(remote!)).toEqual(["Bearer abc12345"]);
    expect(secretValuesOf(local!)).toEqual(["k-998877"]);
    const answer = redactAnswer({ content: "key k-998877 in production", result: { key: "k-998877", mode: "production" }, isError: false }, secretValuesOf(local!));
    expect(answer).toEqual({ content: "key [redacted] in production", result: { key: "[redacted]", mode: "production" }, isError: false });
  });

  it("redacts a secret holding a quote or a backslash, matched on the raw value in every string and key", () => {
    const secret = 'pa"ss\\wo{rd}';
    const answer = redactAnswer(
      { content: `echo ${secret}`, result: { nested: [{ [secret]: `value ${secret}!` }], text: JSON.stringify({ secret }) }, isError: false },
      [secret],
    );
    expect(JSON.stringify(answer)).not.toContain("wo{rd}");
    expect(answer.content).toBe("echo [redacted]");
    // Inside JSON text the secret reads escaped; that form is redacted too.
    expect(answer.result).toEqual({ nested: [{ "[redacted]": "value [redacted]!" }], text: '{"secret":"[redacted]"}' });
  });
});

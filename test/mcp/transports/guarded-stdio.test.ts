import { PassThrough } from "node:stream";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { findTopLevelId, GuardedStdioServerTransport } from "../../../src/mcp/transports/guarded-stdio.js";

/** A transport on in-memory streams: what it delivers, what it answers, what it logs. */
function openTransport(maxMessageBytes: number): { stdin: PassThrough; delivered: JSONRPCMessage[]; answers: () => Array<Record<string, unknown>>; logged: string[]; closed: () => boolean } {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let written = "";
  stdout.on("data", (chunk: Buffer) => (written += chunk.toString()));
  const delivered: JSONRPCMessage[] = [];
  const logged: string[] = [];
  let closed = false;
  const transport = new GuardedStdioServerTransport(stdin, stdout, { maxMessageBytes, log: (line) => logged.push(line) });
  transport.onmessage = (message) => delivered.push(message);
  transport.onclose = () => (closed = true);
  void transport.start();
  return { stdin, delivered, logged, answers: () => written.split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>), closed: () => closed };
}

const request = (id: number, pad = ""): string => JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "get_stats", arguments: pad ? { pad } : {} } });
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("GuardedStdioServerTransport", () => {
  it("answers a message over the limit with an error carrying its id, drops it, and delivers the next one", async () => {
    const { stdin, delivered, answers, logged, closed } = openTransport(1000);
    const big = request(7, "x".repeat(5000));
    // Sent in small pieces, as a pipe delivers it.
    for (let offset = 0; offset < big.length; offset += 300) stdin.write(big.slice(offset, offset + 300));
    stdin.write(`\n${request(8)}\n`);
    await settle();
    expect(answers()).toEqual([{ jsonrpc: "2.0", id: 7, error: { code: -32600, message: expect.stringMatching(/larger than the 1000-byte limit and was dropped/) } }]);
    expect(delivered).toEqual([JSON.parse(request(8))]);
    expect(logged).toEqual([expect.stringMatching(/refused a message larger than 1000 bytes \(request id 7\); still serving/)]);
    expect(closed()).toBe(false);
  });

  it("answers a line that is not JSON with a parse error, and one that is not JSON-RPC with an invalid-request error", async () => {
    const { stdin, delivered, answers } = openTransport(1000);
    stdin.write('not json at all\n{"id": 3, "hello": "world"}\r\n\n');
    stdin.write(`${request(4)}\n`);
    await settle();
    expect(answers()).toEqual([
      { jsonrpc: "2.0", id: null, error: { code: -32700, message: expect.stringMatching(/not valid JSON/) } },
      { jsonrpc: "2.0", id: 3, error: { code: -32600, message: expect.stringMatching(/not a JSON-RPC 2.0/) } },
    ]);
    expect(delivered).toHaveLength(1);
  });

  it("sends nothing back for an oversized notification, which has no id to answer", async () => {
    const { stdin, answers, logged } = openTransport(100);
    stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/message", params: { data: "x".repeat(500) } })}\n`);
    await settle();
    expect(answers()).toEqual([]);
    expect(logged).toHaveLength(1);
  });
});

describe("findTopLevelId", () => {
  it("finds the request's id, not an id inside its params, even in a cut-off text", () => {
    expect(findTopLevelId('{"jsonrpc":"2.0","params":{"id":"inner","x":[{"id":9}]},"id":42,"method":"tools/call"}')).toBe(42);
    expect(findTopLevelId('{"id":"req-\\"1\\"","params":{"arguments":{"pad":"xxxx')).toBe('req-"1"');
    expect(findTopLevelId('{"params":{"id":1,"pad":"xxxx')).toBeUndefined();
    expect(findTopLevelId('{"method":"x","params":{"text":"\\"id\\": 5"},"id":6}')).toBe(6);
  });
});

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMALL_CONFIG } from "../../helpers/mcp-client.js";
import { CLI } from "../../helpers/run-cli.js";

const INITIALIZE = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } };

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "agentsynth-stdio-limits-"));
  await writeFile(join(directory, "pipeline.json"), JSON.stringify(SMALL_CONFIG));
  await writeFile(join(directory, "needs-key.json"), JSON.stringify({ ...SMALL_CONFIG, models: { default: { provider: "openai", model: "gpt-4o-mini" } } }));
});
afterAll(async () => rm(directory, { recursive: true, force: true }));

/** `agentsynth serve` over stdio, spoken to line by line: answers by id, and stderr. */
function startServe(args: string[]): { child: ChildProcessWithoutNullStreams; answer: (id: number | null) => Promise<Record<string, unknown>>; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, "serve", "--data-dir", "data", "--out", "exports", ...args], { cwd: directory, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" } });
  let stdout = "";
  let stderr = "";
  const answers: Array<Record<string, unknown>> = [];
  const waiting: Array<() => void> = [];
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    const lines = stdout.split("\n");
    stdout = lines.pop() ?? "";
    for (const line of lines.filter(Boolean)) answers.push(JSON.parse(line) as Record<string, unknown>);
    waiting.splice(0).forEach((wake) => wake());
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const answer = async (id: number | null): Promise<Record<string, unknown>> => {
    for (;;) {
      const found = answers.find((each) => each.id === id);
      if (found) return found;
      await new Promise<void>((wake) => waiting.push(wake));
    }
  };
  return { child, answer, stderr: () => stderr, exited };
}

const send = (child: ChildProcessWithoutNullStreams, message: unknown): void => void child.stdin.write(`${typeof message === "string" ? message : JSON.stringify(message)}\n`);

describe("agentsynth serve over stdio: limits", () => {
  it("answers messages of 5 and 12 MiB with an error and keeps serving; the next call is answered", async () => {
    const serve = startServe(["--config", "pipeline.json"]);
    send(serve.child, INITIALIZE);
    expect(await serve.answer(1)).toMatchObject({ result: { serverInfo: { name: "agentsynth" } } });
    send(serve.child, { jsonrpc: "2.0", method: "notifications/initialized" });
    for (const [id, mebibytes] of [[2, 5], [3, 12]] as const) {
      send(serve.child, { jsonrpc: "2.0", id, method: "tools/call", params: { name: "get_stats", arguments: { pad: "x".repeat(mebibytes * 1024 * 1024) } } });
      expect(await serve.answer(id)).toEqual({ jsonrpc: "2.0", id, error: { code: -32600, message: expect.stringMatching(/larger than the 4194304-byte limit and was dropped/) } });
    }
    send(serve.child, "this is not JSON");
    expect(await serve.answer(null)).toMatchObject({ error: { code: -32700 } });
    send(serve.child, { jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "get_stats", arguments: {} } });
    expect(await serve.answer(4)).toMatchObject({ result: { structuredContent: { counts: { episodes: 0 } } } });
    expect(serve.stderr()).toMatch(/refused a message larger than 4194304 bytes \(request id 3\); still serving/);
    serve.child.stdin.end();
    expect(await serve.exited).toBe(0);
  }, 60_000);

  it("tells the host why it cannot start (a missing API key): initialize is answered with the reason", async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, "serve", "--config", "needs-key.json", "--data-dir", "data-key"], cwd: directory, env: { PATH: process.env.PATH ?? "" }, stderr: "pipe" });
    let stderr = "";
    transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const client = new Client({ name: "host", version: "1" });
    const error = await client.connect(transport).then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    expect(error?.message).toMatch(/agentsynth could not start: MISSING_API_KEY: models\.\w+ uses a remote provider but no API key is set: set OPENAI_API_KEY/);
    await client.close();
    expect(stderr).toContain("MISSING_API_KEY");
  }, 60_000);

  it("over a terminal-less stdin, bad flags are answered the same way and exit 2", async () => {
    const serve = startServe(["--max-message-bytes", "lots"]);
    send(serve.child, INITIALIZE);
    expect(await serve.answer(1)).toMatchObject({ error: { code: -32000, message: expect.stringMatching(/could not start: INPUT_INVALID: --max-message-bytes: expected an integer/), data: { code: "INPUT_INVALID" } } });
    serve.child.stdin.end();
    expect(await serve.exited).toBe(2);
  }, 60_000);
});

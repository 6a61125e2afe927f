import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CallToolResultSchema, McpError, type CallToolResult, type Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, runCli } from "../../helpers/run-cli.js";
import { startServeHttp } from "../../helpers/serve-http.js";

const TOKEN = "test-token-5f2c";
const INITIALIZE = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } };

let directory: string;
let server: ChildProcess;
let url: URL;

/** Start `agentsynth serve --http` on a free port. */
async function startServer(): Promise<void> {
  const served = await startServeHttp(["--data-dir", "data", "--out", "exports"], { cwd: directory, env: { AGENTSYNTH_TOKEN: TOKEN } });
  server = served.process;
  url = served.url;
}

/** A raw POST, so headers the fetch API would not let us set (Host) can be tested. */
function post(headers: Record<string, string>, body: unknown): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers } }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

async function connect(token = TOKEN): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  const client = new Client({ name: "e2e-http-host", version: "1.0.0" });
  await client.connect(transport);
  return { client, transport };
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  directory = await mkdtemp(join(tmpdir(), "agentsynth-http-"));
  await startServer();
});
afterAll(async () => {
  if (server.exitCode === null) server.kill("SIGKILL");
  await rm(directory, { recursive: true, force: true });
});

describe("agentsynth serve --http (the built CLI)", () => {
  it("listens on loopback and answers 401 without the bearer token, or with a wrong one", async () => {
    expect(url.hostname).toBe("127.0.0.1");
    const missing = await post({}, INITIALIZE);
    expect(missing.status).toBe(401);
    expect(missing.headers["www-authenticate"]).toMatch(/^Bearer/);
    expect(missing.body).toContain("unauthorized");
    expect((await post({ authorization: "Bearer wrong" }, INITIALIZE)).status).toBe(401);
    await expect(connect("wrong")).rejects.toThrow();
  });

  it("refuses a Host header that is not this server (DNS rebinding)", async () => {
    const rebound = await post({ authorization: `Bearer ${TOKEN}`, host: `attacker.example:${url.port}` }, INITIALIZE);
    expect(rebound.status).toBe(403);
    expect(rebound.body).toContain("Host header");
  });

  it("answers 404 for an unknown session and 400 for a request without one", async () => {
    expect((await post({ authorization: `Bearer ${TOKEN}`, "mcp-session-id": "no-such-session" }, { jsonrpc: "2.0", id: 2, method: "tools/list" })).status).toBe(404);
    expect((await post({ authorization: `Bearer ${TOKEN}` }, { jsonrpc: "2.0", id: 2, method: "tools/list" })).status).toBe(400);
  });

  it("serves two sessions at once from one store, with progress", async () => {
    const first = await connect();
    const second = await connect();
    try {
      expect(first.transport.sessionId).toBeTruthy();
      expect(second.transport.sessionId).not.toBe(first.transport.sessionId);
      const progress: Progress[] = [];
      const [run, tools, stats] = await Promise.all([
        first.client.callTool({ name: "run_pipeline", arguments: { seed: 2 } }, undefined, { onprogress: (event) => progress.push(event) }) as Promise<CallToolResult>,
        second.client.listTools(),
        second.client.callTool({ name: "get_stats", arguments: {} }) as Promise<CallToolResult>,
      ]);
      expect(run.isError).toBeFalsy();
      expect(progress.length).toBeGreaterThan(3);
      expect(tools.tools).toHaveLength(29);
      expect(stats.isError).toBeFalsy();
      const after = (await second.client.callTool({ name: "get_stats", arguments: {} })) as CallToolResult;
      expect((after.structuredContent as { runs: { completed: number } }).runs.completed).toBe(1);
    } finally {
      await first.transport.terminateSession();
      await first.client.close();
      await second.client.close();
    }
  });

  it("answers an unknown argument with a readable isError result, and arguments that are not an object with -32602", async () => {
    const { client, transport } = await connect();
    try {
      const unknown = (await client.callTool({ name: "list_episodes", arguments: { taskid: "tsk_1" } })) as CallToolResult;
      expect(unknown.isError).toBe(true);
      expect(JSON.stringify(unknown.content)).toContain('unknown argument \\"taskid\\" (did you mean \\"taskId\\"?)');
      const malformed = await client.request({ method: "tools/call", params: { name: "list_episodes", arguments: '{"taskId":"tsk_1"}' } } as never, CallToolResultSchema).catch((error: unknown) => error);
      expect(malformed).toBeInstanceOf(McpError);
      expect((malformed as McpError).code).toBe(-32602);
      expect((malformed as McpError).message).toContain("arguments must be a JSON object of named arguments, got a string");
      expect(((await client.callTool({ name: "get_stats", arguments: {} })) as CallToolResult).isError).toBeFalsy();
    } finally {
      await transport.terminateSession();
      await client.close();
    }
  });

  it("stops cleanly on SIGTERM", async () => {
    const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});

describe("agentsynth serve --http refusals", () => {
  it("refuses a non-loopback host without a token at start (exit 2), writing nothing", async () => {
    const result = await runCli(["serve", "--http", "--host", "0.0.0.0", "--port", "0", "--data-dir", "refused"], { cwd: directory, timeoutMs: 20_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("refusing to serve on 0.0.0.0 without a token");
    expect(existsSync(join(directory, "refused"))).toBe(false);
  });

  it("rejects --token without --http, and a bad port", async () => {
    const stdio = await runCli(["serve", "--token", "x", "--data-dir", "refused"], { cwd: directory, timeoutMs: 20_000 });
    expect(stdio.code).toBe(2);
    expect(stdio.stderr).toContain("--token");
    const port = await runCli(["serve", "--http", "--port", "http", "--data-dir", "refused"], { cwd: directory, timeoutMs: 20_000 });
    expect(port.code).toBe(2);
    expect(port.stderr).toContain("--port");
  });
});

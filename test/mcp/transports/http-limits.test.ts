import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpServer, type RunningHttpServer } from "../../../src/mcp/transports/http.js";
import { openWorkspace, type Workspace } from "../../../src/pipeline/workspace.js";
import { serveCommand } from "../../../src/cli/commands/serve-command.js";
import { SMALL_CONFIG } from "../../helpers/mcp-client.js";
import { InputError } from "../../../src/errors/input-error.js";

const TOKEN = "limits-token-7c1d";
const INITIALIZE = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } };

let directory: string;
let workspace: Workspace;
let running: RunningHttpServer;
const logged: string[] = [];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "agentsynth-http-limits-"));
  workspace = await openWorkspace({ dataDir: join(directory, "data"), config: SMALL_CONFIG, exportRoot: join(directory, "out"), env: {} });
  running = await startHttpServer(workspace, { host: "127.0.0.1", port: 0, token: TOKEN, log: (line) => logged.push(line), maxSessions: 3, idleTimeoutMs: 1500, maxMessageBytes: 64 * 1024 });
});
afterAll(async () => {
  await running.close();
  await workspace.close();
  await rm(directory, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function post(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    const req = request(running.url, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream", ...headers } }, (res) => {
      let answer = "";
      res.on("data", (chunk: Buffer) => (answer += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: answer }));
    });
    req.on("error", reject);
    req.end(text);
  });
}

async function openSession(): Promise<string> {
  const answer = await post(INITIALIZE);
  expect(answer.status).toBe(200);
  return answer.headers["mcp-session-id"] as string;
}

const listTools = (session: string): Promise<Answer> => post({ jsonrpc: "2.0", id: 2, method: "tools/list" }, { "mcp-session-id": session, "mcp-protocol-version": "2025-06-18" });

describe("serve --http limits", () => {
  it("refuses a browser Origin that is not this server with 403, and accepts its own", async () => {
    const foreign = await post(INITIALIZE, { origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect((JSON.parse(foreign.body) as { error: { message: string } }).error.message).toContain('Origin "https://evil.example" is not this server');
    expect((await post(INITIALIZE, { origin: "null" })).status).toBe(403);
    const own = await post(INITIALIZE, { origin: `http://127.0.0.1:${running.port}` });
    expect(own.status).toBe(200);
  });

  it("answers a body over the limit with 413 and keeps serving", async () => {
    const big = await post({ ...INITIALIZE, params: { ...INITIALIZE.params, pad: "x".repeat(100 * 1024) } });
    expect(big.status).toBe(413);
    expect((JSON.parse(big.body) as { error: { message: string } }).error.message).toContain("larger than 65536 bytes");
    expect(await listTools(await openSession())).toMatchObject({ status: 200 });
  });

  it("caps the sessions open at once (503 with the reason), and closes idle ones so new sessions fit again", async () => {
    await expect.poll(() => running.sessions(), { timeout: 10_000 }).toBe(0);
    const sessions = [await openSession(), await openSession(), await openSession()];
    const refused = await post(INITIALIZE);
    expect(refused.status).toBe(503);
    expect((JSON.parse(refused.body) as { error: { message: string } }).error.message).toMatch(/too many sessions: 3 are open/);
    expect(refused.headers["retry-after"]).toBe("2");
    // Idle sessions are closed by the sweeper; their ids are then unknown, and new sessions fit.
    await expect.poll(() => running.sessions(), { timeout: 10_000 }).toBe(0);
    expect((await listTools(sessions[0] as string)).status).toBe(404);
    expect(logged.some((line) => /closing session .*, idle for/.test(line))).toBe(true);
    expect(await listTools(await openSession())).toMatchObject({ status: 200 });
  });
});

describe("serve --token", () => {
  it.each([["   "], ["\t"], [" padded-token "]])("refuses a token of %j before opening anything", async (token) => {
    const io = { stdout: process.stdout, stderr: process.stderr, env: {}, signal: new AbortController().signal };
    await expect(serveCommand({ http: true, token, dataDir: join(directory, "never") }, io as never)).rejects.toBeInstanceOf(InputError);
    await expect(serveCommand({ http: true, dataDir: join(directory, "never") }, { ...io, env: { AGENTSYNTH_TOKEN: token } } as never)).rejects.toThrow(/AGENTSYNTH_TOKEN/);
  });
});

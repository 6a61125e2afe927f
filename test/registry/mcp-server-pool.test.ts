import { getEventListeners } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CancelledError } from "../../src/errors/cancelled-error.js";
import { ToolServerError } from "../../src/errors/tool-server-error.js";
import { parseMcpConfig, type McpServerEntry } from "../../src/registry/mcp-config.js";
import { McpServerPool, type McpServerPoolOptions } from "../../src/registry/mcp-server-pool.js";
import { REPO_ROOT } from "../helpers/run-cli.js";
import { startHttpTestServer, type HttpTestServer } from "../fixtures/servers/http-server.js";

const BIN = (name: string): string => join(REPO_ROOT, "node_modules", "@modelcontextprotocol", `server-${name}`, "dist", "index.js");
const TEST_SERVER = join(REPO_ROOT, "test", "fixtures", "servers", "stdio-server.mjs");
const SECRET = "sk-test-4f8a9c1e7b2d";

function entries(servers: Record<string, unknown>, env: Record<string, string> = {}): McpServerEntry[] {
  const config = parseMcpConfig({ mcpServers: servers }, { env });
  expect(config.errors).toEqual([]);
  return config.servers;
}

function textOf(result: CallToolResult): string {
  return result.content.map((block) => (block.type === "text" ? block.text : "")).join("");
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function failureOf(promise: Promise<unknown>): Promise<ToolServerError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ToolServerError);
  return error as ToolServerError;
}

describe("McpServerPool", () => {
  let directory: string;
  const pools: McpServerPool[] = [];
  const open = (list: McpServerEntry[], options: McpServerPoolOptions = {}): McpServerPool => {
    const pool = new McpServerPool(list, { reconnect: { attempts: 1, initialDelayMs: 1, maxDelayMs: 1 }, ...options });
    pools.push(pool);
    return pool;
  };
  const testServer = (args: string[] = [], env: Record<string, string> = {}) => ({ command: process.execPath, args: [TEST_SERVER, ...args], env });

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "agentsynth-pool-"));
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.close()));
    await rm(directory, { recursive: true, force: true });
  });

  describe("real npm servers over stdio", () => {
    it("lists the memory server's tools with annotations and output schemas, and calls them", async () => {
      const pool = open(entries({ memory: { command: process.execPath, args: [BIN("memory")], env: { MEMORY_FILE_PATH: join(directory, "memory.jsonl") } } }));
      expect(pool.status("memory")).toEqual({ state: "idle" });
      const listing = await pool.listTools("memory");
      expect(listing).toMatchObject({ name: "memory", serverName: "memory-server", transport: "stdio", protocolVersion: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
      expect(listing.tools).toHaveLength(9);
      expect(listing.tools.find((tool) => tool.name === "read_graph")?.annotations).toMatchObject({ readOnlyHint: true });
      expect(listing.tools.every((tool) => tool.outputSchema !== undefined)).toBe(true);
      expect(pool.status("memory")).toEqual({ state: "connected" });

      const created = await pool.callTool("memory", "create_entities", { entities: [{ name: "Ana", entityType: "person", observations: ["likes tents"] }] });
      expect(created.isError).toBeFalsy();
      const graph = await pool.callTool("memory", "read_graph", {});
      expect(graph.structuredContent).toMatchObject({ entities: [{ name: "Ana", entityType: "person" }] });
      const wrong = await pool.callTool("memory", "create_entities", { entities: "not a list" });
      expect(wrong.isError).toBe(true);
    });

    it("runs the filesystem server on a folder and server-everything with its env merged over the default environment, and closes both fast", async () => {
      const pool = open(
        entries(
          {
            filesystem: { command: process.execPath, args: [BIN("filesystem"), directory] },
            everything: { command: process.execPath, args: [BIN("everything")], env: { GREETING: "${GREETING}" } },
          },
          { GREETING: "hello from the config" },
        ),
      );
      const [files, everything] = await Promise.all([pool.listTools("filesystem"), pool.listTools("everything")]);
      expect(files.tools).toHaveLength(14);
      expect(files.serverName).toBe("secure-filesystem-server");
      expect(everything.tools.length).toBeGreaterThanOrEqual(13);
      const env = textOf(await pool.callTool("everything", "get-env", {}));
      expect(env).toContain("hello from the config");
      expect(env).toContain("PATH");
      const started = Date.now();
      await pool.close();
      expect(Date.now() - started).toBeLessThan(3000);
      expect(pool.status("everything")).toEqual({ state: "closed" });
    });

    it("reports a server that exits on start with its exit code and stderr", async () => {
      const pool = open(entries({ filesystem: { command: process.execPath, args: [BIN("filesystem"), join(directory, "missing")] } }));
      const error = await failureOf(pool.listTools("filesystem"));
      expect(error.reason).toBe("connect");
      expect(error.code).toBe("TOOL_SERVER_FAILED");
      expect(error.message).toMatch(/^server "filesystem" exited \(code 1\) before completing the MCP handshake: .*None of the specified directories are accessible/s);
      expect(pool.status("filesystem")).toMatchObject({ state: "error", lastError: error.message });
    });
  });

  describe("failures of a stdio server", () => {
    it("returns a tool's own error and a JSON-RPC error as isError results", async () => {
      const pool = open(entries({ test: testServer() }));
      const failed = await pool.callTool("test", "fail", {});
      expect(failed).toMatchObject({ isError: true, content: [{ type: "text", text: "the widget is broken" }] });
      const unknown = await pool.callTool("test", "no_such_tool", {});
      expect(unknown.isError).toBe(true);
      expect(textOf(unknown)).toContain("no_such_tool");
      expect(pool.status("test").state).toBe("connected");
    });

    it("throws crashed with the exit code and stderr when the process exits mid-call, then reconnects", async () => {
      const pool = open(entries({ test: testServer([], { SECRET_TOKEN: SECRET }) }));
      const firstPid = Number(textOf(await pool.callTool("test", "pid", {})));
      const error = await failureOf(pool.callTool("test", "crash", {}));
      expect(error.reason).toBe("crashed");
      expect(error.message).toMatch(/^server "test" exited \(code 3\) during the call of tool "crash": fatal: simulated crash/);
      expect(error.message).not.toContain(SECRET);
      expect(error.message).toContain("[redacted]");
      expect(pool.status("test")).toMatchObject({ state: "error", lastError: error.message });
      const secondPid = Number(textOf(await pool.callTool("test", "pid", {})));
      expect(secondPid).not.toBe(firstPid);
      expect(pool.status("test")).toEqual({ state: "connected" });
    });

    it("times out a hung call, kills the process (even one that ignores SIGTERM) and reconnects", async () => {
      const pool = open(entries({ test: testServer(["--ignore-sigterm"]) }), { callTimeoutMs: 10_000 });
      const pid = Number(textOf(await pool.callTool("test", "pid", {})));
      const started = Date.now();
      const error = await failureOf(pool.callTool("test", "hang", {}, { timeoutMs: 300 }));
      expect(error.reason).toBe("timeout");
      expect(error.message).toBe('server "test" timed out after 300 ms (call of tool "hang")');
      expect(Date.now() - started).toBeLessThan(3000);
      expect(isAlive(pid)).toBe(false);
      expect(textOf(await pool.callTool("test", "echo", { text: "back" }))).toBe("back");
    });

    it("notices a server that exits while idle, and reconnects on the next call", async () => {
      const pool = open(entries({ test: testServer() }));
      expect(textOf(await pool.callTool("test", "exit_later", {}))).toBe("bye");
      await expect.poll(() => pool.status("test")).toEqual({ state: "error", lastError: 'server "test" exited (code 5)' });
      expect(textOf(await pool.callTool("test", "echo", { text: "again" }))).toBe("again");
    });

    it("gives up on a server that never completes the handshake, and kills it", async () => {
      const pidFile = join(directory, "silent.pid");
      const script = `require("node:fs").writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)`;
      const pool = open(entries({ silent: { command: process.execPath, args: ["-e", script] } }), { connectTimeoutMs: 300 });
      const started = Date.now();
      const error = await failureOf(pool.listTools("silent"));
      expect(error.reason).toBe("timeout");
      expect(error.message).toBe('server "silent" did not complete the MCP handshake within 300 ms');
      expect(Date.now() - started).toBeLessThan(3000);
      expect(isAlive(Number(await readFile(pidFile, "utf8")))).toBe(false);
    });

    it("pays a hanging handshake once: no retries, later calls fail at once, and a sync tries again", async () => {
      const starts = join(directory, "starts.log");
      const script = `require("node:fs").appendFileSync(${JSON.stringify(starts)}, "start\\n"); setInterval(() => {}, 1000)`;
      const pool = open(entries({ hanging: { command: process.execPath, args: ["-e", script] } }), { connectTimeoutMs: 300, reconnect: { attempts: 3, initialDelayMs: 10, maxDelayMs: 10 } });
      const first = await failureOf(pool.callTool("hanging", "anything", {}));
      expect(first.reason).toBe("timeout");
      expect((await readFile(starts, "utf8")).split("\n").filter(Boolean)).toHaveLength(1);
      const later = await failureOf(pool.callTool("hanging", "anything", {}));
      expect(later.message).toMatch(/did not complete the MCP handshake within 300 ms \(not tried again for 300 s, until the next sync\)/);
      expect((await readFile(starts, "utf8")).split("\n").filter(Boolean)).toHaveLength(1);
      expect((await failureOf(pool.listTools("hanging"))).reason).toBe("timeout");
      expect((await readFile(starts, "utf8")).split("\n").filter(Boolean)).toHaveLength(2);
    });

    it("cancels a call promptly when its signal aborts, and keeps the connection", async () => {
      const pool = open(entries({ test: testServer() }));
      await pool.listTools("test");
      const controller = new AbortController();
      const started = Date.now();
      const call = pool.callTool("test", "slow", { ms: 5000 }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      await expect(call).rejects.toBeInstanceOf(CancelledError);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(pool.status("test").state).toBe("connected");
      expect(textOf(await pool.callTool("test", "echo", { text: "still here" }))).toBe("still here");
      await expect(pool.callTool("test", "echo", { text: "x" }, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(CancelledError);
    });

    it("keeps one abort listener on a signal shared by many live calls, so Node warns of no listener leak", async () => {
      const warnings: Error[] = [];
      const onWarning = (warning: Error): void => void warnings.push(warning);
      process.on("warning", onWarning);
      try {
        const pool = open(entries({ test: testServer() }));
        const run = new AbortController();
        // 30 callers wait for the connection at once, then stay live; 30 more calls come and go on the same signal.
        const live = Array.from({ length: 30 }, () => pool.callTool("test", "hang", {}, { signal: run.signal }));
        for (let index = 0; index < 30; index++) expect(textOf(await pool.callTool("test", "echo", { text: `call ${index}` }, { signal: run.signal }))).toBe(`call ${index}`);
        expect(getEventListeners(run.signal, "abort")).toHaveLength(1);
        run.abort();
        const outcomes = await Promise.allSettled(live);
        expect(outcomes.every((outcome) => outcome.status === "rejected" && outcome.reason instanceof CancelledError)).toBe(true);
        expect(getEventListeners(run.signal, "abort")).toHaveLength(0);
        await new Promise((resolve) => setImmediate(resolve));
        expect(warnings.filter((warning) => warning.name === "MaxListenersExceededWarning").map((warning) => warning.message)).toEqual([]);
      } finally {
        process.off("warning", onWarning);
      }
    });

    it("runs calls to one server concurrently", async () => {
      const pool = open(entries({ test: testServer() }));
      await pool.listTools("test");
      const started = Date.now();
      const results = await Promise.all([1, 2, 3, 4].map(() => pool.callTool("test", "slow", { ms: 500 })));
      expect(results.map(textOf)).toEqual(Array(4).fill("waited 500 ms"));
      expect(Date.now() - started).toBeLessThan(1500);
    });

    it("tells onToolsChanged when a server sends tools/list_changed", async () => {
      const changed: string[] = [];
      const pool = open(entries({ test: testServer() }), { onToolsChanged: (name) => changed.push(name) });
      const before = await pool.listTools("test");
      await pool.callTool("test", "add_tool", { name: "late_tool" });
      await expect.poll(() => changed).toEqual(["test"]);
      const after = await pool.listTools("test");
      expect(after.tools.map((tool) => tool.name)).toEqual([...before.tools.map((tool) => tool.name), "late_tool"]);
    });

    it("retries connecting with exponential backoff through the injected sleep, then reports the reason", async () => {
      const delays: number[] = [];
      const pool = open(entries({ missing: { command: join(directory, "no-such-server") }, test: testServer() }), {
        reconnect: { attempts: 4, initialDelayMs: 100, maxDelayMs: 300 },
        sleep: async (ms) => void delays.push(ms),
      });
      const error = await failureOf(pool.listTools("missing"));
      expect(error.reason).toBe("connect");
      expect(error.message).toBe(`server "missing" could not be started: command "${join(directory, "no-such-server")}" was not found (gave up after 4 attempts)`);
      expect(delays).toEqual([100, 200, 300]);
      const nowhere = open(entries({ lost: { command: process.execPath, cwd: join(directory, "gone") } }));
      expect((await failureOf(nowhere.listTools("lost"))).message).toBe(`server "lost" could not be started: its working directory ${join(directory, "gone")} does not exist`);
      expect((await pool.listTools("test")).tools.length).toBeGreaterThan(0);
    });

    it("reports a server that exits before the handshake, without the secret it printed", async () => {
      const pool = open(entries({ test: testServer(["--stderr-env", "SECRET_TOKEN", "--exit-on-start", "2"], { SECRET_TOKEN: SECRET }) }));
      const error = await failureOf(pool.listTools("test"));
      expect(error.reason).toBe("connect");
      expect(error.message).toContain('server "test" exited (code 2) before completing the MCP handshake');
      expect(error.message).toContain("starting with SECRET_TOKEN=[redacted]");
      expect(error.message).not.toContain(SECRET);
    });

    it("refuses calls after close (reason closed), closes idempotently and names unknown servers", async () => {
      const pool = open(entries({ test: testServer() }));
      const pid = Number(textOf(await pool.callTool("test", "pid", {})));
      const pending = failureOf(pool.callTool("test", "slow", { ms: 5000 }));
      await Promise.all([pool.close(), pool.close()]);
      expect((await pending).reason).toBe("closed");
      expect((await failureOf(pool.callTool("test", "echo", { text: "x" }))).reason).toBe("closed");
      expect(isAlive(pid)).toBe(false);
      expect(() => pool.status("nope")).toThrow('no MCP server named "nope" is configured (configured: test)');
    });
  });

  describe("remote servers", () => {
    let server: HttpTestServer;
    beforeEach(async () => {
      server = await startHttpTestServer({ toolCount: 45, pageSize: 10 });
    });
    afterEach(async () => {
      await server.close();
    });

    it("follows nextCursor over Streamable HTTP and sends the configured headers", async () => {
      const pool = open(entries({ remote: { url: server.url, headers: { "X-Api-Key": "${API_KEY}" } } }, { API_KEY: SECRET }));
      const listing = await pool.listTools("remote");
      expect(listing).toMatchObject({ serverName: "test-http-server", serverVersion: "2.0.0", transport: "streamable-http", protocolVersion: expect.any(String) });
      expect(listing.tools).toHaveLength(45);
      expect(listing.tools.at(-1)?.name).toBe("tool_045");
      expect(server.pagesServed()).toBe(5);
      expect(server.apiKeys.length).toBeGreaterThan(0);
      expect(new Set(server.apiKeys)).toEqual(new Set([SECRET]));
      expect(textOf(await pool.callTool("remote", "tool_007", { value: "x" }))).toBe('tool_007: {"value":"x"}');
    });

    it("lists tools over the legacy SSE transport", async () => {
      const pool = open(entries({ legacy: { type: "sse", url: server.sseUrl, headers: { "X-Api-Key": "k-123" } } }));
      const listing = await pool.listTools("legacy");
      expect(listing.transport).toBe("sse");
      expect(listing.tools).toHaveLength(45);
      expect(server.apiKeys).toContain("k-123");
    });

    it("throws session when the server dropped the session, then opens a new one", async () => {
      const pool = open(entries({ remote: { url: server.url } }));
      await pool.listTools("remote");
      await server.dropSessions();
      const error = await failureOf(pool.callTool("remote", "tool_001", {}));
      expect(error.reason).toBe("session");
      expect(error.message).toContain('server "remote" no longer knows this session (HTTP 404)');
      expect(textOf(await pool.callTool("remote", "tool_001", {}))).toBe("tool_001: {}");
    });

    it("throws when the HTTP server is gone, and connect errors while it stays gone", async () => {
      const pool = open(entries({ remote: { url: server.url, headers: { Authorization: `Bearer ${SECRET}` } } }));
      await pool.listTools("remote");
      await server.close();
      const error = await failureOf(pool.callTool("remote", "tool_001", {}));
      expect(error.reason).toBe("crashed");
      expect(error.message).toMatch(/^server "remote" failed during the call of tool "tool_001" \(is it still running\?\): fetch failed/);
      const next = await failureOf(pool.callTool("remote", "tool_001", {}));
      expect(next.reason).toBe("connect");
      expect(next.message).toContain(`server "remote" cannot be reached at ${server.url}`);
      for (const message of [error.message, next.message, pool.status("remote").lastError ?? ""]) expect(message).not.toContain(SECRET);
    });
  });
});

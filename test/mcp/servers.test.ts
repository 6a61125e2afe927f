import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ToolRecord } from "../../src/domain/tool.js";
import type { ImportToolsResult } from "../../src/pipeline/import-tools.js";
import type { ServerStatus, SyncReport, ToolSummary } from "../../src/domain/summaries.js";
import { startHttpTestServer, type HttpTestServer } from "../fixtures/servers/http-server.js";
import { openTestHost, structuredOf, textOf, type TestHost } from "../helpers/mcp-client.js";
import { REPO_ROOT } from "../helpers/run-cli.js";
import { FIXTURE_CATALOG } from "../helpers/test-data.js";
import { describeCatalogImportTool } from "./catalog-import.js";

const BIN = (name: string): string => join(REPO_ROOT, "node_modules", "@modelcontextprotocol", `server-${name}`, "dist", "index.js");
const TIMEOUT = 60_000;

interface McpConfigFile {
  mcpServers: Record<string, Record<string, unknown>>;
}

let folder: string;
let sandbox: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "agentsynth-mcp-servers-"));
  sandbox = join(folder, "sandbox");
  await mkdir(join(sandbox, "notes"), { recursive: true });
  await writeFile(join(sandbox, "notes", "todo.md"), "- renew the TLS certificate\n");
  await writeFile(join(sandbox, "inventory.csv"), "sku,name,quantity\nTENT-2P,Two-person tent,4\n");
});
afterAll(async () => rm(folder, { recursive: true, force: true }));

const realServers = () => ({
  memory: { command: process.execPath, args: [BIN("memory")], env: { MEMORY_FILE_PATH: join(folder, "memory.jsonl") } },
  filesystem: { command: process.execPath, args: [BIN("filesystem"), sandbox] },
});

async function readConfigFile(host: TestHost): Promise<McpConfigFile> {
  return JSON.parse(await readFile(join(host.directory, "mcp.json"), "utf8")) as McpConfigFile;
}

async function listServers(host: TestHost): Promise<ServerStatus[]> {
  return structuredOf<{ configFile: string; servers: ServerStatus[] }>(await host.call("list_mcp_servers")).servers;
}

async function toolsOfServer(host: TestHost, server: string): Promise<ToolSummary[]> {
  return structuredOf<{ items: ToolSummary[] }>(await host.call("list_tools", { server, limit: 200 })).items;
}

describe("sync_mcp_servers, list_mcp_servers and remove_mcp_server on server-memory and server-filesystem", () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await openTestHost({ mcpServers: realServers() });
  });
  afterAll(async () => host.close());

  it("sync_mcp_servers imports the 23 tools", { timeout: TIMEOUT }, async () => {
    const report = structuredOf<SyncReport>(await host.call("sync_mcp_servers"));
    expect(report.configErrors).toEqual([]);
    expect(report.servers.map(({ name, status, added, toolCount }) => ({ name, status, added, toolCount }))).toEqual([
      { name: "memory", status: "synced", added: 9, toolCount: 9 },
      { name: "filesystem", status: "synced", added: 14, toolCount: 14 },
    ]);
    const tools = structuredOf<{ items: ToolSummary[] }>(await host.call("list_tools", { source: "real", limit: 200 })).items;
    expect(tools).toHaveLength(23);
  });

  it("list_mcp_servers shows each server's status and tool count", async () => {
    const result = structuredOf<{ configFile: string; servers: ServerStatus[] }>(await host.call("list_mcp_servers"));
    expect(result.configFile).toBe(join(host.directory, "mcp.json"));
    expect(result.servers.map(({ name, transport, configured, status, toolCount }) => ({ name, transport, configured, status, toolCount }))).toEqual([
      { name: "memory", transport: "stdio", configured: true, status: "connected", toolCount: 9 },
      { name: "filesystem", transport: "stdio", configured: true, status: "connected", toolCount: 14 },
    ]);
    for (const server of result.servers) {
      expect(server.serverName).toEqual(expect.any(String));
      expect(server.lastSyncedAt).toEqual(expect.any(String));
      expect(server.lastError).toBeUndefined();
    }
  });

  it("sync_mcp_servers of an unknown name is an isError result naming it", async () => {
    const result = await host.call("sync_mcp_servers", { names: ["no-such-server"] });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("no-such-server");
    expect(textOf(result)).toMatch(/memory, filesystem/);
  });

  it("remove_mcp_server deletes the entry from mcp.json and marks the server's tools stale", { timeout: TIMEOUT }, async () => {
    const memoryTools = await toolsOfServer(host, "memory");
    expect(memoryTools).toHaveLength(9);
    const removed = structuredOf<{ name: string; staleTools: number }>(await host.call("remove_mcp_server", { name: "memory" }));
    expect(removed).toEqual({ name: "memory", staleTools: 9 });
    const file = await readConfigFile(host);
    expect(Object.keys(file.mcpServers)).toEqual(["filesystem"]);
    for (const tool of memoryTools) expect(structuredOf<ToolRecord>(await host.call("get_tool", { tool: tool.id })).stale).toBe(true);
    for (const tool of await toolsOfServer(host, "filesystem")) expect(structuredOf<ToolRecord>(await host.call("get_tool", { tool: tool.id })).stale).toBe(false);
    const memory = (await listServers(host)).find((server) => server.name === "memory");
    expect(memory).toMatchObject({ configured: false, status: "removed" });
  });

  it("remove_mcp_server of an unknown name is an isError result", async () => {
    const result = await host.call("remove_mcp_server", { name: "no-such-server" });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("no-such-server");
  });
});

describe("add_mcp_server", () => {
  let host: TestHost | undefined;
  let http: HttpTestServer | undefined;
  afterEach(async () => {
    await host?.close();
    await http?.close();
    host = undefined;
    http = undefined;
  });

  it("adds server-everything (stdio) to the mcp.json on disk and syncs its tools, when serve allows server edits", { timeout: TIMEOUT }, async () => {
    host = await openTestHost({ workspace: { allowServerEdits: true } });
    const entry = { command: process.execPath, args: [BIN("everything")] };
    const report = structuredOf<SyncReport>(await host.call("add_mcp_server", { name: "everything", ...entry }));
    const synced = report.servers.find((server) => server.name === "everything");
    expect(synced?.status).toBe("synced");
    expect(synced?.toolCount).toBeGreaterThanOrEqual(10);
    expect((await readConfigFile(host)).mcpServers).toEqual({ everything: entry });
    const tools = await toolsOfServer(host, "everything");
    expect(new Set(tools.map((tool) => tool.originalName)).size).toBe(synced?.toolCount);
    expect(tools.every((tool) => tool.source === "real")).toBe(true);
    expect(await listServers(host)).toMatchObject([{ name: "everything", transport: "stdio", configured: true, toolCount: synced?.toolCount }]);
  });

  // BUG (reported): server-everything registers a tool right after `initialized`, so its tools/list_changed
  // arrives while the first sync is still in flight. McpServers#resyncInBackground then runs a second sync of the
  // same server concurrently; both find no stored server record (sync-servers.ts recordListing: findServer, then
  // ids.next("srv")), so the store ends with two "everything" server records and 26 tools (echo, echo_2, …).
  it("a tools/list_changed during the first sync leaves one server record and no duplicate tools", { timeout: TIMEOUT }, async () => {
    const opened = await openTestHost({ workspace: { allowServerEdits: true } });
    host = opened;
    const report = structuredOf<SyncReport>(await opened.call("add_mcp_server", { name: "everything", command: process.execPath, args: [BIN("everything")] }));
    await opened.workspace.close(); // waits for the background re-syncs, then closes the store files
    const stored = async (file: string): Promise<Array<{ name: string }>> => (JSON.parse(await readFile(join(opened.directory, "data", file), "utf8")) as { records: Array<{ name: string }> }).records;
    expect((await stored("servers.json")).map((record) => record.name)).toEqual(["everything"]);
    expect(await stored("tools.json")).toHaveLength(report.servers[0]?.toolCount ?? -1);
  });

  it("adds a Streamable HTTP server and lists all its pages of tools", { timeout: TIMEOUT }, async () => {
    http = await startHttpTestServer({ toolCount: 25, pageSize: 10 });
    host = await openTestHost();
    const report = structuredOf<SyncReport>(await host.call("add_mcp_server", { name: "remote", url: http.url, type: "http" }));
    expect(report.servers).toMatchObject([{ name: "remote", status: "synced", added: 25, toolCount: 25 }]);
    expect(http.pagesServed()).toBeGreaterThanOrEqual(3);
    expect((await readConfigFile(host)).mcpServers).toEqual({ remote: { url: http.url, type: "http" } });
    const tools = await toolsOfServer(host, "remote");
    expect(tools.map((tool) => tool.name)).toEqual(Array.from({ length: 25 }, (_, index) => `tool_${String(index + 1).padStart(3, "0")}`));
    expect(await listServers(host)).toMatchObject([{ name: "remote", transport: "streamable-http", configured: true, toolCount: 25 }]);
  });

  it("an entry with neither command nor url is an isError result and leaves mcp.json as it was", async () => {
    host = await openTestHost({ mcpServers: { filesystem: realServers().filesystem } });
    const before = await readFile(join(host.directory, "mcp.json"), "utf8");
    const result = await host.call("add_mcp_server", { name: "nothing", args: ["--flag"] });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('"nothing"');
    expect(textOf(result)).toMatch(/neither "command".*nor "url"/);
    expect(await readFile(join(host.directory, "mcp.json"), "utf8")).toBe(before);
    expect((await listServers(host)).map((server) => server.name)).toEqual(["filesystem"]);
  });
});

// Our own server catalog; the Toucan crawl: servers.shared.test.ts.
describeCatalogImportTool(FIXTURE_CATALOG);

import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DomainSpecSchema } from "../../src/domain/domain.js";
import { TOOL_NAME_PATTERN } from "../../src/domain/tool.js";
import { loadMcpConfig, parseMcpConfig, type McpConfig } from "../../src/registry/mcp-config.js";
import { McpServerPool } from "../../src/registry/mcp-server-pool.js";
import { ensureSandbox, SANDBOX_TIME } from "../../src/registry/sandbox.js";
import { domainForServer } from "../../src/registry/server-domain.js";
import type { SyncReport } from "../../src/domain/summaries.js";
import { removeServer, syncServers } from "../../src/registry/sync-servers.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/types.js";
import { createFixedClock } from "../../src/support/clock.js";
import { createSequentialIds, type IdGenerator } from "../../src/support/ids.js";
import { REPO_ROOT } from "../helpers/run-cli.js";
import { describeSyncReport } from "../../src/pipeline/render-sync-report.js";
import { startHttpTestServer } from "../fixtures/servers/http-server.js";

const TEST_SERVER = join(REPO_ROOT, "test", "fixtures", "servers", "stdio-server.mjs");
const SECRET = "tok-93b1e7c4a2f6d8";

describe("syncServers", () => {
  let directory: string;
  let store: Store;
  let ids: IdGenerator;
  const clock = createFixedClock("2026-03-01T10:00:00.000Z", 1000);
  const pools: McpServerPool[] = [];

  const poolFor = (config: McpConfig): McpServerPool => {
    const pool = new McpServerPool(config.servers, { reconnect: { attempts: 1, initialDelayMs: 1, maxDelayMs: 1 } });
    pools.push(pool);
    return pool;
  };
  const sync = (config: McpConfig, extra: { names?: string[] } = {}): Promise<SyncReport> => syncServers({ store, pool: poolFor(config), config, ids, clock, ...extra });
  const testConfig = (servers: Record<string, unknown>, env: Record<string, string> = {}): McpConfig => parseMcpConfig({ mcpServers: servers }, { file: join(directory, "mcp.json"), env });
  const testServer = (...args: string[]) => ({ command: process.execPath, args: [TEST_SERVER, ...args] });

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "agentsynth-sync-"));
    store = await openStore({ dataDir: join(directory, "data") });
    ids = createSequentialIds();
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.close()));
    await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  it("syncs the shipped memory and filesystem servers: 23 tools with annotations and provenance, stable on re-sync", async () => {
    const sandbox = await ensureSandbox(store.dataDir, join(REPO_ROOT, "fixtures"));
    expect(sandbox).toEqual({ path: join(store.dataDir, "sandbox"), created: true });
    const config = await loadMcpConfig(join(REPO_ROOT, "mcp.json"), { env: {}, variables: { AGENTSYNTH_DATA_DIR: store.dataDir } });
    const progress: string[] = [];
    const pool = poolFor(config);
    const report = await syncServers({ store, pool, config, ids, clock, onProgress: (event) => progress.push(`${event.done}/${event.total}`) });

    expect(report.configErrors).toEqual([]);
    expect(report.servers).toEqual([
      { name: "memory", status: "synced", serverId: "srv_1", domainId: expect.stringMatching(/^dom_/), added: 9, updated: 0, unchanged: 0, stale: 0, toolCount: 9 },
      { name: "filesystem", status: "synced", serverId: "srv_2", domainId: expect.stringMatching(/^dom_/), added: 14, updated: 0, unchanged: 0, stale: 0, toolCount: 14 },
    ]);
    expect(progress.sort()).toEqual(["1/2", "2/2"]);

    const tools = await store.tools.all();
    expect(tools).toHaveLength(23);
    for (const tool of tools) {
      expect(tool).toMatchObject({ source: "real", stale: false, provenance: { source: "sync:mcp" }, origin: { transport: "stdio", importedAt: expect.any(String), syncedAt: expect.any(String) } });
      expect(tool.annotations).toBeDefined();
      expect(tool.name).toMatch(TOOL_NAME_PATTERN);
      expect(await store.domains.get(tool.domainId ?? "")).toBeDefined();
    }
    const readGraph = tools.find((tool) => tool.origin.originalName === "read_graph");
    expect(readGraph).toMatchObject({ name: "read_graph", annotations: { readOnlyHint: true }, origin: { configName: "memory", serverId: "srv_1", serverName: "memory-server", protocolVersion: expect.any(String) } });
    expect(readGraph?.outputSchema).toBeDefined();
    expect(tools.find((tool) => tool.name === "write_file")?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });

    const memory = (await store.servers.all()).find((server) => server.name === "memory");
    expect(memory).toMatchObject({
      id: "srv_1",
      kind: "tool-server",
      transport: "stdio",
      command: "node",
      args: ["node_modules/@modelcontextprotocol/server-memory/dist/index.js"],
      cwd: REPO_ROOT,
      envKeys: ["MEMORY_FILE_PATH"],
      configFile: join(REPO_ROOT, "mcp.json"),
      serverName: "memory-server",
      status: "connected",
      toolCount: 9,
      lastSyncedAt: expect.any(String),
      provenance: { source: "sync:mcp" },
    });
    const filesystem = (await store.servers.all()).find((server) => server.name === "filesystem");
    expect(filesystem?.args).toEqual(["node_modules/@modelcontextprotocol/server-filesystem/dist/index.js", "${AGENTSYNTH_DATA_DIR}/sandbox"]);
    const domains = await store.domains.all();
    expect(domains.map((domain) => [domain.name, domain.entities.map((entity) => entity.name)])).toEqual([
      ["memory", ["entity", "relation", "observation", "node", "graph"]],
      ["filesystem", ["file", "directory"]],
    ]);
    const listing = await pool.callTool("filesystem", "list_directory", { path: sandbox.path });
    expect(JSON.stringify(listing.content)).toContain("inventory.csv");

    const again = await sync(config);
    expect(again.servers.map(({ name, added, updated, unchanged, stale, serverId }) => ({ name, added, updated, unchanged, stale, serverId }))).toEqual([
      { name: "memory", added: 0, updated: 0, unchanged: 9, stale: 0, serverId: "srv_1" },
      { name: "filesystem", added: 0, updated: 0, unchanged: 14, stale: 0, serverId: "srv_2" },
    ]);
    const resynced = await store.tools.all();
    expect(resynced.map((tool) => [tool.id, tool.name]).sort()).toEqual(tools.map((tool) => [tool.id, tool.name]).sort());
    expect(await store.domains.count()).toBe(2);
    expect(resynced.find((tool) => tool.id === readGraph?.id)?.origin.importedAt).toBe(readGraph?.origin.importedAt);
  });

  it("updates changed tools, marks tools the server no longer lists stale, and brings them back", async () => {
    const first = await sync(testConfig({ test: testServer() }));
    expect(first.servers[0]).toMatchObject({ status: "synced", added: 9, toolCount: 9 });
    const echo = (await store.tools.find((tool) => tool.origin.originalName === "echo"))[0];
    expect(echo).toMatchObject({ name: "echo", description: "Echo the text back.", stale: false });

    const without = await sync(testConfig({ test: testServer("--without", "echo", "--without", "crash") }));
    expect(without.servers[0]).toMatchObject({ added: 0, updated: 0, unchanged: 7, stale: 2, toolCount: 7 });
    expect(await store.tools.count()).toBe(9);
    expect((await store.tools.get(echo?.id ?? ""))?.stale).toBe(true);

    const back = await sync(testConfig({ test: testServer("--without", "crash", "--describe-echo", "Repeat the text.") }));
    expect(back.servers[0]).toMatchObject({ added: 0, updated: 1, unchanged: 7, stale: 1, toolCount: 8 });
    expect(await store.tools.get(echo?.id ?? "")).toMatchObject({ name: "echo", description: "Repeat the text.", stale: false, origin: { importedAt: echo?.origin.importedAt } });
    expect((await store.servers.all()).map((server) => server.id)).toEqual(["srv_1"]);
  });

  it("reports a failing server and a broken entry, and still syncs the others", async () => {
    const config = testConfig(
      { good: testServer(), down: { command: join(directory, "missing-server") }, needs_key: { command: "node", env: { KEY: "${UNSET_KEY}" } } },
      {},
    );
    const report = await sync(config);
    expect(report.configErrors).toEqual([{ name: "needs_key", message: expect.stringContaining("${UNSET_KEY}") }]);
    expect(report.servers.map((server) => [server.name, server.status])).toEqual([
      ["good", "synced"],
      ["down", "error"],
    ]);
    const down = report.servers[1];
    expect(down?.error).toBe(`server "down" could not be started: command "${join(directory, "missing-server")}" was not found`);
    expect((await store.servers.all()).find((server) => server.name === "down")).toMatchObject({ status: "error", lastError: down?.error, toolCount: 0 });
    expect(await store.tools.count()).toBe(9);

    const only = await sync(config, { names: ["good"] });
    expect(only.servers.map((server) => server.name)).toEqual(["good"]);
    expect(only.configErrors).toEqual([]);
  });

  it("never stores env or header values, nor puts them in errors", async () => {
    const http = await startHttpTestServer({ toolCount: 3 });
    try {
      const config = testConfig(
        {
          local: { ...testServer("--token=${TOKEN}"), env: { SECRET_TOKEN: "${TOKEN}" } },
          leaky: { ...testServer("--stderr-env", "SECRET_TOKEN", "--exit-on-start", "1"), env: { SECRET_TOKEN: "${TOKEN}" } },
          remote: { url: `${http.url}?key=\${TOKEN}`, headers: { "X-Api-Key": "${TOKEN}" } },
        },
        { TOKEN: SECRET },
      );
      const report = await sync(config);
      expect(report.servers.map((server) => server.status)).toEqual(["synced", "error", "synced"]);
      expect(http.apiKeys).toContain(SECRET);
      expect(report.servers[1]?.error).toContain("starting with SECRET_TOKEN=[redacted]");
      expect(JSON.stringify(report)).not.toContain(SECRET);
      const servers = await store.servers.all();
      expect(servers.find((server) => server.name === "local")).toMatchObject({ args: [TEST_SERVER, "--token=${TOKEN}"], envKeys: ["SECRET_TOKEN"] });
      expect(servers.find((server) => server.name === "remote")).toMatchObject({ url: `${http.url}?key=\${TOKEN}`, headerKeys: ["X-Api-Key"] });
    } finally {
      await http.close();
    }
    await store.close();
    const files = await readdir(store.dataDir, { recursive: true, withFileTypes: true });
    const stored = files.filter((file) => file.isFile());
    expect(stored.length).toBeGreaterThan(0);
    for (const file of stored) expect(await readFile(join(file.parentPath, file.name), "utf8")).not.toContain(SECRET);
  });

  it("keeps names unique across servers and on re-sync, follows pagination and skips a tool whose schema does not compile", async () => {
    const http = await startHttpTestServer({ toolCount: 25, pageSize: 7, brokenTool: true });
    try {
      const config = testConfig({ alpha: testServer(), beta: testServer(), remote: { url: http.url } });
      const report = await sync(config);
      expect(report.servers.map((server) => [server.name, server.added, server.toolCount])).toEqual([
        ["alpha", 9, 9],
        ["beta", 9, 9],
        ["remote", 25, 25],
      ]);
      expect(report.warnings).toEqual([expect.stringMatching(/^server "remote": skipped tool "broken_tool": its input schema does not compile/)]);
      // The dropped tool is reported with its server, in the result and in what sync prints.
      expect(report.servers[2]?.skipped).toEqual([{ tool: "broken_tool", reason: expect.stringMatching(/^its input schema does not compile/) }]);
      expect(describeSyncReport(report)[2]).toMatch(/^remote: 25 tools \(25 new, .*\); 1 skipped: "broken_tool" \(its input schema does not compile/);
      const names = (await store.tools.all()).map((tool) => tool.name);
      expect(new Set(names).size).toBe(names.length);
      expect(names).toContain("echo");
      expect(names).toContain("echo_2");
      const betaEcho = (await store.tools.find((tool) => tool.origin.configName === "beta" && tool.origin.originalName === "echo"))[0];
      expect(betaEcho?.name).toBe("echo_2");
      await sync(config);
      expect((await store.tools.get(betaEcho?.id ?? ""))?.name).toBe("echo_2");
      expect(await store.tools.count()).toBe(43);
    } finally {
      await http.close();
    }
  });

  it("removeServer marks the server removed and its tools stale", async () => {
    await sync(testConfig({ test: testServer(), other: testServer() }));
    expect(await removeServer(store, "test")).toEqual({ name: "test", serverId: "srv_1", staleTools: 9 });
    expect((await store.servers.get("srv_1"))?.status).toBe("removed");
    const tools = await store.tools.all();
    expect(tools.filter((tool) => tool.stale).map((tool) => tool.origin.configName)).toEqual(Array(9).fill("test"));
    expect(await removeServer(store, "nope")).toEqual({ name: "nope", staleTools: 0 });
  });
});

describe("domainForServer", () => {
  it("derives up to six entities from the nouns of tool names, each with a name field and an id prefix", () => {
    const names = ["read_text_file", "list_directory", "create_entities", "search_nodes", "get_file_info", "directory_tree", "add_observations", "get-tiny-image", "getWeatherForecast", "open_tickets"];
    const domain = domainForServer({ name: "My Server-2", tools: names.map((name) => ({ name })) });
    expect(DomainSpecSchema.parse(domain)).toEqual(domain);
    expect(domain.name).toBe("my_server_2");
    expect(domain.category).toBe("MCP servers");
    expect(domain.entities.map((entity) => entity.name)).toEqual(["file", "directory", "entity", "node", "observation", "image"]);
    expect(domain.entities.map((entity) => entity.idPrefix)).toEqual(["FIL", "DIR", "ENT", "NOD", "OBS", "IMA"]);
    expect(domain.entities[0]?.fields.map((field) => field.name)).toEqual(["name"]);
    expect(domain.entities[1]?.plural).toBe("directories");
  });

  it("falls back to an entity named after the source when no tool name has a noun", () => {
    const domain = domainForServer({ name: "2fa", category: "Security", tools: [{ name: "echo" }] });
    expect(DomainSpecSchema.parse(domain).name).toBe("mcp_2fa");
    expect(domain.entities).toHaveLength(1);
  });
});

describe("ensureSandbox", () => {
  it("seeds a new sandbox from the fixtures and never touches an existing one", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "agentsynth-sandbox-"));
    try {
      const first = await ensureSandbox(dataDir, join(REPO_ROOT, "fixtures", "sandbox"));
      expect(first.created).toBe(true);
      expect((await readdir(first.path)).sort()).toEqual(["README.md", "config", "inventory.csv", "notes"]);
      // Every file and folder has the sandbox's fixed times, whenever and wherever it was laid out.
      for (const path of [first.path, join(first.path, "inventory.csv"), join(first.path, "notes"), ...(await readdir(join(first.path, "notes"))).map((name) => join(first.path, "notes", name))]) {
        expect({ path, modified: (await stat(path)).mtime.toISOString() }).toEqual({ path, modified: SANDBOX_TIME.toISOString() });
      }
      await writeFile(join(first.path, "inventory.csv"), "changed by an episode\n");
      expect(await ensureSandbox(dataDir, join(REPO_ROOT, "fixtures"))).toEqual({ path: first.path, created: false });
      expect(await readFile(join(first.path, "inventory.csv"), "utf8")).toBe("changed by an episode\n");
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

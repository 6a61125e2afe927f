import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SyncReport } from "../../src/domain/summaries.js";
import { McpServers } from "../../src/pipeline/mcp-servers.js";
import { openWorkspace, type Workspace } from "../../src/pipeline/workspace.js";
import { openStore } from "../../src/store/open-store.js";
import { createFixedClock } from "../../src/support/clock.js";
import { createSequentialIds } from "../../src/support/ids.js";
import { ToolExecutionConfigSchema } from "../../src/domain/config.js";
import { openTestHost, SMALL_CONFIG, structuredOf, textOf, type TestHost } from "../helpers/mcp-client.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

const SECRET = "sk-live-5f2c9e1d-not-for-clients";

/** A plain HTTP listener that records every request it gets: where a stolen secret would arrive. */
let listener: Server;
let listenerUrl: string;
const received: IncomingHttpHeaders[] = [];
beforeAll(async () => {
  listener = createServer((req, res) => {
    received.push(req.headers);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/mcp`;
});
afterAll(async () => new Promise<void>((resolve) => listener.close(() => resolve())));

describe("add_mcp_server: MCP clients configure, they do not execute", () => {
  let host: TestHost;
  let marker: string;
  beforeAll(async () => {
    host = await openTestHost({ mcpServers: { kept: { command: "node", args: ["kept.js"] } }, workspace: { env: { OPENAI_API_KEY: SECRET, PATH: process.env.PATH } } });
    marker = join(host.directory, "command-ran");
  });
  afterAll(async () => host.close());

  /** A refused add: an isError result, mcp.json byte for byte as it was, nothing received by the listener. */
  async function refusedAdd(args: Record<string, unknown>): Promise<string> {
    const before = await readFile(join(host.directory, "mcp.json"), "utf8");
    const seen = received.length;
    const result = await host.call("add_mcp_server", args);
    expect(result.isError, textOf(result)).toBe(true);
    expect(await readFile(join(host.directory, "mcp.json"), "utf8")).toBe(before);
    expect(received.length).toBe(seen);
    expect(textOf(result)).not.toContain(SECRET);
    return textOf(result);
  }

  it("refuses ${VAR} of the server's environment in a header, so the key never reaches the listener", async () => {
    const text = await refusedAdd({ name: "thief", url: listenerUrl, headers: { Authorization: "Bearer ${OPENAI_API_KEY}" } });
    expect(text).toContain("headers.Authorization: ${OPENAI_API_KEY}");
    expect(text).toMatch(/cannot read the server's environment/);
  });

  it("refuses ${VAR} in the url too, with a default or without", async () => {
    expect(await refusedAdd({ name: "thief", url: `${listenerUrl}?key=\${OPENAI_API_KEY:-none}` })).toContain("url: ${OPENAI_API_KEY}");
  });

  it("refuses a stdio server unless serve allows server edits: the command never runs", async () => {
    const text = await refusedAdd({ name: "runner", command: process.execPath, args: ["-e", `require("fs").writeFileSync(${JSON.stringify(marker)}, "ran")`] });
    expect(text).toMatch(/adding a stdio server .* over MCP is off/);
    expect(text).toContain("--allow-server-edits");
    expect(existsSync(marker)).toBe(false);
  });

  it("refuses to replace a stdio server of the config with a remote one", async () => {
    expect(await refusedAdd({ name: "kept", url: "http://127.0.0.1:9/mcp" })).toMatch(/replacing the stdio server of that name/);
  });

  it.each([
    ["the IPv4 metadata address", "http://169.254.169.254/latest/meta-data/"],
    ["the metadata address written as a number", "http://2852039166/"],
    ["the metadata address as IPv4-mapped IPv6", "http://[::ffff:169.254.169.254]/"],
    ["the AWS IPv6 metadata address", "http://[fd00:ec2::254]/"],
    ["a link-local IPv6 address", "http://[fe80::1]:8080/mcp"],
    ["Google's metadata name", "http://metadata.google.internal/computeMetadata/v1/"],
  ])("refuses a remote url on %s", async (_label, url) => {
    expect(await refusedAdd({ name: "probe", url })).toMatch(/link-local or cloud-metadata addresses/);
  });

  it.each(["__proto__", "constructor"])("refuses the server name %s, which would be lost as an object key", async (name) => {
    expect(await refusedAdd({ name, url: listenerUrl })).toContain(`server name "${name}" is reserved`);
  });

  it("adds a remote server with literal headers, which are the client's own, and tries it", async () => {
    const report = structuredOf<SyncReport>(await host.call("add_mcp_server", { name: "plain", url: listenerUrl, headers: { "X-Client": "its-own-value" } }));
    expect(report.servers[0]).toMatchObject({ name: "plain", status: "error" });
    expect(received.at(-1)?.["x-client"]).toBe("its-own-value");
    const file = JSON.parse(await readFile(join(host.directory, "mcp.json"), "utf8")) as { mcpServers: Record<string, unknown> };
    expect(file.mcpServers.plain).toEqual({ url: listenerUrl, headers: { "X-Client": "its-own-value" } });
  });
});

describe("add_mcp_server with serve --allow-server-edits", () => {
  let host: TestHost;
  afterEach(async () => host.close());

  it("adds a stdio server, but still never expands the server's environment in it", async () => {
    host = await openTestHost({ workspace: { allowServerEdits: true, env: { OPENAI_API_KEY: SECRET, PATH: process.env.PATH } } });
    const leaked = await host.call("add_mcp_server", { name: "echo", command: process.execPath, args: ["-e", "console.log(process.argv)", "${OPENAI_API_KEY}"] });
    expect(leaked.isError).toBe(true);
    expect(textOf(leaked)).toContain("args[2]: ${OPENAI_API_KEY}");
    const ours = structuredOf<SyncReport>(await host.call("add_mcp_server", { name: "memory", command: process.execPath, args: [join(REPO_ROOT, "node_modules", "@modelcontextprotocol", "server-memory", "dist", "index.js")], env: { MEMORY_FILE_PATH: "${AGENTSYNTH_DATA_DIR}/memory.jsonl" } }));
    expect(ours.servers[0]).toMatchObject({ name: "memory", status: "synced", toolCount: 9 });
  }, 60_000);
});

describe("the MCP config a server edits is the user's, never the installed package's", () => {
  let directory: string;
  let workspace: Workspace | undefined;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "agentsynth-config-edits-"));
  });
  afterAll(async () => {
    await workspace?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it("copies the shipped config into the data directory on the first edit, and reads it from there afterwards", async () => {
    const shipped = join(REPO_ROOT, "mcp.json");
    const shippedBefore = await readFile(shipped, "utf8");
    const dataDir = join(directory, "data");
    const open = (): Promise<Workspace> => openWorkspace({ dataDir, config: SMALL_CONFIG, exportRoot: join(directory, "out"), env: {}, ids: createSequentialIds(), clock: createFixedClock() });
    workspace = await open();
    expect([shipped, join(process.cwd(), "mcp.json")]).toContain(workspace.mcpConfigFile);
    await workspace.addServer({ name: "remote", url: "http://127.0.0.1:9/mcp", type: "http" });
    await workspace.removeServer("filesystem");
    expect(await readFile(shipped, "utf8")).toBe(shippedBefore);
    const own = join(dataDir, "mcp.json");
    expect(workspace.mcpConfigFile).toBe(own);
    const copied = JSON.parse(await readFile(own, "utf8")) as { mcpServers: Record<string, Record<string, unknown>> };
    expect(Object.keys(copied.mcpServers)).toEqual(["memory", "remote"]);
    // The copy still starts the shipped server from the package: its working directory is written out.
    expect(copied.mcpServers.memory).toMatchObject({ command: "node", trusted: true, cwd: REPO_ROOT });
    await workspace.close();
    workspace = await open();
    expect(workspace.mcpConfigFile).toBe(own);
    expect((await workspace.listServers()).map((server) => server.name)).toEqual(["memory", "remote"]);
    expect(await readFile(shipped, "utf8")).toBe(shippedBefore);
  }, 60_000);

  it("edits the file the user named with --mcp-config in place", async () => {
    const named = join(directory, "named.json");
    await writeFile(named, JSON.stringify({ mcpServers: {} }));
    const store = await openStore({ dataDir: join(directory, "named-data") });
    const servers = await McpServers.open({ file: named, store, env: {}, ids: createSequentialIds(), clock: createFixedClock(), execution: ToolExecutionConfigSchema.parse({}) });
    try {
      await servers.add({ name: "remote", url: "http://127.0.0.1:9/mcp" });
      expect(JSON.parse(await readFile(named, "utf8"))).toEqual({ mcpServers: { remote: { url: "http://127.0.0.1:9/mcp" } } });
      expect(existsSync(join(directory, "named-data", "mcp.json"))).toBe(false);
    } finally {
      await servers.close();
      await store.close();
    }
  }, 60_000);
});

import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ToolRecordSchema, ToolServerRecordSchema } from "../../src/domain/tool.js";
import { REPO_ROOT, runCli, type CliResult } from "../helpers/run-cli.js";

const BIN = (name: string): string => join(REPO_ROOT, "node_modules", "@modelcontextprotocol", `server-${name}`, "dist", "index.js");
const TIMEOUT = 60_000;

let workdir: string;
let sandbox: string;
let memoryDir: string;
let mcpFile: string;
const secret = `tok-${randomUUID()}`;
/** The environment the commands run in: `${MEM_DIR}` and `${SECRET_TOKEN}` are read from it. */
const env = (): NodeJS.ProcessEnv => ({ MEM_DIR: memoryDir, SECRET_TOKEN: secret });

const memoryEntry = () => ({ command: process.execPath, args: [BIN("memory")], env: { MEMORY_FILE_PATH: "${MEM_DIR}/memory.jsonl", MEMORY_API_TOKEN: "${SECRET_TOKEN}" } });
const filesystemEntry = () => ({ command: process.execPath, args: [BIN("filesystem"), sandbox] });

async function writeConfig(name: string, document: unknown): Promise<string> {
  const file = join(workdir, name);
  await writeFile(file, typeof document === "string" ? document : JSON.stringify(document, null, 2));
  return file;
}

function cli(args: string[], options: { mcpConfig?: string; dataDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return runCli([...args, "--mcp-config", options.mcpConfig ?? mcpFile, "--data-dir", options.dataDir ?? "data"], { cwd: workdir, env: options.env ?? env(), timeoutMs: TIMEOUT });
}

/** Every file under a folder, recursively. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), "agentsynth-servers-cli-"));
  sandbox = join(workdir, "box");
  // A folder name that appears nowhere else, so finding it in the store means the expanded env leaked.
  memoryDir = join(workdir, `memory-${randomUUID()}`);
  await mkdir(join(sandbox, "notes"), { recursive: true });
  await mkdir(memoryDir);
  await writeFile(join(sandbox, "notes", "todo.md"), "- renew the TLS certificate\n");
  await writeFile(join(sandbox, "inventory.csv"), "sku,name,quantity\nTENT-2P,Two-person tent,4\n");
  await writeFile(join(sandbox, "README.md"), "# Sandbox\n");
  mcpFile = await writeConfig("mcp.json", { mcpServers: { memory: memoryEntry(), filesystem: filesystemEntry() } });
});
afterAll(async () => rm(workdir, { recursive: true, force: true }));

describe("agentsynth servers with server-memory and server-filesystem", () => {
  it("servers sync imports 23 tools from the 2 servers", { timeout: TIMEOUT }, async () => {
    const result = await cli(["servers", "sync"]);
    expect(result.stderr).not.toMatch(/not loaded|error/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`servers of ${mcpFile}`);
    expect(result.stdout).toMatch(/memory: 9 tools \(9 new, 0 updated, 0 unchanged, 0 stale\)/);
    expect(result.stdout).toMatch(/filesystem: 14 tools \(14 new, 0 updated, 0 unchanged, 0 stale\)/);
    expect(result.stdout).toContain("23 tools from 2 servers");
    expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
  });

  it("tools list --source real --json prints the 23 tool records with their provenance", { timeout: TIMEOUT }, async () => {
    const result = await cli(["tools", "list", "--source", "real", "--json"]);
    expect(result.code).toBe(0);
    const tools = ToolRecordSchema.array().parse(JSON.parse(result.stdout));
    expect(tools).toHaveLength(23);
    const byConfig = { memory: tools.filter((tool) => tool.origin.configName === "memory"), filesystem: tools.filter((tool) => tool.origin.configName === "filesystem") };
    expect(byConfig.memory).toHaveLength(9);
    expect(byConfig.filesystem).toHaveLength(14);
    for (const tool of tools) {
      expect(tool.source).toBe("real");
      expect(tool.stale).toBe(false);
      expect(tool.origin).toMatchObject({ transport: "stdio", originalName: tool.name, serverName: expect.any(String), serverVersion: expect.any(String), protocolVersion: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
      expect(tool.origin.serverId).toMatch(/^srv_/);
      expect(tool.annotations).toBeDefined();
      expect(tool.inputSchema).toMatchObject({ type: "object" });
      expect(tool.domainId).toBeDefined();
    }
    expect(new Set(byConfig.memory.map((tool) => tool.origin.serverName)).size).toBe(1);
    expect(byConfig.filesystem.find((tool) => tool.name === "read_text_file")?.annotations?.readOnlyHint).toBe(true);
    expect(byConfig.filesystem.find((tool) => tool.name === "write_file")?.annotations?.readOnlyHint).toBe(false);
  });

  it("servers list shows both servers with their tool counts", { timeout: TIMEOUT }, async () => {
    const text = await cli(["servers", "list"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^memory\s+stdio\s+connected\s+9 tools/m);
    expect(text.stdout).toMatch(/^filesystem\s+stdio\s+connected\s+14 tools/m);
    const json = await cli(["servers", "list", "--json"]);
    const servers = JSON.parse(json.stdout) as Array<{ name: string; configured: boolean; status: string; toolCount: number; serverName?: string }>;
    expect(servers.map(({ name, configured, status, toolCount }) => ({ name, configured, status, toolCount }))).toEqual([
      { name: "memory", configured: true, status: "connected", toolCount: 9 },
      { name: "filesystem", configured: true, status: "connected", toolCount: 14 },
    ]);
  });

  it("a second sync finds nothing new: 0 new, 23 unchanged", { timeout: TIMEOUT }, async () => {
    const result = await cli(["servers", "sync"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/memory: 9 tools \(0 new, 0 updated, 9 unchanged, 0 stale\)/);
    expect(result.stdout).toMatch(/filesystem: 14 tools \(0 new, 0 updated, 14 unchanged, 0 stale\)/);
    expect(result.stdout).toContain("23 tools from 2 servers");
    const listed = await cli(["tools", "list", "--source", "real", "--json"]);
    expect(JSON.parse(listed.stdout)).toHaveLength(23);
  });

  it("expands ${VAR} in env from the environment and never writes the values into the data dir", { timeout: TIMEOUT }, async () => {
    const files = await filesUnder(join(workdir, "data"));
    expect(files.map((file) => file.slice(workdir.length + 1))).toEqual(expect.arrayContaining([join("data", "servers.json"), join("data", "tools.json")]));
    for (const file of files) {
      const content = await readFile(file, "utf8");
      expect({ file, leaksToken: content.includes(secret), leaksPath: content.includes(memoryDir) }).toEqual({ file, leaksToken: false, leaksPath: false });
    }
    const stored = JSON.parse(await readFile(join(workdir, "data", "servers.json"), "utf8")) as { records: unknown[] };
    const memory = ToolServerRecordSchema.array().parse(stored.records).find((record) => record.name === "memory");
    expect(memory?.envKeys.sort()).toEqual(["MEMORY_API_TOKEN", "MEMORY_FILE_PATH"]);
  });

  it("an entry whose ${VAR} is not set is reported by name and the others still sync", { timeout: TIMEOUT }, async () => {
    const result = await cli(["servers", "sync"], { dataDir: "data-unset", env: { SECRET_TOKEN: secret } });
    expect(result.stdout).toMatch(/memory: not loaded: .*\$\{MEM_DIR\}.*not set/);
    expect(result.stdout).toMatch(/filesystem: 14 tools/);
    expect(result.stdout).toContain("14 tools from 1 servers");
    expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
  });
});

describe("agentsynth servers sync with a broken entry", () => {
  let result: CliResult;
  let brokenFile: string;
  beforeAll(async () => {
    brokenFile = await writeConfig("mcp-broken.json", { mcpServers: { filesystem: filesystemEntry(), broken: { args: ["--nothing-to-start"] } } });
    result = await cli(["servers", "sync"], { mcpConfig: brokenFile, dataDir: "data-broken" });
  }, TIMEOUT);

  it("syncs the good server and reports the broken one by name", () => {
    expect(result.stdout).toMatch(/filesystem: 14 tools \(14 new/);
    expect(result.stdout).toMatch(/broken: not loaded: .*neither "command".*nor "url"/);
    expect(result.stdout).toContain("14 tools from 1 servers");
    expect(result.stderr).toContain(`MCP server "broken" in ${brokenFile} is not loaded`);
  });

  // BUG (reported): a configured server that could not be loaded is only printed; the exit code is 0, so a
  // script cannot tell that the sync was incomplete. serversCommand only exits 1 for servers whose
  // connection failed (report.servers), not for report.configErrors.
  it("exits 1 because a configured server was not synced", () => {
    expect(result.code).toBe(1);
  });
});

describe("agentsynth servers with a bad --mcp-config", () => {
  it("a missing file exits 2 with a message naming the file", { timeout: TIMEOUT }, async () => {
    const result = await cli(["servers", "sync"], { mcpConfig: "no-such-mcp.json", dataDir: "data-missing" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(join(workdir, "no-such-mcp.json"));
    expect(result.stderr).toContain("does not exist");
  });

  it("a file that is not JSON exits 2 naming the file", { timeout: TIMEOUT }, async () => {
    const file = await writeConfig("not-json.json", "{ mcpServers: oops");
    const result = await cli(["servers", "list"], { mcpConfig: file, dataDir: "data-not-json" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(file);
    expect(result.stderr).toContain("not valid JSON");
  });
});

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputError } from "../../src/errors/input-error.js";
import { loadMcpConfig, parseMcpConfig } from "../../src/registry/mcp-config.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

const FILE = "/configs/agent/mcp.json";

describe("parseMcpConfig", () => {
  it("reads stdio and remote entries in the shapes Claude Desktop, Cursor and Kimi CLI write", () => {
    const config = parseMcpConfig(
      {
        mcpServers: {
          local: { command: "node", args: ["server.js", "--flag"], env: { MODE: "test" } },
          cursor: { url: "https://mcp.example.com/mcp", headers: { Authorization: "Bearer abc" } },
          kimi: { url: "https://mcp.example.com/mcp", transport: "http" },
          typed: { type: "streamable-http", url: "http://127.0.0.1:3000/mcp" },
          legacy: { type: "sse", url: "http://127.0.0.1:3000/sse" },
          vscode: { type: "stdio", command: "uvx", args: ["mcp-server-git"] },
        },
      },
      { file: FILE, env: {} },
    );
    expect(config.errors).toEqual([]);
    expect(config.warnings).toEqual([]);
    expect(config.file).toBe(FILE);
    expect(config.servers.map((server) => [server.name, server.transport])).toEqual([
      ["local", "stdio"],
      ["cursor", "streamable-http"],
      ["kimi", "streamable-http"],
      ["typed", "streamable-http"],
      ["legacy", "sse"],
      ["vscode", "stdio"],
    ]);
    expect(config.servers[0]).toEqual({
      name: "local",
      transport: "stdio",
      command: "node",
      commandTemplate: "node",
      args: ["server.js", "--flag"],
      argsTemplate: ["server.js", "--flag"],
      env: { MODE: "test" },
      envKeys: ["MODE"],
      cwd: "/configs/agent",
      headers: {},
      headerKeys: [],
      trusted: false,
      secrets: [],
    });
    expect(config.servers[1]).toMatchObject({ url: "https://mcp.example.com/mcp", urlTemplate: "https://mcp.example.com/mcp", headers: { Authorization: "Bearer abc" }, headerKeys: ["Authorization"], args: [] });
  });

  it("expands ${VAR} and ${VAR:-default} everywhere a value may need it, and keeps the templates", () => {
    const config = parseMcpConfig(
      {
        mcpServers: {
          memory: {
            command: "${NODE_BIN:-node}",
            args: ["${AGENTSYNTH_DATA_DIR}/bin/server.js", "--name=${NAME:-anonymous}", "--empty=${EMPTY:-fallback}"],
            env: { MEMORY_FILE_PATH: "${AGENTSYNTH_DATA_DIR}/memory.jsonl", TOKEN: "${API_TOKEN}" },
            cwd: "${WORK}/run",
          },
          remote: { url: "https://${HOST}/mcp?key=${API_TOKEN}", headers: { "X-Api-Key": "${API_TOKEN}" } },
        },
      },
      { file: FILE, env: { API_TOKEN: "s3cret", HOST: "mcp.example.com", WORK: "/srv", EMPTY: "", AGENTSYNTH_DATA_DIR: "/ignored" }, variables: { AGENTSYNTH_DATA_DIR: "/data" } },
    );
    expect(config.errors).toEqual([]);
    const [memory, remote] = config.servers;
    expect(memory).toMatchObject({
      command: "node",
      args: ["/data/bin/server.js", "--name=anonymous", "--empty=fallback"],
      argsTemplate: ["${AGENTSYNTH_DATA_DIR}/bin/server.js", "--name=${NAME:-anonymous}", "--empty=${EMPTY:-fallback}"],
      env: { MEMORY_FILE_PATH: "/data/memory.jsonl", TOKEN: "s3cret" },
      envKeys: ["MEMORY_FILE_PATH", "TOKEN"],
      cwd: "/srv/run",
    });
    expect(remote).toMatchObject({ url: "https://mcp.example.com/mcp?key=s3cret", urlTemplate: "https://${HOST}/mcp?key=${API_TOKEN}", headers: { "X-Api-Key": "s3cret" } });
  });

  it("names as secrets every value read from the environment, header values and secret-named env values, but not our own variables or defaults", () => {
    const config = parseMcpConfig(
      {
        mcpServers: {
          innocent: {
            command: "node",
            args: ["--label=${LABEL}", "${AGENTSYNTH_DATA_DIR}/x", "--mode=${MODE:-plain-default}"],
            env: { FOO: "${OPENAI_API_KEY}", SERVICE_TOKEN: "literal-token-value", COLOUR: "blue-literal" },
          },
          remote: { url: "https://mcp.example.com/mcp", headers: { Authorization: "Bearer ${API_TOKEN}", "X-Trace": "trace-literal" } },
        },
      },
      { env: { OPENAI_API_KEY: 'sk-"quoted\\key"', LABEL: "team-alpha", API_TOKEN: "t0k3n" }, variables: { AGENTSYNTH_DATA_DIR: "/data" } },
    );
    const [innocent, remote] = config.servers;
    expect(new Set(innocent?.secrets)).toEqual(new Set(['sk-"quoted\\key"', "team-alpha", "literal-token-value"]));
    expect(new Set(remote?.secrets)).toEqual(new Set(["Bearer t0k3n", "t0k3n", "trace-literal"]));
    // Longest first, so a secret inside another never leaves the rest of the longer one behind.
    const lengths = remote?.secrets.map((secret) => secret.length) ?? [];
    expect(lengths).toEqual([...lengths].sort((a, b) => b - a));
  });

  it("reads trusted: true per entry; anything else leaves the server untrusted", () => {
    const config = parseMcpConfig({ mcpServers: { a: { command: "node", trusted: true }, b: { command: "node" }, c: { url: "http://127.0.0.1/mcp", trusted: "yes" } } }, { env: {} });
    expect(config.servers.map((server) => [server.name, server.trusted])).toEqual([
      ["a", true],
      ["b", false],
      ["c", false],
    ]);
    expect(config.warnings).toEqual(['server "c": field "trusted" is not a boolean and is ignored']);
  });

  it("reports an entry that uses an unset variable, and still loads the others", () => {
    const config = parseMcpConfig(
      { mcpServers: { needs_key: { command: "node", env: { KEY: "${MISSING_KEY}" } }, fine: { command: "node" } } },
      { env: {} },
    );
    expect(config.servers.map((server) => server.name)).toEqual(["fine"]);
    expect(config.errors).toEqual([{ name: "needs_key", message: expect.stringContaining("${MISSING_KEY}, which is not set") }]);
    expect(config.errors[0]?.message).toContain('"env.KEY"');
  });

  it("reports each broken entry by name with what was expected", () => {
    const config = parseMcpConfig(
      {
        mcpServers: {
          nothing: { env: {} },
          both: { command: "node", url: "http://127.0.0.1/mcp" },
          numbered_args: { command: "node", args: ["a", 2] },
          env_number: { command: "node", env: { PORT: 8080 } },
          bad_url: { url: "not a url" },
          ftp_url: { url: "ftp://example.com/mcp" },
          unknown_type: { type: "websocket", url: "ws://127.0.0.1/mcp" },
          stdio_url: { type: "stdio", url: "http://127.0.0.1/mcp" },
          command_number: { command: 42 },
          not_object: "node server.js",
          ok: { command: "node" },
        },
      },
      { env: {} },
    );
    expect(config.servers.map((server) => server.name)).toEqual(["ok"]);
    const messages = Object.fromEntries(config.errors.map((issue) => [issue.name, issue.message]));
    expect(messages).toEqual({
      nothing: 'server "nothing" has neither "command" (a server to start) nor "url" (a remote server)',
      both: 'server "both" has both "command" and "url"; a server is either started (command) or remote (url)',
      numbered_args: 'server "numbered_args" "args" must be an array of strings, but item 1 is a number',
      env_number: 'server "env_number" "env.PORT" must be a string, got a number',
      bad_url: 'server "bad_url" "url" is not an http(s) URL: not a url',
      ftp_url: 'server "ftp_url" "url" is not an http(s) URL: ftp://example.com/mcp',
      unknown_type: 'server "unknown_type" has an unknown type "websocket"; expected one of "stdio", "http", "streamable-http", "sse"',
      stdio_url: 'server "stdio_url" has type "stdio" but no "command"',
      command_number: 'server "command_number" "command" must be a string, got a number',
      not_object: 'server "not_object" is not an object; expected {"command", "args", "env"} or {"url", "headers"}',
    });
  });

  it("warns about fields it does not use, naming the server and the field, and skips disabled servers", () => {
    const config = parseMcpConfig(
      {
        mcpServers: {
          cline: { command: "node", autoApprove: ["read"], alwaysAllow: [], timeout: 60, description: "Cline's shape", disabled: false },
          odd: { command: "node", colour: "blue", headers: { A: "b" } },
          off: { command: "node", disabled: true },
          remote: { url: "http://127.0.0.1/mcp", env: { A: "b" } },
        },
      },
      { env: {} },
    );
    expect(config.servers.map((server) => server.name)).toEqual(["cline", "odd", "remote"]);
    expect(config.errors).toEqual([]);
    expect(config.warnings).toEqual([
      'server "cline": field "autoApprove" is ignored (other MCP hosts use it; agentsynth does not)',
      'server "cline": field "alwaysAllow" is ignored (other MCP hosts use it; agentsynth does not)',
      'server "cline": field "timeout" is ignored (other MCP hosts use it; agentsynth does not)',
      'server "cline": field "description" is ignored (other MCP hosts use it; agentsynth does not)',
      'server "odd": unknown field "colour" is ignored',
      'server "odd": field "headers" is ignored (it applies to url servers only)',
      'server "off" is disabled ("disabled": true) and was skipped',
      'server "remote": field "env" is ignored (it applies to command servers only)',
    ]);
  });

  it("runs a stdio server in the config file's folder unless cwd says otherwise (relative to that folder)", () => {
    const config = parseMcpConfig({ mcpServers: { a: { command: "node" }, b: { command: "node", cwd: "tools" }, c: { command: "node", cwd: "/abs" } } }, { file: FILE, env: {} });
    expect(config.servers.map((server) => server.cwd)).toEqual(["/configs/agent", "/configs/agent/tools", "/abs"]);
  });

  it("throws InputError when there is no mcpServers object", () => {
    expect(() => parseMcpConfig([], {})).toThrow(InputError);
    expect(() => parseMcpConfig({ servers: {} }, { file: FILE })).toThrow(/has no "mcpServers" object \(it has "servers", the VS Code shape/);
    expect(() => parseMcpConfig({ mcpServers: [] }, {})).toThrow(/no "mcpServers" object/);
  });
});

describe("loadMcpConfig", () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "agentsynth-mcp-config-"));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("reads the shipped mcp.json: memory and filesystem under the data directory, relative to the repo", async () => {
    const config = await loadMcpConfig(join(REPO_ROOT, "mcp.json"), { env: {}, variables: { AGENTSYNTH_DATA_DIR: "/data" } });
    expect(config.errors).toEqual([]);
    expect(config.warnings).toEqual([]);
    const [memory, filesystem] = config.servers;
    expect(memory).toMatchObject({ name: "memory", command: "node", trusted: true, cwd: REPO_ROOT, env: { MEMORY_FILE_PATH: "/data/memory.jsonl" }, args: ["node_modules/@modelcontextprotocol/server-memory/dist/index.js"] });
    expect(filesystem).toMatchObject({ name: "filesystem", trusted: true, args: ["node_modules/@modelcontextprotocol/server-filesystem/dist/index.js", "/data/sandbox"], argsTemplate: ["node_modules/@modelcontextprotocol/server-filesystem/dist/index.js", "${AGENTSYNTH_DATA_DIR}/sandbox"] });
  });

  it("reports a missing, unreadable or malformed file with its path and what was expected", async () => {
    const missing = join(directory, "missing.json");
    await expect(loadMcpConfig(missing)).rejects.toThrow(new RegExp(`the MCP config ${missing} does not exist; expected \\{"mcpServers"`));
    await expect(loadMcpConfig(missing, { missingOk: true })).resolves.toEqual({ file: missing, servers: [], warnings: [], errors: [] });
    const broken = join(directory, "broken.json");
    await writeFile(broken, "{ mcpServers: ");
    await expect(loadMcpConfig(broken)).rejects.toThrow(new RegExp(`the MCP config ${broken} is not valid JSON`));
    const shapeless = join(directory, "shapeless.json");
    await writeFile(shapeless, JSON.stringify({ servers: [] }));
    await expect(loadMcpConfig(shapeless)).rejects.toThrow(InputError);
    await expect(loadMcpConfig(directory)).rejects.toThrow(/cannot be read \(EISDIR\)/);
  });
});

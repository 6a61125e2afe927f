import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ToolAnswer } from "../../src/domain/recording.js";
import { McpServers } from "../../src/pipeline/mcp-servers.js";
import { openWorkspace } from "../../src/pipeline/workspace.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/types.js";
import { createFixedClock } from "../../src/support/clock.js";
import { createSequentialIds } from "../../src/support/ids.js";
import { ToolExecutionConfigSchema } from "../../src/domain/config.js";
import { SMALL_CONFIG } from "../helpers/mcp-client.js";
import { REPO_ROOT, runCli } from "../helpers/run-cli.js";

const TEST_SERVER = join(REPO_ROOT, "test", "fixtures", "servers", "stdio-server.mjs");
/** A key with a quote, a backslash and a brace: its JSON-escaped form differs from it. */
const KEY = 'sk-"live"\\key{9f3a}';
const ESCAPED = JSON.stringify(KEY).slice(1, -1);
/** A value under an innocent name that is a secret only because it came from the environment. */
const REGION = "eu-west-7-private-cell";

let directory: string;
let mcpFile: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "agentsynth-secrets-"));
  mcpFile = join(directory, "mcp.json");
  await writeFile(
    mcpFile,
    JSON.stringify({
      mcpServers: {
        // Under an innocent-looking name, and in the args; the server prints FOO on stderr when it starts.
        echoer: { command: "node", args: [TEST_SERVER, "--stderr-env", "FOO", "--describe-echo", "${CELL}"], env: { FOO: "${OPENAI_API_KEY}" } },
        // A command that does not exist, built from the key: its error names the command.
        broken: { command: "/nonexistent/${OPENAI_API_KEY}/bin", args: ["--cell=${CELL}"] },
      },
    }),
  );
});
afterAll(async () => rm(directory, { recursive: true, force: true }));

/** Every form a leaked key could take in a file or an output. */
function expectNoSecret(text: string): void {
  expect(text).not.toContain(KEY);
  expect(text).not.toContain(ESCAPED);
  expect(text).not.toContain("key{9f3a}");
  expect(text).not.toContain(REGION);
}

async function storedText(dataDir: string): Promise<string> {
  const files = (await readdir(dataDir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  return (await Promise.all(files.map((file) => readFile(join(file.parentPath, file.name), "utf8")))).join("\n");
}

describe("secrets from ${…} expansions never reach the store, answers or output", () => {
  let store: Store;
  let servers: McpServers;
  beforeAll(async () => {
    store = await openStore({ dataDir: join(directory, "data") });
    const execution = ToolExecutionConfigSchema.parse({ reconnect: { attempts: 1 } });
    servers = await McpServers.open({ file: mcpFile, store, env: { OPENAI_API_KEY: KEY, CELL: REGION, PATH: process.env.PATH }, ids: createSequentialIds(), clock: createFixedClock(), execution });
  });
  afterAll(async () => {
    await servers.close();
    await store.close();
  });

  it("a live answer that echoes the key (raw, or inside JSON text) is redacted", async () => {
    const report = await servers.sync();
    expect(report.servers.map((server) => [server.name, server.status])).toEqual([
      ["echoer", "synced"],
      ["broken", "error"],
    ]);
    const live = servers.liveTools();
    const answers: ToolAnswer[] = [
      await live.call({ serverName: "echoer", toolName: "env", arguments: { name: "FOO" }, timeoutMs: 10_000 }),
      await live.call({ serverName: "echoer", toolName: "echo", arguments: { text: JSON.stringify({ leaked: KEY, cell: REGION }) }, timeoutMs: 10_000 }),
    ];
    expect(answers[0]?.content).toBe("[redacted]");
    expect(answers[1]?.result).toEqual({ leaked: "[redacted]", cell: "[redacted]" });
    expectNoSecret(JSON.stringify(answers));
    expectNoSecret(JSON.stringify(report));
  });

  it("the store holds the templates and variable names only", async () => {
    await store.close();
    const stored = await storedText(store.dataDir);
    expectNoSecret(stored);
    expect(stored).toContain("/nonexistent/${OPENAI_API_KEY}/bin");
    expect(stored).toContain("--cell=${CELL}");
    store = await openStore({ dataDir: join(directory, "data") });
  });
});

describe("agentsynth servers sync prints no expanded secret", () => {
  it("on stdout or stderr, for a server that works and one that fails", async () => {
    const result = await runCli(["servers", "sync", "--mcp-config", mcpFile, "--data-dir", join(directory, "cli-data")], { cwd: directory, env: { OPENAI_API_KEY: KEY, CELL: REGION }, timeoutMs: 60_000 });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/broken: failed: server "broken" could not be started: command "\/nonexistent\/\[redacted\]\/bin" was not found/);
    expectNoSecret(result.stdout);
    expectNoSecret(result.stderr);
    expectNoSecret(await storedText(join(directory, "cli-data")));
  }, 60_000);
});

describe("an inline apiKey in the pipeline config", () => {
  it("is stored as *** in the run record, never as written", async () => {
    const dataDir = join(directory, "inline-key");
    const workspace = await openWorkspace({
      dataDir,
      config: { ...SMALL_CONFIG, models: { default: { provider: "offline", model: "offline", apiKey: KEY }, judge: { apiKey: KEY } } },
      exportRoot: join(directory, "inline-out"),
      env: {},
    });
    try {
      await workspace.runPipeline({});
      const [run] = await workspace.store.runs.all();
      expect(run?.config.models.default.apiKey).toBe("***");
      expect(run?.config.models.judge?.apiKey).toBe("***");
    } finally {
      await workspace.close();
    }
    expectNoSecret(await storedText(dataDir));
    expectNoSecret(await storedText(join(directory, "inline-out")));
  }, 60_000);
});

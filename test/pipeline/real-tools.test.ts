import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ToolExecutionConfigSchema } from "../../src/domain/config.js";
import type { EpisodeRecord, ToolStep } from "../../src/domain/episode.js";
import type { ToolRecord } from "../../src/domain/tool.js";
import type { ModelRequest } from "../../src/model/language-model.js";
import { prepareLiveExecution } from "../../src/pipeline/live-execution.js";
import { McpServers } from "../../src/pipeline/mcp-servers.js";
import { simulateEpisode } from "../../src/simulate/simulate-episode.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/types.js";
import { createFixedClock } from "../../src/support/clock.js";
import { createSequentialIds } from "../../src/support/ids.js";
import { makeAgent, makeTask } from "../helpers/records.js";
import { fingerprint } from "../helpers/fingerprint.js";
import { REPO_ROOT } from "../helpers/run-cli.js";
import { createScriptedModel } from "../helpers/scripted-model.js";
import { createTestEnv } from "../helpers/stage-env.js";

const BIN = (name: string): string => join(REPO_ROOT, "node_modules", "@modelcontextprotocol", `server-${name}`, "dist", "index.js");
const TEST_SERVER = join(REPO_ROOT, "test", "fixtures", "servers", "stdio-server.mjs");
const SECRET = "tok-5d1e8a93c7b24f06";
const LIMITS = { maxTurns: 2, maxSteps: 40, maxToolCallsPerTurn: 10 };


describe("real tools in episodes", () => {
  let directory: string;
  let sandbox: string;
  let memoryFile: string;
  let store: Store;
  let servers: McpServers;
  const ids = createSequentialIds();
  const clock = createFixedClock("2026-11-21T10:00:00.000Z", 1000);
  const execution = ToolExecutionConfigSchema.parse({ overrides: { flaky: "real" }, callTimeoutMs: 1500, reconnect: { attempts: 2, initialDelayMs: 10, maxDelayMs: 50 } });

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "agentsynth-real-tools-"));
    sandbox = join(directory, "sandbox");
    memoryFile = join(directory, "memory.jsonl");
    await mkdir(join(sandbox, "notes"), { recursive: true });
    await writeFile(join(sandbox, "notes", "chores.md"), "- renew the TLS certificate\n- water the plants\n");
    await writeFile(join(sandbox, "inventory.csv"), "sku,name,quantity\nTENT-2P,Two-person tent,4\n");
    await writeFile(memoryFile, `${JSON.stringify({ type: "entity", name: "Ada", entityType: "person", observations: ["likes tea"] })}\n`);
    const mcpFile = join(directory, "mcp.json");
    await writeFile(
      mcpFile,
      JSON.stringify({
        mcpServers: {
          memory: { trusted: true, command: process.execPath, args: [BIN("memory")], env: { MEMORY_FILE_PATH: memoryFile } },
          filesystem: { trusted: true, command: process.execPath, args: [BIN("filesystem"), sandbox] },
          flaky: { command: process.execPath, args: [TEST_SERVER], env: { SERVICE_TOKEN: SECRET } },
        },
      }),
    );
    store = await openStore({ dataDir: join(directory, "data") });
    servers = await McpServers.open({ file: mcpFile, store, env: { PATH: process.env.PATH }, ids, clock, execution });
    const report = await servers.sync();
    expect(report.servers.map((server) => [server.name, server.status])).toEqual([
      ["memory", "synced"],
      ["filesystem", "synced"],
      ["flaky", "synced"],
    ]);
  }, 60_000);

  afterEach(async () => {
    await servers.close();
    await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  /** One episode: the user asks once, the agent makes `calls` in one turn, then answers; the user stops. */
  async function runEpisode(calls: Array<{ name: string; arguments: Record<string, unknown> }>, options: { replay?: boolean; seed?: number } = {}): Promise<EpisodeRecord> {
    const all = await store.tools.all();
    const tools = calls.map(({ name }) => all.find((tool) => tool.name === name)).filter((tool): tool is ToolRecord => tool !== undefined);
    expect(tools.map((tool) => tool.name)).toEqual(calls.map((call) => call.name));
    const agentModel = createScriptedModel((request: ModelRequest) =>
      request.messages.at(-1)?.role === "user" ? { toolCalls: calls.map((call) => ({ name: call.name, arguments: JSON.stringify(call.arguments) })) } : { content: "Here is what I found." },
    );
    const userModel = createScriptedModel((_request, index) => (index === 0 ? { message: "Please look into my files and notes.", stop: false } : { message: "Thanks, that is all.", stop: true }));
    const env = createTestEnv({ agent: agentModel, userSimulator: userModel });
    const agent = makeAgent(tools, { systemPrompt: "You manage the user's files and notes." });
    const task = makeTask(agent, { initialState: {}, expectedTools: [], hiddenFacts: [] });
    const live = await prepareLiveExecution({ store, servers, execution: { ...execution, replay: options.replay ?? false }, tools, ids, clock });
    return simulateEpisode(env, { task, agent, tools, index: 0, seed: options.seed ?? 1, limits: LIMITS, live });
  }

  const toolSteps = (episode: EpisodeRecord): ToolStep[] => episode.steps.flatMap((step) => (step.tool ? [step.tool] : []));
  const toolResult = (episode: EpisodeRecord, toolName: string): string => {
    const step = toolSteps(episode).find((each) => each.toolName === toolName);
    const message = episode.messages.find((each) => each.role === "tool" && each.tool_call_id === step?.toolCallId);
    return message?.role === "tool" ? message.content : "";
  };

  it("runs read-only tools live and simulates writing ones, leaving the folder and the memory file untouched", async () => {
    const before = { sandbox: await fingerprint(sandbox), memory: await readFile(memoryFile, "utf8") };
    const episode = await runEpisode([
      { name: "read_text_file", arguments: { path: join(sandbox, "notes", "chores.md") } },
      { name: "write_file", arguments: { path: join(sandbox, "notes", "chores.md"), content: "overwritten" } },
      { name: "move_file", arguments: { source: join(sandbox, "inventory.csv"), destination: join(sandbox, "gone.csv") } },
      { name: "read_graph", arguments: {} },
      { name: "delete_entities", arguments: { entityNames: ["Ada"] } },
    ]);
    expect(toolSteps(episode).map((step) => [step.toolName, step.execution])).toEqual([
      ["read_text_file", "real"],
      ["write_file", "simulated"],
      ["move_file", "simulated"],
      ["read_graph", "real"],
      ["delete_entities", "simulated"],
    ]);
    expect(toolResult(episode, "read_text_file")).toContain("renew the TLS certificate");
    expect(toolResult(episode, "read_graph")).toContain("likes tea");
    expect(await fingerprint(sandbox)).toEqual(before.sandbox);
    expect(await readFile(memoryFile, "utf8")).toBe(before.memory);
    expect(existsSync(join(sandbox, "gone.csv"))).toBe(false);

    const recordings = await store.recordings.find(() => true);
    expect(recordings.map((recording) => [recording.originalName, recording.serverName])).toEqual([
      ["read_text_file", "filesystem"],
      ["read_graph", "memory"],
    ]);
    const realSteps = toolSteps(episode).filter((step) => step.execution === "real");
    expect(realSteps.map((step) => step.recordingId)).toEqual(recordings.map((recording) => recording.id));
  }, 60_000);

  it("answers a call whose server crashes with the tool simulator, labelled fallback, and reconnects for the next call", async () => {
    const episode = await runEpisode([
      { name: "crash", arguments: {} },
      { name: "echo", arguments: { text: "still here" } },
    ]);
    const [crash, echo] = toolSteps(episode);
    expect(crash).toMatchObject({ toolName: "crash", execution: "fallback" });
    expect(crash?.fallbackReason).toMatch(/flaky/);
    expect(echo).toMatchObject({ toolName: "echo", execution: "real", outcome: "ok" });
    expect(toolResult(episode, "echo")).toBe("still here");
    expect(episode.status).toBe("completed");
    expect(episode.labels).toContain("real_call_fallback");
  }, 60_000);

  it("answers a call whose server hangs with the tool simulator after the timeout; the episode is kept", async () => {
    const episode = await runEpisode([{ name: "hang", arguments: {} }, { name: "echo", arguments: { text: "after the hang" } }]);
    const [hang, echo] = toolSteps(episode);
    expect(hang).toMatchObject({ toolName: "hang", execution: "fallback" });
    expect(hang?.fallbackReason).toMatch(/timed out/);
    expect(echo).toMatchObject({ execution: "real", outcome: "ok" });
    expect(episode.status).toBe("completed");
    expect(episode.labels).toContain("real_call_fallback");
  }, 60_000);

  it("replays a recorded answer for the same arguments without calling the server", async () => {
    const path = join(sandbox, "inventory.csv");
    const first = await runEpisode([{ name: "read_text_file", arguments: { path } }]);
    expect(toolSteps(first)[0]?.execution).toBe("real");
    await writeFile(path, "sku,name,quantity\nCHANGED,after the recording,0\n");
    const replayed = await runEpisode([{ name: "read_text_file", arguments: { path } }], { replay: true });
    expect(toolSteps(replayed)[0]).toMatchObject({ execution: "recorded", recordingId: toolSteps(first)[0]?.recordingId });
    expect(toolResult(replayed, "read_text_file")).toContain("TENT-2P");
    const other = await runEpisode([{ name: "read_text_file", arguments: { path: join(sandbox, "notes", "chores.md") } }], { replay: true });
    expect(toolSteps(other)[0]?.execution).toBe("real");
  }, 60_000);

  it("shows the tool simulator recorded real calls of a tool it simulates", async () => {
    await runEpisode([{ name: "read_graph", arguments: {} }]);
    const simulator = createScriptedModel(() => ({ result: { entities: [], relations: [] }, isError: false, stateUpdate: [] }));
    const all = await store.tools.all();
    const readGraph = all.find((tool) => tool.name === "read_graph") as ToolRecord;
    const agent = makeAgent([readGraph]);
    const env = createTestEnv({
      toolSimulator: simulator,
      agent: createScriptedModel((request) => (request.messages.at(-1)?.role === "user" ? { toolCalls: [{ name: "read_graph", arguments: "{}" }] } : { content: "done" })),
      userSimulator: createScriptedModel((_request, index) => (index === 0 ? { message: "Show me the graph.", stop: false } : { message: "ok", stop: true })),
    });
    const live = await prepareLiveExecution({ store, servers, execution: { ...execution, overrides: { memory: "simulated" } }, tools: [readGraph], ids, clock });
    const episode = await simulateEpisode(env, { task: makeTask(agent, { initialState: {}, expectedTools: [], hiddenFacts: [] }), agent, tools: [readGraph], index: 0, seed: 3, limits: LIMITS, live });
    expect(toolSteps(episode)[0]?.execution).toBe("simulated");
    const prompt = simulator.requests[0]?.messages.map((message) => (typeof message.content === "string" ? message.content : "")).join("\n") ?? "";
    expect(prompt).toContain("likes tea");
  }, 60_000);

  it("re-syncs on tools/list_changed, and calls a tool by its original name when the agent uses the portable one", async () => {
    await servers.liveTools().call({ serverName: "flaky", toolName: "add_tool", arguments: { name: "weather.get forecast" }, timeoutMs: 5000 });
    let added: ToolRecord | undefined;
    for (let attempt = 0; attempt < 100 && !added; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      added = (await store.tools.find((tool) => tool.origin.originalName === "weather.get forecast"))[0];
    }
    expect(added).toMatchObject({ name: "weather_get_forecast", source: "real", origin: { configName: "flaky", originalName: "weather.get forecast" } });
    const episode = await runEpisode([{ name: "weather_get_forecast", arguments: {} }]);
    expect(toolSteps(episode)[0]).toMatchObject({ toolName: "weather_get_forecast", execution: "real", outcome: "ok" });
    expect(toolResult(episode, "weather_get_forecast")).toBe("weather.get forecast");
  }, 60_000);

  it("never lets a secret a server echoes into the episode or the recordings", async () => {
    const episode = await runEpisode([{ name: "env", arguments: { name: "SERVICE_TOKEN" } }]);
    expect(toolSteps(episode)[0]).toMatchObject({ execution: "real", outcome: "ok" });
    expect(toolResult(episode, "env")).toBe("[redacted]");
    expect(JSON.stringify(episode)).not.toContain(SECRET);
    expect(JSON.stringify(await store.recordings.find(() => true))).not.toContain(SECRET);
  }, 60_000);
});

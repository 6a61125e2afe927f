import { mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelRequestError } from "../../src/errors/model-request-error.js";
import { encodeCursor } from "../../src/pipeline/paginate.js";
import { createScriptedModel } from "../helpers/scripted-model.js";
import { openTestHost, seedTasks, structuredOf, textOf, type TestHost } from "../helpers/mcp-client.js";
import { snapshotDirectory } from "../helpers/store-snapshot.js";

let host: TestHost;
let datasetId: string;
let taskId: string;
beforeAll(async () => {
  host = await openTestHost();
  const result = await host.workspace.runPipeline({});
  datasetId = result.datasetId;
  taskId = (await host.workspace.listTasks())[0]?.id as string;
  await mkdir(join(host.directory, "elsewhere"), { recursive: true });
  await mkdir(host.workspace.exportRoot, { recursive: true });
  await symlink(join(host.directory, "elsewhere"), join(host.workspace.exportRoot, "link"));
});
afterAll(async () => host.close());

/** Each bad call: the tool, its arguments, and what the error text must say. */
const BAD_CALLS: Array<[string, string, () => Record<string, unknown>, RegExp[]]> = [
  ["invalid arguments: wrong type", "simulate", () => ({ taskIds: "tsk_1" }), [/taskIds/, /expected array/]],
  ["invalid arguments: out of range", "evolve_domains", () => ({ count: 0 }), [/count/, />=1|too small/i]],
  ["invalid arguments: missing field", "create_task", () => ({ agentId: "agt_1", persona: { name: "A", style: "b" }, rubric: { criteria: [{ id: "x", kind: "llm", description: "d" }] } }), [/goal/]],
  ["invalid arguments: unknown enum value", "export_dataset", () => ({ datasetId, format: "csv", path: "x.jsonl" }), [/format/]],
  ["invalid arguments: limit too large", "list_tools", () => ({ limit: 1000 }), [/limit/]],
  ["unknown tool", "get_tool", () => ({ tool: "no_such_tool" }), [/NOT_FOUND/, /no_such_tool/, /list_tools/]],
  ["unknown episode", "get_episode", () => ({ episodeId: "ep_nope" }), [/NOT_FOUND/, /ep_nope/, /list_episodes/]],
  ["unknown task to simulate", "simulate", () => ({ taskIds: ["tsk_nope"] }), [/NOT_FOUND/, /tsk_nope/, /create_task/]],
  ["unknown episode to judge", "judge", () => ({ episodeIds: ["ep_nope"] }), [/NOT_FOUND/, /ep_nope/]],
  ["unknown run to filter", "filter", () => ({ runId: "run_nope" }), [/NOT_FOUND/, /run_nope/]],
  ["unknown dataset to export", "export_dataset", () => ({ datasetId: "ds_nope", path: "x.jsonl" }), [/NOT_FOUND/, /ds_nope/, /filter/]],
  ["unknown task to update", "update_task", () => ({ taskId: "tsk_nope", goal: "Something else entirely." }), [/NOT_FOUND/, /tsk_nope/]],
  ["an update with nothing to change", "update_task", () => ({ taskId }), [/nothing to update/]],
  ["unknown tools for an agent", "create_agent", () => ({ name: "A", systemPrompt: "You help.", tools: ["nope_a", "nope_b"] }), [/nope_a, nope_b/, /list_tools/]],
  ["a task naming tools its agent lacks", "create_task", () => ({ agentId: "agt_1", goal: "Do a thing.", persona: { name: "A", style: "b" }, expectedTools: ["teleport"], rubric: { criteria: [{ id: "x", kind: "llm", description: "d" }] } }), [/teleport/, /agent's tools/]],
  ["unknown task to start an episode", "start_episode", () => ({ taskId: "tsk_nope" }), [/NOT_FOUND/, /tsk_nope/]],
  ["unknown live episode", "send_user_message", () => ({ episodeId: "ep_nope", message: "hi" }), [/NOT_FOUND/, /live episode/, /start_episode/]],
  ["ending an unknown episode", "end_episode", () => ({ episodeId: "ep_nope" }), [/NOT_FOUND/, /start_episode/]],
  ["a cursor that was never given out", "list_tools", () => ({ cursor: "bogus" }), [/cursor "bogus" does not exist/, /without a cursor/]],
  ["a cursor of a record that is not in the list", "list_episodes", () => ({ cursor: encodeCursor("ep_999") }), [/does not exist/]],
  ["an export path above the root", "export_dataset", () => ({ datasetId, path: "../escape.jsonl" }), [/outside the allowed export root/, /--out/]],
  ["an absolute export path elsewhere", "export_dataset", () => ({ datasetId, path: "/tmp/agentsynth-escape.jsonl" }), [/outside the allowed export root/]],
  ["an export path through a symlink that leaves the root", "export_dataset", () => ({ datasetId, path: "link/train.jsonl" }), [/outside the allowed export root/]],
  ["an output directory outside the root", "run_pipeline", () => ({ out: "../elsewhere" }), [/outside the allowed export root/]],
  ["a config file that does not exist", "run_pipeline", () => ({ configFile: "/no/such/config.json" }), [/CONFIG_INVALID/, /does not exist/]],
];

describe("bad input", () => {
  it.each(BAD_CALLS)("%s: %s is an isError result that says what was wrong", async (_label, tool, args, patterns) => {
    const before = await snapshotDirectory(host.workspace.dataDir);
    const exportsBefore = await snapshotDirectory(host.directory);
    const result = await host.call(tool, args());
    expect(result.isError).toBe(true);
    const text = textOf(result);
    if (process.env.SHOW_TEXTS) console.log(`${tool}: ${text}`);
    for (const pattern of patterns) expect(text).toMatch(pattern);
    expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
    expect(await snapshotDirectory(host.workspace.dataDir)).toEqual(before);
    expect(await snapshotDirectory(host.directory)).toEqual(exportsBefore);
    // The server keeps serving.
    expect((await host.call("get_stats")).isError).toBeFalsy();
  });

  it("a tool that fails inside returns the reason and the server keeps serving", async () => {
    const failing = await openTestHost({
      models: { judge: createScriptedModel(() => new ModelRequestError("judge endpoint answered 503 Service Unavailable", { kind: "http_error", status: 503, attempts: 5, purpose: "judge", retryable: true })) },
    });
    try {
      await seedTasks(failing.workspace);
      const simulated = structuredOf<{ episodeIds: string[] }>(await failing.call("simulate", {}));
      const result = await failing.call("judge", { episodeIds: simulated.episodeIds });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/MODEL_REQUEST_FAILED: judge endpoint answered 503/);
      expect(textOf(result)).toMatch(/run is marked failed/);
      const runs = await failing.workspace.store.runs.all();
      expect(runs.at(-1)).toMatchObject({ stage: "judge", status: "failed" });
      expect((await failing.call("list_episodes", {})).isError).toBeFalsy();
    } finally {
      await failing.close();
    }
  });
});

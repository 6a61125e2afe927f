import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestHost, type TestHost } from "../helpers/mcp-client.js";

let host: TestHost;
let ids: { episode: string; task: string; agent: string; tool: string; dataset: string };
beforeAll(async () => {
  host = await openTestHost();
  const result = await host.workspace.runPipeline({});
  const [episode] = await host.workspace.store.episodes.find(() => true);
  const [task] = await host.workspace.listTasks();
  const [agent] = await host.workspace.listAgents();
  const [tool] = await host.workspace.listToolNames();
  ids = { episode: episode?.id as string, task: task?.id as string, agent: agent?.id as string, tool: tool as string, dataset: result.datasetId };
});
afterAll(async () => host.close());

async function readJson(uri: string): Promise<unknown> {
  const { contents } = await host.client.readResource({ uri });
  const [first] = contents;
  expect(first).toMatchObject({ uri, mimeType: "application/json" });
  return JSON.parse(first && "text" in first ? first.text : "null");
}

describe("resources", () => {
  it("lists a template per record kind and the stats resource", async () => {
    const { resourceTemplates } = await host.client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate).sort()).toEqual([
      "agentsynth://agents/{id}",
      "agentsynth://datasets/{id}",
      "agentsynth://episodes/{id}",
      "agentsynth://judgments/{id}",
      "agentsynth://tasks/{id}",
      "agentsynth://tools/{name}",
    ]);
    const { resources } = await host.client.listResources();
    const uris = resources.map((resource) => resource.uri);
    expect(uris).toContain("agentsynth://stats");
    for (const uri of [`agentsynth://episodes/${ids.episode}`, `agentsynth://tasks/${ids.task}`, `agentsynth://agents/${ids.agent}`, `agentsynth://tools/${ids.tool}`, `agentsynth://datasets/${ids.dataset}`]) {
      expect(uris).toContain(uri);
    }
    expect(resources.every((resource) => resource.mimeType === "application/json")).toBe(true);
  });

  it("reads every kind of record as JSON", async () => {
    expect(await readJson(`agentsynth://episodes/${ids.episode}`)).toEqual(await host.workspace.getEpisode(ids.episode));
    expect(await readJson(`agentsynth://tasks/${ids.task}`)).toEqual(await host.workspace.getTask(ids.task));
    expect(await readJson(`agentsynth://agents/${ids.agent}`)).toEqual(await host.workspace.getAgent(ids.agent));
    expect(await readJson(`agentsynth://tools/${ids.tool}`)).toEqual(await host.workspace.getTool(ids.tool));
    expect(await readJson(`agentsynth://datasets/${ids.dataset}`)).toEqual(await host.workspace.getDataset(ids.dataset));
    expect(await readJson("agentsynth://stats")).toEqual(await host.workspace.getStats());
  });

  it("completes template arguments from the store", async () => {
    const complete = async (uri: string, name: string, value: string) => (await host.client.complete({ ref: { type: "ref/resource", uri }, argument: { name, value } })).completion.values;
    expect(await complete("agentsynth://episodes/{id}", "id", "ep_")).toContain(ids.episode);
    expect(await complete("agentsynth://tasks/{id}", "id", "tsk")).toEqual((await host.workspace.listTasks()).map((task) => task.id));
    expect(await complete("agentsynth://agents/{id}", "id", ids.agent)).toEqual([ids.agent]);
    expect(await complete("agentsynth://tools/{name}", "name", ids.tool.slice(0, 4))).toContain(ids.tool);
    expect(await complete("agentsynth://datasets/{id}", "id", "")).toEqual([ids.dataset]);
    expect(await complete("agentsynth://tasks/{id}", "id", "zzz")).toEqual([]);
  });

  it("an unknown id is an error that says how to find valid ones", async () => {
    await expect(host.client.readResource({ uri: "agentsynth://tasks/tsk_nope" })).rejects.toThrow(/no task with id "tsk_nope".*create_task/);
    await expect(host.client.readResource({ uri: "agentsynth://episodes/ep_nope" })).rejects.toThrow(/list_episodes/);
    expect((await host.client.listResources()).resources.length).toBeGreaterThan(0);
  });
});

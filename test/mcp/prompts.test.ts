import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestHost, type TestHost } from "../helpers/mcp-client.js";

let host: TestHost;
let episodeId: string;
let taskId: string;
let domainName: string;
beforeAll(async () => {
  host = await openTestHost();
  await host.workspace.runPipeline({});
  const [episode] = await host.workspace.store.episodes.find(() => true);
  episodeId = episode?.id as string;
  taskId = episode?.taskId as string;
  domainName = (await host.workspace.listDomains())[0]?.name as string;
});
afterAll(async () => host.close());

function textOfPrompt(result: Awaited<ReturnType<TestHost["client"]["getPrompt"]>>): string {
  return result.messages.map((message) => (message.content.type === "text" ? message.content.text : "")).join("\n");
}

describe("prompts", () => {
  it("lists the three authoring prompts with their arguments", async () => {
    const { prompts } = await host.client.listPrompts();
    expect(prompts.map((prompt) => [prompt.name, prompt.arguments?.map((argument) => [argument.name, argument.required])])).toEqual([
      ["author_scenario", [["domain", true], ["difficulty", false]]],
      ["review_episode", [["episodeId", true]]],
      ["design_rubric", [["taskId", true]]],
    ]);
  });

  it("author_scenario walks through create_agent, create_task, a 3-episode preview and review", async () => {
    const result = await host.client.getPrompt({ name: "author_scenario", arguments: { domain: domainName, difficulty: "hard" } });
    const text = textOfPrompt(result);
    for (const step of ["create_agent", "create_task", "episodesPerTask 3", "get_episode", "judge", "update_task", "export_dataset"]) expect(text).toContain(step);
    const [tool] = (await host.workspace.listTools({ domain: domainName })).items;
    expect(text).toContain(tool?.name);
    expect(text).toContain("hard difficulty");

    const missing = textOfPrompt(await host.client.getPrompt({ name: "author_scenario", arguments: { domain: "space_tourism" } }));
    expect(missing).toContain("evolve_domains");
    expect(missing).toContain("medium difficulty");
  });

  it("review_episode embeds the episode as a resource", async () => {
    const result = await host.client.getPrompt({ name: "review_episode", arguments: { episodeId } });
    expect(textOfPrompt(result)).toContain(`Review episode ${episodeId}`);
    const embedded = result.messages.find((message) => message.content.type === "resource")?.content;
    expect(embedded?.type === "resource" && embedded.resource.uri).toBe(`agentsynth://episodes/${episodeId}`);
    expect(embedded?.type === "resource" && "text" in embedded.resource ? JSON.parse(embedded.resource.text) : undefined).toEqual(await host.workspace.getEpisode(episodeId));
  });

  it("design_rubric shows the task, the agent's tools and how to save with update_task", async () => {
    const text = textOfPrompt(await host.client.getPrompt({ name: "design_rubric", arguments: { taskId } }));
    const task = await host.workspace.getTask(taskId);
    expect(text).toContain(task.goal);
    expect(text).toContain(`update_task with taskId "${taskId}"`);
    expect(text).toContain("tool_called");
  });

  it("completes prompt arguments", async () => {
    const complete = async (name: string, argument: string, value: string) => (await host.client.complete({ ref: { type: "ref/prompt", name }, argument: { name: argument, value } })).completion.values;
    expect(await complete("review_episode", "episodeId", "ep_")).toContain(episodeId);
    expect(await complete("design_rubric", "taskId", "tsk")).toContain(taskId);
    expect(await complete("author_scenario", "domain", domainName.slice(0, 3))).toContain(domainName);
    expect(await complete("author_scenario", "difficulty", "h")).toEqual(["hard"]);
  });

  it("an unknown id is an invalid-params error that says how to find valid ones", async () => {
    await expect(host.client.getPrompt({ name: "review_episode", arguments: { episodeId: "ep_nope" } })).rejects.toThrow(/no episode with id "ep_nope".*list_episodes/);
    await expect(host.client.getPrompt({ name: "design_rubric", arguments: { taskId: "tsk_nope" } })).rejects.toThrow(/no task with id "tsk_nope"/);
  });
});

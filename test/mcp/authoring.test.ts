import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentRecord } from "../../src/domain/agent.js";
import type { EpisodeRecord } from "../../src/domain/episode.js";
import type { TaskRecord } from "../../src/domain/task.js";
import type { ToolSummary } from "../../src/domain/summaries.js";
import { checkOpenAIRecord } from "../helpers/check-openai-record.js";
import { openTestHost, structuredOf, type TestHost } from "../helpers/mcp-client.js";

let host: TestHost;
beforeAll(async () => {
  host = await openTestHost();
});
afterAll(async () => host.close());

describe("authoring a scenario as a host would", () => {
  it("create_agent → create_task → simulate 3 → get_episode (and as a resource) → judge → filter → export_dataset", async () => {
    // The registry: grow a domain into tools.
    const { domains } = structuredOf<{ domains: Array<{ id: string }> }>(await host.call("evolve_domains", { count: 1 }));
    const domainId = domains[0]?.id as string;
    await host.call("synthesize_tools", { domainIds: [domainId], perDomain: 5 });
    const { items: tools } = structuredOf<{ items: ToolSummary[] }>(await host.call("list_tools", { domain: domainId }));
    const lookup = tools.find((tool) => tool.readOnly) ?? (tools[0] as ToolSummary);

    const agent = structuredOf<AgentRecord>(
      await host.call("create_agent", {
        name: "Scenario desk",
        systemPrompt: "You are the service desk of the organisation. Look records up before changing them, confirm changes with the user, and never invent ids.",
        tools: tools.slice(0, 4).map((tool) => tool.name),
      }),
    );
    const task = structuredOf<TaskRecord>(
      await host.call("create_task", {
        agentId: agent.id,
        goal: "I need to check on one of my records and have it updated today.",
        persona: { name: "Jonas", style: "brief and direct", expertise: "novice", patience: "low" },
        hiddenFacts: [{ key: "email", value: "jonas@example.com", description: "your email address" }],
        rubric: {
          passThreshold: 0.5,
          criteria: [
            { id: "looked-up", kind: "rule", description: `${lookup.name} was called`, check: { type: "tool_called", tool: lookup.name } },
            { id: "no-invented-ids", kind: "rule", description: "No fabricated ids", check: { type: "no_fabricated_ids" } },
            { id: "helpful", kind: "llm", description: "The assistant told the user the outcome." },
          ],
        },
        difficulty: "medium",
        expectedTools: [lookup.name],
      }),
    );

    const progress: Progress[] = [];
    const simulated = structuredOf<{ runId: string; episodeIds: string[]; summary: { episodes: number } }>(
      await host.call("simulate", { taskIds: [task.id], episodesPerTask: 3 }, { onprogress: (event) => progress.push(event) }),
    );
    expect(simulated.summary.episodes).toBe(3);
    expect(progress.map((event) => event.progress)).toEqual([1, 2, 3]);
    expect(progress.every((event) => event.total === 3)).toBe(true);

    const episodeId = simulated.episodeIds[0] as string;
    const episode = structuredOf<EpisodeRecord>(await host.call("get_episode", { episodeId }));
    expect(episode).toMatchObject({ id: episodeId, taskId: task.id, agentId: agent.id, runId: simulated.runId });
    const resource = await host.client.readResource({ uri: `agentsynth://episodes/${episodeId}` });
    const [contents] = resource.contents;
    expect(contents).toMatchObject({ uri: `agentsynth://episodes/${episodeId}`, mimeType: "application/json" });
    expect(JSON.parse(contents && "text" in contents ? contents.text : "{}")).toEqual(episode);

    const judged = structuredOf<{ judgmentIds: string[]; summary: { judged: number } }>(await host.call("judge", { runId: simulated.runId }));
    expect(judged.summary.judged).toBe(3);

    const dataset = structuredOf<{ id: string; kept: number; rejected: number; keptEpisodeIds: string[] }>(
      await host.call("filter", { runId: simulated.runId, minScore: 0, requirePass: false, name: "scenario-preview" }),
    );
    expect(dataset.kept + dataset.rejected).toBe(3);
    expect(dataset.kept).toBeGreaterThan(0);

    const exported = structuredOf<{ path: string; cardPath: string; records: number }>(await host.call("export_dataset", { datasetId: dataset.id, format: "openai", path: "scenario/train.jsonl" }));
    expect(exported.path).toBe(join(host.workspace.exportRoot, "scenario", "train.jsonl"));
    expect(exported.records).toBe(dataset.kept);
    const lines = (await readFile(exported.path, "utf8")).trimEnd().split("\n");
    expect(lines).toHaveLength(dataset.kept);
    for (const line of lines) expect(checkOpenAIRecord(JSON.parse(line))).toEqual([]);
    expect(existsSync(exported.cardPath)).toBe(true);
    expect(await readFile(exported.cardPath, "utf8")).toContain("# scenario-preview");
    expect((await host.workspace.getDataset(dataset.id)).exports).toEqual([expect.objectContaining({ path: exported.path, records: dataset.kept })]);
  });
});

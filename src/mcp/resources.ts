import { ResourceTemplate, type McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Variables } from "@modelcontextprotocol/sdk/shared/uriTemplate.js";
import { McpError, type ReadResourceResult, type Resource } from "@modelcontextprotocol/sdk/types.js";
import { AgentsynthError } from "../errors/agentsynth-error.js";
import type { Workspace } from "../pipeline/workspace.js";
import { describeToolError } from "./error-text.js";
import { truncate } from "./render.js";

/** Resources listed per template; the list tools page through everything. */
export const RESOURCE_LIST_LIMIT = 200;
/** Completions returned per request (the protocol's maximum). */
const COMPLETION_LIMIT = 100;
/** JSON-RPC error code the MCP spec gives a resource that does not exist. */
const RESOURCE_NOT_FOUND = -32002;

interface RecordResource {
  name: string;
  template: string;
  title: string;
  description: string;
  /** Resources to list: uri variable value and a display name. */
  list: () => Promise<Array<{ key: string; name: string }>>;
  /** Candidate values for completing the variable. */
  keys: () => Promise<string[]>;
  read: (key: string) => Promise<unknown>;
}

/**
 * Stored records as resources (`agentsynth://episodes/{id}`, …) with listing and completion, plus
 * `agentsynth://stats` and `agentsynth://report` (where the newest dataset's report is; `reportUrl` when served over HTTP).
 */
export function registerResources(server: McpServer, workspace: Workspace, reportUrl?: string): void {
  const resources: RecordResource[] = [
    {
      name: "episode",
      template: "agentsynth://episodes/{id}",
      title: "Episode",
      description: "A stored episode: messages with tool calls, per-step metadata, world state, end reason, labels.",
      list: async () => (await workspace.recentEpisodeIds(RESOURCE_LIST_LIMIT)).map((id) => ({ key: id, name: `episode ${id}` })),
      keys: () => workspace.recentEpisodeIds(Number.MAX_SAFE_INTEGER),
      read: (id) => workspace.getEpisode(id),
    },
    {
      name: "judgment",
      template: "agentsynth://judgments/{id}",
      title: "Judgment",
      description: "A judgment of an episode: verdict, score, reason codes, per-criterion scores and rationales, format checks and default rules with evidence, the committee's answers.",
      list: async () => (await workspace.recentJudgmentIds(RESOURCE_LIST_LIMIT)).map((id) => ({ key: id, name: `judgment ${id}` })),
      keys: () => workspace.recentJudgmentIds(Number.MAX_SAFE_INTEGER),
      read: (id) => workspace.getJudgment({ judgmentId: id }),
    },
    {
      name: "task",
      template: "agentsynth://tasks/{id}",
      title: "Task",
      description: "A task: goal, persona, hidden facts, initial world state and rubric.",
      list: async () => (await workspace.listTasks()).map((task) => ({ key: task.id, name: truncate(task.goal, 80) })),
      keys: async () => (await workspace.listTasks()).map((task) => task.id),
      read: (id) => workspace.getTask(id),
    },
    {
      name: "agent",
      template: "agentsynth://agents/{id}",
      title: "Agent",
      description: "An agent: system prompt, toolset and behaviour profile.",
      list: async () => (await workspace.listAgents()).map((agent) => ({ key: agent.id, name: agent.name })),
      keys: async () => (await workspace.listAgents()).map((agent) => agent.id),
      read: (id) => workspace.getAgent(id),
    },
    {
      name: "tool",
      template: "agentsynth://tools/{name}",
      title: "Tool",
      description: "A tool of the registry: description, input and output schemas, annotations, provenance.",
      list: async () => (await workspace.listToolNames()).map((name) => ({ key: name, name })),
      keys: () => workspace.listToolNames(),
      read: (name) => workspace.getTool(name),
    },
    {
      name: "dataset",
      template: "agentsynth://datasets/{id}",
      title: "Dataset",
      description: "A filtered dataset: kept episode ids, rejections with reasons, exports.",
      list: async () => (await workspace.listDatasets()).map((dataset) => ({ key: dataset.id, name: dataset.name })),
      keys: async () => (await workspace.listDatasets()).map((dataset) => dataset.id),
      read: (id) => workspace.getDataset(id),
    },
  ];
  for (const resource of resources) registerRecordResource(server, resource);

  server.registerResource(
    "stats",
    "agentsynth://stats",
    { title: "Statistics", description: "Counts per stage, verdicts, rejection reasons, runs and token usage per role.", mimeType: "application/json" },
    async (uri) => jsonContents(uri.href, await workspace.getStats()),
  );

  server.registerResource(
    "report",
    "agentsynth://report",
    {
      title: "Dataset report",
      description: "Where the HTML report of the newest dataset is (index.html, a file:// URL, and the /report URL over HTTP) and whether it is written; write_report writes it.",
      mimeType: "application/json",
    },
    async (uri) => {
      const location = await workspace.locateReport();
      return jsonContents(uri.href, reportUrl ? { ...location, httpUrl: reportUrl } : location);
    },
  );
}

function registerRecordResource(server: McpServer, resource: RecordResource): void {
  const variable = resource.template.slice(resource.template.indexOf("{") + 1, -1);
  const prefix = resource.template.slice(0, resource.template.indexOf("{"));
  const template = new ResourceTemplate(resource.template, {
    list: async () => ({
      resources: (await resource.list()).slice(0, RESOURCE_LIST_LIMIT).map(({ key, name }): Resource => ({ uri: `${prefix}${key}`, name, mimeType: "application/json" })),
    }),
    complete: {
      [variable]: async (value) => (await resource.keys()).filter((key) => key.startsWith(value)).slice(0, COMPLETION_LIMIT),
    },
  });
  server.registerResource(resource.name, template, { title: resource.title, description: resource.description, mimeType: "application/json" }, async (uri, variables) => {
    const key = readVariable(variables, variable);
    try {
      return jsonContents(uri.href, await resource.read(key));
    } catch (error) {
      if (error instanceof AgentsynthError) throw new McpError(RESOURCE_NOT_FOUND, `Resource ${uri.href} cannot be read: ${describeToolError(error)}`);
      throw error;
    }
  });
}

function readVariable(variables: Variables, name: string): string {
  const value = variables[name];
  return decodeURIComponent(Array.isArray(value) ? (value[0] ?? "") : (value ?? ""));
}

function jsonContents(uri: string, value: unknown): ReadResourceResult {
  return { contents: [{ uri, mimeType: "application/json", text: JSON.stringify(value, null, 2) }] };
}

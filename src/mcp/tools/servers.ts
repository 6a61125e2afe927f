import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { Workspace } from "../../pipeline/workspace.js";
import type { SyncReport } from "../../domain/summaries.js";
import { ServerStatusSchema, SyncServersOutputSchema } from "../output-schemas.js";
import { defineTool, READ_ONLY } from "../tool-kit.js";
import { describeSyncReport } from "../../pipeline/render-sync-report.js";

const serverName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "1-64 characters from [A-Za-z0-9_.-]");
const stringMap = z.record(z.string(), z.string());

/** Third-party MCP servers: add, list, remove and sync the servers real tools come from. */
export function registerServerTools(server: McpServer, workspace: Workspace): void {
  defineTool(
    server,
    "add_mcp_server",
    {
      title: "Add an MCP server",
      description:
        "Add a third-party MCP server to the MCP config and sync its tools. remote: url (headers, type); stdio: command (args, env, cwd), only if the server was started with --allow-server-edits. Give values as they are: ${VAR} of the server's environment is refused.",
      input: z.object({
        name: serverName,
        command: z.string().min(1).optional(),
        args: z.array(z.string()).optional(),
        env: stringMap.optional(),
        cwd: z.string().min(1).optional(),
        url: z.url().optional(),
        headers: stringMap.optional(),
        type: z.enum(["http", "streamable-http", "sse"]).optional(),
      }),
      output: SyncServersOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    async (args, context) => {
      const report = await workspace.addServer(args, context);
      return { structured: report, text: renderSync(report) };
    },
  );

  defineTool(
    server,
    "list_mcp_servers",
    {
      title: "List MCP servers",
      description: "Configured and stored MCP servers: transport, status, tool count, last error.",
      input: z.object({}),
      output: z.object({ configFile: z.string(), servers: z.array(ServerStatusSchema) }),
      annotations: READ_ONLY,
    },
    async () => {
      const servers = await workspace.listServers();
      const lines = servers.map((entry) => `- ${entry.name} (${entry.transport}): ${entry.status}, ${entry.toolCount} tools${entry.lastError ? `; last error: ${entry.lastError}` : ""}`);
      return { structured: { configFile: workspace.mcpConfigFile, servers }, text: servers.length ? lines.join("\n") : `no MCP servers in ${workspace.mcpConfigFile}` };
    },
  );

  defineTool(
    server,
    "remove_mcp_server",
    {
      title: "Remove an MCP server",
      description: "Remove a server from the MCP config. Its tools stay, marked stale: old episodes stay valid, new agents do not get them.",
      input: z.object({ name: z.string().min(1) }),
      output: z.object({ name: z.string(), staleTools: z.number().int() }),
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ name }) => {
      const result = await workspace.removeServer(name);
      return { structured: result, text: `removed ${result.name}; ${result.staleTools} tool(s) marked stale` };
    },
  );

  defineTool(
    server,
    "sync_mcp_servers",
    {
      title: "Sync MCP servers",
      description: "Sync the configured MCP servers (all or the named ones): new tools added, changed ones updated, vanished ones marked stale. A failing server is reported; the others still sync.",
      input: z.object({ names: z.array(z.string().min(1)).min(1).optional().describe("default: all") }),
      output: SyncServersOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    async ({ names }, context) => {
      const report = await workspace.syncServers({ names }, context);
      return { structured: report, text: renderSync(report) };
    },
  );
}

function renderSync(report: SyncReport): string {
  const lines = describeSyncReport(report).map((line) => `- ${line}`);
  return lines.length ? lines.join("\n") : "no MCP servers configured";
}

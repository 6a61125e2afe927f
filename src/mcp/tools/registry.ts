import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { ToolRecordSchema, ToolSourceSchema } from "../../domain/tool.js";
import type { ToolSummary } from "../../domain/summaries.js";
import type { Workspace } from "../../pipeline/workspace.js";
import { pageInput } from "../input-schemas.js";
import { ImportToolsOutputSchema, pageOf, ToolSummarySchema } from "../output-schemas.js";
import { renderMore, truncate } from "../render.js";
import { defineTool, READ_ONLY } from "../tool-kit.js";

/** The tool registry: list, read and import tools. */
export function registerRegistryTools(server: McpServer, workspace: Workspace): void {
  defineTool(
    server,
    "list_tools",
    {
      title: "List tools",
      description: "List registry tools (real, synthetic, imported), filtered and paginated.",
      input: z.object({
        source: ToolSourceSchema.optional(),
        domain: z.string().min(1).optional().describe("domain id or name"),
        server: z.string().min(1).optional().describe("MCP server id or name"),
        text: z.string().min(1).optional().describe("text in the name or description"),
        ...pageInput,
      }),
      output: pageOf(ToolSummarySchema),
      annotations: READ_ONLY,
    },
    async ({ cursor, limit, ...filter }) => {
      const page = await workspace.listTools(filter, { cursor, limit });
      return { structured: page, text: renderToolList(page.items, page.nextCursor) };
    },
  );

  defineTool(
    server,
    "get_tool",
    {
      title: "Get a tool",
      description: "One tool: description, input and output schemas, annotations, provenance.",
      input: z.object({ tool: z.string().min(1).describe("id or name") }),
      output: ToolRecordSchema,
      annotations: READ_ONLY,
    },
    async ({ tool }) => {
      const record = await workspace.getTool(tool);
      return { structured: record, text: `${record.name} (${record.source}, ${record.id}): ${record.description}\ninput schema: ${JSON.stringify(record.inputSchema)}` };
    },
  );

  defineTool(
    server,
    "import_tools",
    {
      title: "Import tools",
      description:
        "Import tool specs (OpenAI function specs, an MCP tools/list result, or a catalog [{server, category, tools}]) from a file or inline. Tools go into `domain` (created if new), else their category's domain, else a domain named after the file. Unusable specs are skipped with the reason; re-importing adds nothing.",
      input: z.object({
        file: z.string().min(1).optional().describe("JSON file of tool specs"),
        specs: z.union([z.array(z.record(z.string(), z.unknown())), z.record(z.string(), z.unknown())]).optional().describe("the specs, instead of file"),
        domain: z.string().min(1).optional().describe("domain id or name; a new name creates it"),
      }),
      output: ImportToolsOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async (args) => {
      const result = await workspace.importTools(args);
      const skipped = result.skipped.map((entry) => `\n- skipped ${entry.name}: ${entry.reason}`).join("");
      const into = result.domain ? ` into domain ${result.domain.name} (${result.domain.id}${result.domain.created ? ", new" : ""})` : "";
      return { structured: result, text: `imported ${result.imported.length} tool(s)${into}: ${result.imported.map((tool) => tool.name).join(", ") || "none"}${skipped}` };
    },
  );
}

function renderToolList(tools: readonly ToolSummary[], nextCursor: string | undefined): string {
  if (tools.length === 0) return "no tools match";
  const lines = tools.map((tool) => `- ${tool.name} [${tool.source}${tool.domainId ? `, ${tool.domainId}` : ""}${tool.serverName ? `, ${tool.serverName}` : ""}] ${truncate(tool.description, 100)}`);
  return `${tools.length} tool(s):\n${lines.join("\n")}${renderMore(nextCursor)}`;
}


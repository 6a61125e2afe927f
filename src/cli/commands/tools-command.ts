import { ToolSourceSchema, type ToolRecord } from "../../domain/tool.js";
import { InputError } from "../../errors/input-error.js";
import type { ImportToolsResult } from "../../pipeline/import-tools.js";
import type { Workspace } from "../../pipeline/workspace.js";
import type { CliIo } from "../io.js";
import type { CliCommand } from "../command.js";
import { JSON_FLAG } from "../common-flags.js";
import { withWorkspace } from "./with-workspace.js";

export interface ToolsCommandOptions {
  action: string | undefined;
  args: string[];
  source?: string | undefined;
  domain?: string | undefined;
  json: boolean;
}

/** `agentsynth tools import FILE` and `agentsynth tools list`. */
export async function toolsCommand(workspace: Workspace, options: ToolsCommandOptions, io: CliIo): Promise<number> {
  switch (options.action) {
    case "import": {
      const [file, ...extra] = options.args;
      if (file === undefined || extra.length > 0) throw new InputError("tools import takes one file: agentsynth tools import FILE");
      const result = await workspace.importTools({ file, domain: options.domain });
      io.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : renderImport(result));
      return 0;
    }
    case "list": {
      if (options.args.length > 0) throw new InputError(`tools list takes no positional arguments, got: ${options.args.join(" ")}`);
      const source = options.source === undefined ? undefined : ToolSourceSchema.safeParse(options.source);
      if (source && !source.success) throw new InputError(`--source: expected one of ${ToolSourceSchema.options.join(", ")}, got "${options.source}"`);
      const tools = await workspace.findTools({ ...(source?.data ? { source: source.data } : {}), ...(options.domain ? { domain: options.domain } : {}) });
      io.stdout.write(options.json ? `${JSON.stringify(tools, null, 2)}\n` : renderTools(tools));
      return 0;
    }
    default:
      throw new InputError(`tools: expected "import FILE" or "list", got ${options.action === undefined ? "nothing" : `"${options.action}"`}`);
  }
}

function renderImport(result: ImportToolsResult): string {
  const categories = result.domains.filter((domain) => domain.id !== result.domain?.id).length;
  const into = result.domain ? `; into domain ${result.domain.name} (${result.domain.created ? "new" : result.domain.id})` : "";
  const lines = [`imported ${result.imported.length} tools, skipped ${result.skipped.length}${categories ? `; ${categories} category domains` : ""}${into}`];
  for (const skipped of result.skipped) lines.push(`  skipped ${skipped.name}: ${skipped.reason}`);
  return `${lines.join("\n")}\n`;
}

function renderTools(tools: readonly ToolRecord[]): string {
  if (tools.length === 0) return "no tools\n";
  const lines = tools.map((tool) => {
    const where = tool.origin.configName ?? tool.origin.serverName ?? tool.domainId ?? "";
    const hints = tool.annotations?.readOnlyHint ? " read-only" : tool.annotations?.destructiveHint ? " destructive" : "";
    return `${tool.source.padEnd(9)} ${tool.name.padEnd(32)} ${where}${hints}${tool.stale ? " (stale)" : ""}`;
  });
  return `${lines.join("\n")}\n${tools.length} tools\n`;
}

export const toolsImportCommand: CliCommand = {
  name: "tools import",
  positionals: { usage: "FILE", min: 1, max: 1 },
  flags: { domain: { type: "string", value: "ID|NAME", description: "put the tools in this domain (id or name; a new name creates it; default: one per catalog category, else one named after the file)" }, json: JSON_FLAG },
  description: "Import OpenAI function specs, an MCP tools/list result or a server catalog (categories become domains); prints each\nskipped spec with its reason.",
  run: (args, io) => withWorkspace(args, io, (workspace) => toolsCommand(workspace, { action: "import", args: args.positionals, domain: args.string("domain"), json: args.boolean("json") }, io)),
};

export const toolsListCommand: CliCommand = {
  name: "tools list",
  flags: {
    source: { type: "string", value: "S", description: "only real, synthetic or imported tools" },
    domain: { type: "string", value: "D", description: "only this domain (id or name)" },
    json: JSON_FLAG,
  },
  description: "Print the registry (--json: the tool records with their provenance).",
  run: (args, io) => withWorkspace(args, io, (workspace) => toolsCommand(workspace, { action: "list", args: [], source: args.string("source"), domain: args.string("domain"), json: args.boolean("json") }, io)),
};

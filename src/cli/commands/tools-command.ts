import { ToolSourceSchema, type ToolRecord } from "../../domain/tool.js";
import { InputError } from "../../errors/input-error.js";
import type { ImportToolsResult } from "../../pipeline/import-tools.js";
import type { Workspace } from "../../pipeline/workspace.js";
import type { CliIo } from "../io.js";

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

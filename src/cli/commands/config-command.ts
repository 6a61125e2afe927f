import { join, resolve } from "node:path";
import { InputError } from "../../errors/input-error.js";
import { packageRoot } from "../../pipeline/package-paths.js";
import type { CliCommand } from "../command.js";
import type { CliIo } from "../io.js";

export const HOSTS = ["claude", "kimi", "vscode", "cursor"] as const;
export type HostName = (typeof HOSTS)[number];

export interface ConfigCommandOptions {
  host?: string | undefined;
  dataDir: string;
  config?: string | undefined;
  mcpConfig?: string | undefined;
  out?: string | undefined;
}

const WHERE: Record<HostName, string> = {
  claude: "Add it to claude_desktop_config.json (Claude Desktop → Settings → Developer → Edit Config), then restart Claude Desktop.",
  kimi: "Save it as a file, e.g. agentsynth.mcp.json, and start Kimi CLI with: kimi --mcp-config-file agentsynth.mcp.json",
  vscode: "Add it to .vscode/mcp.json in your workspace (or the user mcp.json: MCP: Open User Configuration).",
  cursor: "Add it to ~/.cursor/mcp.json (all projects) or .cursor/mcp.json in a project.",
};

/** `agentsynth config --host H`: the JSON snippet that makes host H launch agentsynth over stdio, with absolute paths. */
export function configCommand(options: ConfigCommandOptions, io: CliIo): number {
  const host = parseHost(options.host);
  io.stdout.write(`${JSON.stringify(renderHostConfig(host, options), null, 2)}\n`);
  io.stderr.write(`${WHERE[host]}\n`);
  return 0;
}

export function renderHostConfig(host: HostName, options: Omit<ConfigCommandOptions, "host">): Record<string, unknown> {
  const args = [
    join(packageRoot(), "dist", "src", "cli", "main.js"),
    "serve",
    "--data-dir",
    resolve(options.dataDir),
    "--out",
    resolve(options.out ?? "out"),
    ...(options.config ? ["--config", resolve(options.config)] : []),
    ...(options.mcpConfig ? ["--mcp-config", resolve(options.mcpConfig)] : []),
  ];
  const server = { command: process.execPath, args };
  return host === "vscode" ? { servers: { agentsynth: { type: "stdio", ...server } } } : { mcpServers: { agentsynth: server } };
}

function parseHost(host: string | undefined): HostName {
  if (host === undefined) throw new InputError(`config needs --host: one of ${HOSTS.join(", ")}`);
  if (!(HOSTS as readonly string[]).includes(host)) throw new InputError(`--host: unknown host "${host}"; expected one of ${HOSTS.join(", ")}`);
  return host as HostName;
}

export const configCliCommand: CliCommand = {
  name: "config",
  flags: {
    host: { type: "string", value: "H", required: true, description: `the MCP host: ${HOSTS.join(", ")}` },
    out: { type: "string", value: "DIR", description: "the export root the server gets (default ./out)" },
  },
  description: "Print the JSON that makes that MCP host launch `agentsynth serve` (absolute paths).",
  run: (args, io) => configCommand({ host: args.string("host"), dataDir: args.dataDir, config: args.config, mcpConfig: args.mcpConfig, out: args.string("out") }, io),
};

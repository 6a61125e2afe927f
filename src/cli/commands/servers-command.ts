import { InputError } from "../../errors/input-error.js";
import type { Workspace } from "../../pipeline/workspace.js";
import type { ServerStatus, SyncReport } from "../../domain/summaries.js";
import { createProgressBar } from "../progress-bar.js";
import type { CliIo } from "../io.js";
import type { CliCommand } from "../command.js";
import { JSON_FLAG } from "../common-flags.js";
import { withWorkspace } from "./with-workspace.js";
import { describeSyncReport } from "../../pipeline/render-sync-report.js";

export interface ServersCommandOptions {
  action: string | undefined;
  args: string[];
  json: boolean;
}

/** `agentsynth servers sync [NAME…]` and `agentsynth servers list`. Exit 1 when a server failed to sync or its entry could not be loaded. */
export async function serversCommand(workspace: Workspace, options: ServersCommandOptions, io: CliIo): Promise<number> {
  switch (options.action) {
    case "sync": {
      const progress = createProgressBar(io.stderr);
      let report: SyncReport;
      try {
        report = await workspace.syncServers(options.args.length > 0 ? { names: options.args } : {}, { signal: io.signal, onProgress: (event) => progress.update({ stage: "servers", ...event }) });
      } finally {
        progress.finish();
      }
      io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderSync(report, workspace.mcpConfigFile));
      return report.servers.some((server) => server.status === "error") || report.configErrors.length > 0 ? 1 : 0;
    }
    case "list": {
      if (options.args.length > 0) throw new InputError(`servers list takes no positional arguments, got: ${options.args.join(" ")}`);
      const servers = await workspace.listServers();
      io.stdout.write(options.json ? `${JSON.stringify(servers, null, 2)}\n` : renderList(servers, workspace.mcpConfigFile));
      return 0;
    }
    default:
      throw new InputError(`servers: expected "sync [NAME…]" or "list", got ${options.action === undefined ? "nothing" : `"${options.action}"`}`);
  }
}

function renderSync(report: SyncReport, file: string): string {
  const lines = [`servers of ${file}:`, ...describeSyncReport(report).map((line) => `  ${line}`)];
  if (report.servers.length === 0 && report.configErrors.length === 0) lines.push("  none configured");
  const tools = report.servers.reduce((sum, server) => sum + server.toolCount, 0);
  lines.push(`${tools} tools from ${report.servers.filter((server) => server.status === "synced").length} servers`);
  return `${lines.join("\n")}\n`;
}

function renderList(servers: readonly ServerStatus[], file: string): string {
  if (servers.length === 0) return `no MCP servers in ${file}\n`;
  const lines = servers.map((server) => {
    const version = server.serverName ? ` ${server.serverName}@${server.serverVersion ?? "?"}` : "";
    const error = server.lastError ? ` — ${server.lastError}` : "";
    return `${server.name.padEnd(16)} ${server.transport.padEnd(15)} ${server.status.padEnd(9)} ${String(server.toolCount).padStart(4)} tools${version}${server.configured ? "" : " (not in the config)"}${error}`;
  });
  return `${lines.join("\n")}\n`;
}

export const serversSyncCommand: CliCommand = {
  name: "servers sync",
  positionals: { usage: "[NAME…]", min: 0, max: Number.POSITIVE_INFINITY },
  flags: { json: JSON_FLAG },
  description: "Connect to the servers of the MCP config (all, or the named ones), list their tools and update the registry; exit 1\nwhen a server failed (the others still sync).",
  run: (args, io) => withWorkspace(args, io, (workspace) => serversCommand(workspace, { action: "sync", args: args.positionals, json: args.boolean("json") }, io)),
};

export const serversListCommand: CliCommand = {
  name: "servers list",
  flags: { json: JSON_FLAG },
  description: "Show each server's transport, status, tool count and last error.",
  run: (args, io) => withWorkspace(args, io, (workspace) => serversCommand(workspace, { action: "list", args: [], json: args.boolean("json") }, io)),
};

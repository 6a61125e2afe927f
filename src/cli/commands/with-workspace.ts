import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../../errors/input-error.js";
import { openWorkspace, type Workspace } from "../../pipeline/workspace.js";
import type { GlobalArgs } from "../command.js";
import type { CliIo } from "../io.js";

/**
 * Open the workspace of a data directory for one command, and close it whatever happens. `out` is the export
 * root (default ./out). Commands parse their flags first, so bad input never opens (or creates) a store.
 */
export async function withWorkspace(
  options: GlobalArgs,
  io: CliIo,
  command: (workspace: Workspace) => Promise<number>,
  extra: { out?: string | undefined; /** Refuse a data directory that does not exist (commands that work on stored records). */ requireStore?: boolean } = {},
): Promise<number> {
  if (extra.requireStore && !existsSync(options.dataDir)) throw new InputError(`there is no store in ${options.dataDir}: give --data-dir, or run \`agentsynth run\` first`);
  const workspace = await openWorkspace({
    dataDir: options.dataDir,
    configFile: options.config,
    mcpConfigFile: options.mcpConfig,
    exportRoot: resolve(extra.out ?? "out"),
    env: io.env,
    onWarning: (message) => io.stderr.write(`warning: ${message}\n`),
  });
  try {
    return await command(workspace);
  } finally {
    await workspace.close();
  }
}

import { openWorkspace, type Workspace } from "../../pipeline/workspace.js";
import type { CliIo } from "../io.js";

/** Open the workspace of a data directory for one command, and close it whatever happens. */
export async function withWorkspace(options: { dataDir: string; config?: string | undefined; mcpConfig?: string | undefined }, io: CliIo, command: (workspace: Workspace) => Promise<number>): Promise<number> {
  const workspace = await openWorkspace({
    dataDir: options.dataDir,
    configFile: options.config,
    mcpConfigFile: options.mcpConfig,
    env: io.env,
    onWarning: (message) => io.stderr.write(`warning: ${message}\n`),
  });
  try {
    return await command(workspace);
  } finally {
    await workspace.close();
  }
}

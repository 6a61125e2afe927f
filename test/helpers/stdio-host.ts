import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { CLI } from "./run-cli.js";

export interface StdioHost {
  client: Client;
  transport: StdioClientTransport;
  /** What the server wrote on stderr so far. */
  stderr(): string;
}

/**
 * The built CLI's `agentsynth serve` over stdio, started in `directory` as a host would start it (config
 * `pipeline.json`, data in `data/`, exports in `exports/`), with a real SDK client connected to it; or the
 * command and arguments a host's configuration names (`launch`).
 */
export async function connectStdioHost(directory: string, name: string, options: { onError?: (error: Error) => void; launch?: { command: string; args: string[] } } = {}): Promise<StdioHost> {
  let stderr = "";
  const launch = options.launch ?? { command: process.execPath, args: [CLI, "serve", "--config", "pipeline.json", "--data-dir", "data", "--out", "exports"] };
  const transport = new StdioClientTransport({
    ...launch,
    cwd: directory,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
    stderr: "pipe",
  });
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name, version: "1.0.0" });
  if (options.onError) client.onerror = options.onError;
  await client.connect(transport);
  return { client, transport, stderr: () => stderr };
}

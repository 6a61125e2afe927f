import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { createServer } from "../src/mcp/create-server.js";
import { openWorkspace } from "../src/pipeline/workspace.js";

export interface BenchHost {
  /** Calls a tool as a host does and returns the milliseconds it took; a tool error fails the benchmark. */
  time(name: string, args?: Record<string, unknown>): Promise<{ milliseconds: number; result: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** Our MCP server on a data directory, with a real SDK client over linked in-memory transports. */
export async function openBenchHost(directory: string, dataDir: string): Promise<BenchHost> {
  const mcpConfigFile = join(directory, "mcp.json");
  await writeFile(mcpConfigFile, JSON.stringify({ mcpServers: {} }));
  const workspace = await openWorkspace({ dataDir, mcpConfigFile, exportRoot: join(directory, "out"), env: {} });
  const { server, cleanup } = createServer(workspace);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client({ name: "agentsynth-bench", version: "1.0.0" });
  await client.connect(clientTransport);
  return {
    async time(name, args = {}) {
      const started = performance.now();
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
      const milliseconds = performance.now() - started;
      if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
      return { milliseconds, result: result.structuredContent as Record<string, unknown> };
    },
    async close() {
      await client.close();
      await cleanup();
      await workspace.close();
    },
  };
}

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { Ajv, type ValidateFunction } from "ajv";
import type { ModelRole } from "../../src/domain/common.js";
import type { PipelineConfigInput } from "../../src/domain/config.js";
import type { LanguageModel } from "../../src/model/language-model.js";
import { createServer } from "../../src/mcp/create-server.js";
import { openWorkspace, type OpenWorkspaceOptions, type Workspace } from "../../src/pipeline/workspace.js";
import { createFixedClock } from "../../src/support/clock.js";
import { createSequentialIds } from "../../src/support/ids.js";

/** A small config so tests run in a second or two on the offline engine. */
export const SMALL_CONFIG: PipelineConfigInput = {
  name: "mcp-test",
  seed: 11,
  domains: { count: 2 },
  tools: { perDomain: 4 },
  agents: { count: 2, minTools: 3, maxTools: 4 },
  tasks: { count: 3 },
  simulation: { episodesPerTask: 1, maxTurns: 6, maxSteps: 40, maxToolCallsPerTurn: 6, concurrency: 2 },
  judge: { concurrency: 2 },
};

export interface TestHost {
  client: Client;
  workspace: Workspace;
  directory: string;
  /** Call a tool and check its structuredContent against the tool's advertised output schema. */
  call(name: string, args?: Record<string, unknown>, options?: Parameters<Client["callTool"]>[2]): Promise<CallToolResult>;
  close(): Promise<void>;
}

/**
 * A real SDK client wired to a real server over linked in-memory transports, on a workspace in a temp
 * directory (offline engine unless `models` replaces a role).
 */
export async function openTestHost(
  options: {
    config?: PipelineConfigInput;
    models?: Partial<Record<ModelRole, LanguageModel>>;
    mcpServers?: Record<string, unknown>;
    /** Options of the workspace as `serve` sets them (read roots, server edits). */
    workspace?: Pick<OpenWorkspaceOptions, "readRoots" | "allowServerEdits" | "env">;
  } = {},
): Promise<TestHost> {
  const directory = await mkdtemp(join(tmpdir(), "agentsynth-mcp-"));
  const mcpConfigFile = join(directory, "mcp.json");
  await writeFile(mcpConfigFile, JSON.stringify({ mcpServers: options.mcpServers ?? {} }));
  const workspace = await openWorkspace({
    mcpConfigFile,
    dataDir: join(directory, "data"),
    config: options.config ?? SMALL_CONFIG,
    exportRoot: join(directory, "out"),
    env: {},
    ...options.workspace,
    ids: createSequentialIds(),
    clock: createFixedClock("2026-01-01T00:00:00.000Z", 1000),
    models: options.models,
  });
  const { server, cleanup } = createServer(workspace);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client({ name: "agentsynth-test-host", version: "1.0.0" });
  await client.connect(clientTransport);
  const validators = await compileOutputSchemas(client);
  return {
    client,
    workspace,
    directory,
    async call(name, args = {}, callOptions) {
      const result = (await client.callTool({ name, arguments: args }, undefined, callOptions)) as CallToolResult;
      if (!result.isError) assertValidOutput(validators, name, result);
      return result;
    },
    async close() {
      await client.close();
      await cleanup();
      await workspace.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function compileOutputSchemas(client: Client): Promise<Map<string, ValidateFunction>> {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const { tools } = await client.listTools();
  return new Map(tools.flatMap((tool) => (tool.outputSchema ? [[tool.name, ajv.compile(tool.outputSchema)] as const] : [])));
}

function assertValidOutput(validators: ReadonlyMap<string, ValidateFunction>, name: string, result: CallToolResult): void {
  const validate = validators.get(name);
  if (!validate) throw new Error(`tool ${name} advertises no output schema`);
  if (!validate(result.structuredContent)) throw new Error(`structuredContent of ${name} does not match its output schema: ${JSON.stringify(validate.errors?.slice(0, 5))}`);
  const text = result.content[0];
  if (text?.type !== "text" || text.text.trim() === "") throw new Error(`tool ${name} returned no text rendering in content`);
}

/** The text of a tool result's first content block. */
export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === "text" ? first.text : "";
}

/** The structured content of a successful result, typed by the caller. */
export function structuredOf<T>(result: CallToolResult): T {
  if (result.isError) throw new Error(`expected a successful result, got an error: ${textOf(result)}`);
  return result.structuredContent as T;
}

/** Fill a workspace's registry through its stages: a domain, its tools, an agent and `tasks` tasks. */
export async function seedTasks(workspace: Workspace, tasks = 2): Promise<string[]> {
  await workspace.evolveDomains({ count: 1 });
  await workspace.synthesizeTools({ perDomain: 4 });
  await workspace.generateAgents({ count: 1 });
  const generated = await workspace.generateTasks({ count: tasks });
  return generated.items.map((task) => task.id);
}

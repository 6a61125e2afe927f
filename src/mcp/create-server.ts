import { readFileSync } from "node:fs";
import { join } from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { packageRoot } from "../pipeline/package-paths.js";
import type { Workspace } from "../pipeline/workspace.js";
import { guardToolCalls } from "./argument-guard.js";
import { registerPrompts } from "./prompts.js";
import { registerResources } from "./resources.js";
import { registerGenerationTools } from "./tools/generation.js";
import { registerInspectionTools } from "./tools/inspection.js";
import { registerPipelineTools } from "./tools/pipeline.js";
import { registerQualityTools } from "./tools/quality.js";
import { registerCurateDatasetTool } from "./tools/curate-dataset.js";
import { registerRegistryTools } from "./tools/registry.js";
import { registerReportTools } from "./tools/report.js";
import { registerServerTools } from "./tools/servers.js";
import { getDefinedTools } from "./tool-kit.js";
import { serveToolList } from "./tool-list.js";
import { registerSimulationTools } from "./tools/simulation.js";

const INSTRUCTIONS = `agentsynth synthesizes agentic tool-use training data. Typical flow: list_tools (or evolve_domains → synthesize_tools, or import_tools) → create_agent / generate_agents → create_task / generate_tasks → simulate a few episodes → get_episode → judge → adjust with update_task → simulate more → filter → export_dataset. run_pipeline does everything in one call. Interactive episodes: start_episode → send_user_message … → end_episode. The prompts author_scenario, review_episode and design_rubric guide these steps. Long tools report progress and can be cancelled; records are also resources (agentsynth://episodes/{id}, tasks, agents, tools, datasets, stats). write_report writes a browsable HTML report of a dataset; agentsynth://report says where it is.`;

export interface CreatedServer {
  server: McpServer;
  /** Closes this server's connection. The workspace is not closed: it may serve other sessions. */
  cleanup: () => Promise<void>;
}

export interface CreateServerOptions {
  /** Where `serve --http` serves the dataset report (named by the agentsynth://report resource). */
  reportUrl?: string | undefined;
}

/** An MCP server over a workspace: every stage as a tool, stored records as resources, authoring prompts. */
export function createServer(workspace: Workspace, options: CreateServerOptions = {}): CreatedServer {
  const server = new GuardedMcpServer({ name: "agentsynth", title: "agentsynth", version: readVersion() }, { instructions: INSTRUCTIONS });
  registerRegistryTools(server, workspace);
  registerServerTools(server, workspace);
  registerGenerationTools(server, workspace);
  registerSimulationTools(server, workspace);
  registerQualityTools(server, workspace);
  registerCurateDatasetTool(server, workspace);
  registerPipelineTools(server, workspace);
  registerInspectionTools(server, workspace);
  registerReportTools(server, workspace);
  serveToolList(server, getDefinedTools(server));
  registerResources(server, workspace, options.reportUrl);
  registerPrompts(server, workspace);
  return { server, cleanup: () => server.close() };
}

/** An McpServer whose transports answer malformed tool calls readably (see guardToolCalls). */
class GuardedMcpServer extends McpServer {
  override connect(transport: Transport): Promise<void> {
    return super.connect(guardToolCalls(transport));
  }
}

function readVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

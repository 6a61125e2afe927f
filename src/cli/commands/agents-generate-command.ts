import type { CliCommand } from "../command.js";
import { CALL_SEED_FLAG, JSON_FLAG } from "../common-flags.js";
import { parseInteger, parseList, parseSeed } from "../flags.js";
import { runStageCommand } from "../output.js";

/** `agentsynth agents generate --count N`: the workspace's generateAgents, as MCP generate_agents. */
export const agentsGenerateCommand: CliCommand = {
  name: "agents generate",
  flags: {
    count: { type: "string", value: "N", required: true, description: "how many agents (1–1000)" },
    domain: { type: "string", value: "ID,…", description: "the domains to draw toolsets from (default: all)" },
    "min-tools": { type: "string", value: "N", description: "the fewest tools of an agent (default: the config's agents.minTools)" },
    "max-tools": { type: "string", value: "N", description: "the most tools of an agent (default: the config's agents.maxTools)" },
    seed: CALL_SEED_FLAG,
    json: JSON_FLAG,
  },
  description: "Generate agents: each a toolset (by default 10-30 tools over up to 3 related domains) and a system prompt with 5-10 business rules written by the generator model.",
  async run(args, io) {
    const count = parseInteger("count", args.required("count"), 1, 1000);
    const input = {
      count,
      domainIds: parseList("domain", args.string("domain")),
      minTools: parseInteger("min-tools", args.string("min-tools"), 1, 64),
      maxTools: parseInteger("max-tools", args.string("max-tools"), 1, 64),
      seed: parseSeed(args.string("seed")),
    };
    return runStageCommand(
      args,
      io,
      "agents",
      (workspace, options) => workspace.generateAgents(input, options),
      (result) =>
        [`added ${result.items.length} agent(s) (run ${result.runId}):`, ...result.items.map((agent) => `  ${agent.id} ${agent.name} (${agent.toolIds.length} tools${agent.domainId ? `, ${agent.domainId}` : ""})`)].join("\n"),
    );
  },
};

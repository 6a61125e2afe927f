import type { CliCommand } from "../command.js";
import { CALL_SEED_FLAG, JSON_FLAG } from "../common-flags.js";
import { parseInteger, parseList, parseSeed } from "../flags.js";
import { runStageCommand } from "../output.js";

/** `agentsynth tools synthesize`: the workspace's synthesizeTools, as MCP synthesize_tools. */
export const toolsSynthesizeCommand: CliCommand = {
  name: "tools synthesize",
  flags: {
    domain: { type: "string", value: "ID,…", description: "the domains to grow (default: every domain without tools)" },
    "per-domain": { type: "string", value: "N", description: "tools per domain, 1–50 (default: the config's tools.perDomain)" },
    seed: CALL_SEED_FLAG,
    json: JSON_FLAG,
  },
  description: "Grow domains into synthetic tools (name, description, input and output JSON Schemas, annotations) with the generator model.",
  async run(args, io) {
    const input = { domainIds: parseList("domain", args.string("domain")), perDomain: parseInteger("per-domain", args.string("per-domain"), 1, 50), seed: parseSeed(args.string("seed")) };
    return runStageCommand(
      args,
      io,
      "tools",
      (workspace, options) => workspace.synthesizeTools(input, options),
      (result) =>
        [`added ${result.items.length} tool(s) (run ${result.runId}):`, ...result.items.map((tool) => `  ${tool.name.padEnd(40)} ${tool.domainId ?? ""}`)].join("\n"),
    );
  },
};

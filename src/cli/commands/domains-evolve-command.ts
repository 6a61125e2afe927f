import type { CliCommand } from "../command.js";
import { CALL_SEED_FLAG, JSON_FLAG } from "../common-flags.js";
import { parseInteger, parseSeed } from "../flags.js";
import { runStageCommand } from "../output.js";
import { renderDomains } from "./domains-list-command.js";

/** `agentsynth domains evolve --count N`: the workspace's evolveDomains, as MCP evolve_domains. */
export const domainsEvolveCommand: CliCommand = {
  name: "domains evolve",
  flags: {
    count: { type: "string", value: "N", required: true, description: "how many domains to add (1–500)" },
    seed: CALL_SEED_FLAG,
    json: JSON_FLAG,
  },
  description: "Add domains: unused domains of the taxonomy first, then sub-domains the generator model evolves from them.",
  async run(args, io) {
    const count = parseInteger("count", args.required("count"), 1, 500);
    const input = { count, seed: parseSeed(args.string("seed")) };
    return runStageCommand(
      args,
      io,
      "domains",
      (workspace, options) => workspace.evolveDomains(input, options),
      (result) => `added ${result.items.length} domain(s) (run ${result.runId}):\n${renderDomains(result.items)}`,
      { createsStore: true },
    );
  },
};

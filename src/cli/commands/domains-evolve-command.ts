import type { CliCommand } from "../command.js";
import { parseInteger, parseSeed } from "../flags.js";
import { JSON_FLAG, printResult, withProgress } from "../output.js";
import { renderDomains } from "./domains-list-command.js";
import { withWorkspace } from "./with-workspace.js";

/** `agentsynth domains evolve --count N`: the workspace's evolveDomains, as MCP evolve_domains. */
export const domainsEvolveCommand: CliCommand = {
  name: "domains evolve",
  flags: {
    count: { type: "string", value: "N", required: true, description: "how many domains to add (1–500)" },
    seed: { type: "string", value: "N", description: "seed (default: derived from the config seed and the store)" },
    json: JSON_FLAG,
  },
  description: "Add domains: unused domains of the taxonomy first, then sub-domains the generator model evolves from them.",
  async run(args, io) {
    const count = parseInteger("count", args.required("count"), 1, 500);
    const input = { count, seed: parseSeed(args.string("seed")) };
    return withWorkspace(args, io, async (workspace) => {
      const result = await withProgress(io, "domains", (options) => workspace.evolveDomains(input, options));
      printResult(io, args.boolean("json"), result, () => `added ${result.items.length} domain(s) (run ${result.runId}):\n${renderDomains(result.items)}`);
      return 0;
    });
  },
};

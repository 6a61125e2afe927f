import type { CliCommand } from "../command.js";
import { parseInteger, parseList, parseSeed } from "../flags.js";
import { JSON_FLAG, printResult, withProgress } from "../output.js";
import { withWorkspace } from "./with-workspace.js";

/** `agentsynth tools synthesize`: the workspace's synthesizeTools, as MCP synthesize_tools. */
export const toolsSynthesizeCommand: CliCommand = {
  name: "tools synthesize",
  flags: {
    domain: { type: "string", value: "ID,…", description: "the domains to grow (default: every domain without tools)" },
    "per-domain": { type: "string", value: "N", description: "tools per domain, 1–50 (default: the config's tools.perDomain)" },
    seed: { type: "string", value: "N", description: "seed (default: derived from the config seed and the store)" },
    json: JSON_FLAG,
  },
  description: "Grow domains into synthetic tools (name, description, input and output JSON Schemas, annotations) with the generator model.",
  async run(args, io) {
    const input = { domainIds: parseList("domain", args.string("domain")), perDomain: parseInteger("per-domain", args.string("per-domain"), 1, 50), seed: parseSeed(args.string("seed")) };
    return withWorkspace(
      args,
      io,
      async (workspace) => {
        const result = await withProgress(io, "tools", (options) => workspace.synthesizeTools(input, options));
        printResult(io, args.boolean("json"), result, () => [`added ${result.items.length} tool(s) (run ${result.runId}):`, ...result.items.map((tool) => `  ${tool.name.padEnd(40)} ${tool.domainId ?? ""}`)].join("\n"));
        return 0;
      },
      { requireStore: true },
    );
  },
};

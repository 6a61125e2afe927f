import type { CliCommand } from "../command.js";
import { parseInteger, parseList } from "../flags.js";
import { renderCounts } from "../../pipeline/render-run-summary.js";
import { JSON_FLAG, printResult, withProgress } from "../output.js";
import { withWorkspace } from "./with-workspace.js";

/** The episodes a judge or filter command works on. */
export const SELECTION_FLAGS = {
  episode: { type: "string", value: "ID,…", description: "these episodes" },
  run: { type: "string", value: "ID", description: "a run: the episodes it simulated, or the episodes it judged" },
} as const;

/** `agentsynth judge`: the workspace's judge, as MCP judge. */
export const judgeCommand: CliCommand = {
  name: "judge",
  flags: {
    ...SELECTION_FLAGS,
    concurrency: { type: "string", value: "N", description: "episodes judged at once, 1–256 (default: the config's judge.concurrency)" },
    json: JSON_FLAG,
  },
  description: "Judge episodes against their task's rubric (format checks, rule criteria, then the judge model); with neither\n--episode nor --run, every episode not judged yet.",
  async run(args, io) {
    const input = { episodeIds: parseList("episode", args.string("episode")), runId: args.string("run"), concurrency: parseInteger("concurrency", args.string("concurrency"), 1, 256) };
    return withWorkspace(
      args,
      io,
      async (workspace) => {
        const result = await withProgress(io, "judge", (options) => workspace.judge(input, options));
        const { summary } = result;
        printResult(io, args.boolean("json"), result, () => `judged ${summary.judged} episode(s) in run ${result.runId}: ${summary.passed} pass, ${summary.failed} fail, mean score ${summary.meanScore}\n  failure reasons: ${renderCounts(summary.reasons)}`);
        return 0;
      },
      { requireStore: true },
    );
  },
};

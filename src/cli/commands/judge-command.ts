import type { CliCommand } from "../command.js";
import { JSON_FLAG, SELECTION_FLAGS } from "../common-flags.js";
import { parseInteger, parseList } from "../flags.js";
import { renderCounts } from "../../pipeline/render-run-summary.js";
import { runStageCommand } from "../output.js";

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
    return runStageCommand(
      args,
      io,
      "judge",
      (workspace, options) => workspace.judge(input, options),
      ({ runId, summary }) =>
        `judged ${summary.judged} episode(s) in run ${runId}: ${summary.passed} pass, ${summary.failed} fail, mean score ${summary.meanScore}\n  failure reasons: ${renderCounts(summary.reasons)}`,
    );
  },
};

import { TaskSpecSchema } from "../../domain/task.js";
import { InputError } from "../../errors/input-error.js";
import type { CliCommand } from "../command.js";
import { CALL_SEED_FLAG, FAULT_RATE_FLAG, JSON_FLAG, MAX_STEPS_FLAG } from "../common-flags.js";
import { parseChoice, parseInteger, parseList, parseRate, parseSeed } from "../flags.js";
import { renderCounts } from "../../pipeline/render-run-summary.js";
import { runStageCommand } from "../output.js";

const DIFFICULTIES = TaskSpecSchema.shape.difficulty.unwrap().options;

/** `agentsynth simulate`: the workspace's simulate, as MCP simulate. */
export const simulateCommand: CliCommand = {
  name: "simulate",
  flags: {
    task: { type: "string", value: "ID,…", description: "the tasks to simulate (default: every task matching --agent, --domain, --difficulty; all when none is given)" },
    agent: { type: "string", value: "ID", description: "without --task: the tasks of this agent" },
    domain: { type: "string", value: "ID", description: "without --task: the tasks of this domain's agents" },
    difficulty: { type: "string", value: "D", description: `without --task: the tasks of this difficulty (${DIFFICULTIES.join(", ")})` },
    "episodes-per-task": { type: "string", value: "N", description: "episodes of each task, 1–1000 (default: the config's simulation.episodesPerTask)" },
    concurrency: { type: "string", value: "N", description: "episodes at once, 1–256 (default: the config's)" },
    "max-turns": { type: "string", value: "N", description: "user turns per episode, 1–100 (default: the config's)" },
    "max-steps": MAX_STEPS_FLAG,
    "fault-rate": FAULT_RATE_FLAG,
    seed: CALL_SEED_FLAG,
    json: JSON_FLAG,
  },
  description: "Simulate multi-turn episodes of tasks (user simulator ⇄ agent ⇄ tools); each episode is stored as it finishes.",
  async run(args, io) {
    const taskIds = parseList("task", args.string("task"));
    const filter = { agentId: args.string("agent"), domainId: args.string("domain"), difficulty: parseChoice("difficulty", args.string("difficulty"), DIFFICULTIES) };
    const filtered = Object.entries(filter).filter(([, value]) => value !== undefined);
    if (taskIds && filtered.length) throw new InputError(`--task names the tasks; leave out ${filtered.map(([key]) => `--${key.replace("Id", "")}`).join(", ")}, or --task`);
    const input = {
      taskIds,
      ...(filtered.length ? { filter } : {}),
      episodesPerTask: parseInteger("episodes-per-task", args.string("episodes-per-task"), 1, 1000),
      concurrency: parseInteger("concurrency", args.string("concurrency"), 1, 256),
      maxTurns: parseInteger("max-turns", args.string("max-turns"), 1, 100),
      maxSteps: parseInteger("max-steps", args.string("max-steps"), 1, 10_000),
      faultRate: parseRate("fault-rate", args.string("fault-rate")),
      seed: parseSeed(args.string("seed")),
    };
    return runStageCommand(
      args,
      io,
      "simulate",
      (workspace, options) => workspace.simulate(input, options),
      ({ runId, episodeIds, summary }) =>
        [
          `simulated ${summary.episodes} episode(s) in run ${runId}: ${summary.completed} completed, ${summary.failed} did not`,
          `  end reasons: ${renderCounts(summary.endReasons)}`,
          `  labels: ${renderCounts(summary.labels)}`,
          `  episodes: ${episodeIds.join(", ")}`,
        ].join("\n"),
    );
  },
};

import type { CliCommand } from "../command.js";
import { CALL_SEED_FLAG, JSON_FLAG } from "../common-flags.js";
import { parseInteger, parseList, parseSeed } from "../flags.js";
import { runStageCommand } from "../output.js";

/** `agentsynth tasks generate --count N`: the workspace's generateTasks, as MCP generate_tasks. */
export const tasksGenerateCommand: CliCommand = {
  name: "tasks generate",
  flags: {
    count: { type: "string", value: "N", required: true, description: "tasks in all, split over the agents (1–10000)" },
    agent: { type: "string", value: "ID,…", description: "the agents to write tasks for (default: every agent with a domain)" },
    seed: CALL_SEED_FLAG,
    json: JSON_FLAG,
  },
  description: "Generate tasks for agents (a mix of shapes): a goal, a scenario, a persona, hidden facts, an initial world state, a blueprint and a rubric each; each passes the gate (its blueprint runs) before it is stored.",
  async run(args, io) {
    const count = parseInteger("count", args.required("count"), 1, 10_000);
    const input = { count, agentIds: parseList("agent", args.string("agent")), seed: parseSeed(args.string("seed")) };
    return runStageCommand(
      args,
      io,
      "tasks",
      (workspace, options) => workspace.generateTasks(input, options),
      (result) =>
        [`added ${result.items.length} task(s) (run ${result.runId}):`, ...result.items.map((task) => `  ${task.id} [${task.difficulty}] ${task.goal.slice(0, 100)}`)].join("\n"),
    );
  },
};

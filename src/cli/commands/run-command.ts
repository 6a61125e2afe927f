import { ToolSourceChoiceSchema } from "../../domain/tool.js";
import { InputError } from "../../errors/input-error.js";
import { renderRunSummary } from "../../pipeline/render-run-summary.js";
import type { CliCommand } from "../command.js";
import { EXPORT_OUT_FLAG, FAULT_RATE_FLAG, JSON_FLAG, MAX_STEPS_FLAG } from "../common-flags.js";
import { parseChoices, parseInteger, parsePositiveNumber, parseRate, parseSeed } from "../flags.js";
import { printResult } from "../output.js";
import { createProgressBar } from "../progress-bar.js";
import { withWorkspace } from "./with-workspace.js";

/** `agentsynth run [CONFIG]`: the whole pipeline (the workspace's runPipeline, as MCP run_pipeline), a progress bar on stderr, the summary on stdout. */
export const runCommand: CliCommand = {
  name: "run",
  positionals: { usage: "[CONFIG]", min: 0, max: 1 },
  flags: {
    seed: { type: "string", value: "N", description: "override the config's seed" },
    "tool-source": { type: "string", value: "S", description: "which tools agents are built from: real, synthetic, imported, all, or a comma list (config tools.sources; default all)" },
    "fault-rate": FAULT_RATE_FLAG,
    "max-steps": MAX_STEPS_FLAG,
    "max-cost": { type: "string", value: "USD", description: "stop the run (BUDGET_REACHED, exit 1) once its priced requests cost this many US dollars (config models.budget.maxCost; prices in models.prices)" },
    out: EXPORT_OUT_FLAG,
    json: JSON_FLAG,
  },
  description:
    "Run the whole pipeline (servers → domains → tools → agents → tasks → simulate → judge → filter → export) into the store,\n" +
    "and export the dataset to its own folder under --out. Default config: fixtures/pipeline.default.json (offline, no key).",
  async run(args, io) {
    const input = {
      seed: parseSeed(args.string("seed")),
      toolSources: parseChoices("tool-source", args.string("tool-source"), ToolSourceChoiceSchema.options),
      faultRate: parseRate("fault-rate", args.string("fault-rate")),
      maxSteps: parseInteger("max-steps", args.string("max-steps"), 1),
      maxCost: parsePositiveNumber("max-cost", args.string("max-cost")),
    };
    const config = args.config ?? args.positionals[0];
    if (args.config !== undefined && args.positionals[0] !== undefined) throw new InputError("give the config as --config FILE or as CONFIG, not both");
    return withWorkspace({ dataDir: args.dataDir, config, mcpConfig: args.mcpConfig }, io, async (workspace) => {
      const progress = createProgressBar(io.stderr);
      const summary = await workspace.runPipeline(input, { signal: io.signal, onStageProgress: (event) => progress.update(event) }).finally(() => progress.finish());
      printResult(io, args.boolean("json"), summary, () => `${renderRunSummary(summary)}\n  store:  ${workspace.dataDir}`);
      return 0;
    }, { out: args.string("out") });
  },
};

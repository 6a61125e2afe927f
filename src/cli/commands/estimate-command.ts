import type { RunEstimate } from "../../domain/model-usage.js";
import { InputError } from "../../errors/input-error.js";
import type { CliCommand } from "../command.js";
import { JSON_FLAG } from "../common-flags.js";
import { parseInteger } from "../flags.js";
import { printResult } from "../output.js";
import { createProgressBar } from "../progress-bar.js";
import { withWorkspace } from "./with-workspace.js";

/** `agentsynth estimate [CONFIG]`: a pilot of the config and what the whole run will take (the workspace's estimateRun). */
export const estimateCommand: CliCommand = {
  name: "estimate",
  positionals: { usage: "[CONFIG]", min: 0, max: 1 },
  flags: {
    episodes: { type: "string", value: "N", description: "episodes the pilot simulates, 1–100 (default 4)" },
    json: JSON_FLAG,
  },
  description:
    "Run a small pilot of the config (every stage, the configured models, a few episodes; in a temporary data directory,\n" +
    "paid for like any run) and project requests, input/output tokens and cost per role and per stage for the whole config.",
  async run(args, io) {
    const pilotEpisodes = parseInteger("episodes", args.string("episodes"), 1, 100);
    if (args.config !== undefined && args.positionals[0] !== undefined) throw new InputError("give the config as --config FILE or as CONFIG, not both");
    const config = args.config ?? args.positionals[0];
    return withWorkspace({ dataDir: args.dataDir, config, mcpConfig: args.mcpConfig }, io, async (workspace) => {
      const progress = createProgressBar(io.stderr);
      const estimate = await workspace.estimateRun({ pilotEpisodes }, { signal: io.signal, onStageProgress: (event) => progress.update(event) }).finally(() => progress.finish());
      printResult(io, args.boolean("json"), estimate, () => renderEstimate(estimate));
      return 0;
    });
  },
};

/** An estimate as text: the pilot, then the projection per stage and per role. */
export function renderEstimate(estimate: RunEstimate): string {
  const row = (name: string, projection: RunEstimate["projected"]["total"]) =>
    `  ${name.padEnd(14)} ${String(projection.requests).padStart(9)} req  ${String(projection.inputTokens).padStart(12)} in  ${String(projection.outputTokens).padStart(11)} out  $${projection.cost.toFixed(2)}`;
  const { pilot, full } = estimate;
  return [
    `Estimate for config "${estimate.configName}": ${full.domains} domains, ${full.agents} agents, ${full.tasks} tasks, ${full.episodes} episodes`,
    `  pilot: ${pilot.counts.episodes} episodes (${pilot.counts.tasks} tasks, ${pilot.counts.agents} agents) in ${pilot.seconds} s: ${pilot.usage.requests} requests, ${pilot.usage.inputTokens}+${pilot.usage.outputTokens} tokens, $${pilot.usage.cost.toFixed(4)}`,
    "per stage:",
    ...Object.entries(estimate.projected.stages).map(([stage, projection]) => row(stage, projection)),
    "per role:",
    ...Object.entries(estimate.projected.roles).map(([role, projection]) => row(role, projection)),
    row("total", estimate.projected.total),
    ...estimate.notes.map((note) => `note: ${note}`),
  ].join("\n");
}

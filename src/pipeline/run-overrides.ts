import { PipelineConfigSchema, type PipelineConfig } from "../domain/config.js";
import { FaultKindSchema } from "../domain/episode.js";
import { ToolSourceSchema, type ToolSource, type ToolSourceChoice } from "../domain/tool.js";
import { ConfigError } from "../errors/config-error.js";
import { formatIssues } from "../errors/format-issues.js";

/** What `agentsynth run` and `run_pipeline` may change in the config for one run. */
export interface RunOverrides {
  seed?: number | undefined;
  /** `all` or a list of sources. */
  toolSources?: readonly ToolSourceChoice[] | undefined;
  /** The total fault rate, spread over the kinds in the proportions the config gives (evenly when it gives none). */
  faultRate?: number | undefined;
  maxSteps?: number | undefined;
  /** Stop the run once its priced requests cost this many US dollars (config models.budget.maxCost). */
  maxCost?: number | undefined;
}

/** The config with the overrides applied, validated again as a whole. */
export function applyRunOverrides(config: PipelineConfig, overrides: RunOverrides): PipelineConfig {
  const simulation = { ...config.simulation };
  if (overrides.maxSteps !== undefined) simulation.maxSteps = overrides.maxSteps;
  if (overrides.faultRate !== undefined) simulation.faults = spreadFaultRate(config.simulation.faults, overrides.faultRate);
  const tools = { ...config.tools };
  if (overrides.toolSources !== undefined) tools.sources = overrides.toolSources.includes("all") ? [...ToolSourceSchema.options] : [...new Set(overrides.toolSources.filter((source): source is ToolSource => source !== "all"))];
  const models = overrides.maxCost !== undefined ? { ...config.models, budget: { ...config.models.budget, maxCost: overrides.maxCost } } : config.models;
  const next = { ...config, simulation, tools, models, ...(overrides.seed !== undefined ? { seed: overrides.seed } : {}) };
  const parsed = PipelineConfigSchema.safeParse(next);
  if (!parsed.success) throw new ConfigError("the run options give an invalid config", { problems: formatIssues(parsed.error.issues) });
  return parsed.data;
}

function spreadFaultRate(configured: PipelineConfig["simulation"]["faults"], total: number): PipelineConfig["simulation"]["faults"] {
  const kinds = FaultKindSchema.options;
  const sum = kinds.reduce((accumulated, kind) => accumulated + configured[kind], 0);
  const share = (kind: (typeof kinds)[number]): number => (sum > 0 ? configured[kind] / sum : 1 / kinds.length);
  return Object.fromEntries(kinds.map((kind) => [kind, total * share(kind)])) as PipelineConfig["simulation"]["faults"];
}

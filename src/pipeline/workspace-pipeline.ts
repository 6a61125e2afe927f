import type { PipelineConfig } from "../domain/config.js";
import { StageNameSchema, type RunSummary } from "../domain/run.js";
import { InputError } from "../errors/input-error.js";
import { createJudgeCommittee } from "../model/judge-committee.js";
import type { ModelSet } from "../model/model-set.js";
import type { Store } from "../store/types.js";
import type { McpServers } from "./mcp-servers.js";
import { resolveUnderRoot } from "./export-path.js";
import { loadConfigFile } from "./load-config.js";
import type { FileAccess } from "./input-files.js";
import { applyRunOverrides, type RunOverrides } from "./run-overrides.js";
import { runPipeline, type PipelineProgress, type PipelineResult } from "./run-pipeline.js";
import type { OperationOptions } from "./operation-options.js";
import { createRunModels, type WorkspaceContext } from "./workspace-context.js";

export interface RunPipelineInput {
  /** A pipeline config file (default: the workspace's config). */
  configFile?: string | undefined;
  /** Overrides the config's seed. */
  seed?: number | undefined;
  /** The folder under the export root that gets the dataset's own folder (default: the export root). */
  out?: string | undefined;
  /** Which tools agents are built from (default: the config's `tools.sources`). */
  toolSources?: RunOverrides["toolSources"];
  /** The total fault rate, spread over the configured kinds. */
  faultRate?: number | undefined;
  maxSteps?: number | undefined;
  /** Stop the run once its priced requests cost this many US dollars. */
  maxCost?: number | undefined;
}

/** Options of a whole run: besides the overall progress, the progress of each stage (the CLI's progress bar). */
export interface RunPipelineOptions extends OperationOptions {
  onStageProgress?: ((progress: PipelineProgress) => void) | undefined;
}

const STAGES = StageNameSchema.options;

/** The whole pipeline, as `agentsynth run` and MCP `run_pipeline` run it, into the workspace's store. */
export async function runWorkspacePipeline(context: WorkspaceContext, input: RunPipelineInput, options: RunPipelineOptions): Promise<RunSummary> {
  if (input.seed !== undefined && (!Number.isInteger(input.seed) || input.seed < 0)) throw new InputError(`seed: expected a non-negative integer, got ${input.seed}`);
  // A config the caller names is read (with the taxonomy it names) only where the caller may read files.
  const loaded = input.configFile ? await loadConfigFile(input.configFile, context.fileAccess) : { config: context.config, directory: context.configDirectory };
  const config = applyRunOverrides(loaded.config, { seed: input.seed, toolSources: input.toolSources, faultRate: input.faultRate, maxSteps: input.maxSteps, maxCost: input.maxCost });
  const outDir = resolveUnderRoot(context.exportRoot, input.out ?? ".", { allowRoot: true });
  const target = { config, configDirectory: loaded.directory, fileAccess: input.configFile ? context.fileAccess : undefined, store: context.store, servers: context.servers, outDir, exportRoot: context.exportRoot };
  const { result } = await runConfigured(context, target, options);
  return summarizeRun(result);
}

/** Where a configured pipeline runs: the config, where its paths resolve from, the store, the servers and the export folder. */
export interface PipelineTarget {
  config: PipelineConfig;
  configDirectory: string;
  /** Where a config named by the caller may read the files it names (its taxonomy); none for the workspace's own config. */
  fileAccess?: FileAccess | undefined;
  store: Store;
  servers: McpServers | undefined;
  outDir: string;
  /** Exports must stay under this folder (default `outDir`). */
  exportRoot?: string | undefined;
}

/**
 * The pipeline of `target.config`, with the workspace's seams and a model set of its own (returned with the result,
 * for its usage). Fails before any work when a role (or a judge of the committee) needs a key that is not there.
 */
export async function runConfigured(context: WorkspaceContext, target: PipelineTarget, options: RunPipelineOptions): Promise<{ result: PipelineResult; models: ModelSet }> {
  const { config } = target;
  const models = createRunModels(context, config.seed, config);
  const judgeCommittee = createJudgeCommittee(models, config.models, config.judge.committee, { seed: config.seed, env: context.env });
  const result = await runPipeline({
    ...target,
    models,
    judgeCommittee,
    ids: context.ids,
    clock: context.clock,
    env: context.env,
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (progress) => {
      options.onStageProgress?.(progress);
      options.onProgress?.(overallProgress(progress));
    },
    ...(context.onWarning ? { onWarning: context.onWarning } : {}),
  });
  return { result, models };
}

/** What a run returns and prints: from the stored run record, its dataset and its export. */
export function summarizeRun({ run, dataset, exported }: PipelineResult): RunSummary {
  return {
    runId: run.id,
    status: run.status,
    configName: run.config.name,
    seed: run.config.seed,
    counts: run.counts,
    rejectionCounts: run.rejectionCounts,
    usage: run.usage,
    ...(run.simulation ? { simulation: run.simulation } : {}),
    ...(run.toolChecks ? { toolChecks: run.toolChecks } : {}),
    ...(run.taskGate ? { taskGate: run.taskGate } : {}),
    ...(run.passHatK ? { passHatK: run.passHatK } : {}),
    datasetId: dataset.id,
    export: exported,
  };
}

/** A stage's progress as progress over the whole pipeline: one unit per stage. */
function overallProgress(progress: PipelineProgress): { done: number; total: number; message: string } {
  const index = STAGES.indexOf(progress.stage);
  const fraction = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 1;
  return { done: index + fraction, total: STAGES.length, message: `${progress.stage} ${progress.done}/${progress.total}${progress.message ? `: ${progress.message}` : ""}` };
}

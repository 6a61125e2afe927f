import type { RunCounts, UsageByRole } from "../domain/run.js";
import { StageNameSchema } from "../domain/run.js";
import { InputError } from "../errors/input-error.js";
import { resolveUnderRoot } from "./export-path.js";
import { loadConfigFile } from "./load-config.js";
import { applyRunOverrides, type RunOverrides } from "./run-overrides.js";
import { runPipeline, type PipelineProgress } from "./run-pipeline.js";
import type { OperationOptions } from "./operation-options.js";
import { createRunModels, type WorkspaceContext } from "./workspace-context.js";

export interface RunPipelineInput {
  /** A pipeline config file (default: the workspace's config). */
  configFile?: string | undefined;
  /** Overrides the config's seed. */
  seed?: number | undefined;
  /** The export directory, under the export root (default: the export root). */
  out?: string | undefined;
  /** Which tools agents are built from (default: the config's `tools.sources`). */
  toolSources?: RunOverrides["toolSources"];
  /** The total fault rate, spread over the configured kinds. */
  faultRate?: number | undefined;
  maxSteps?: number | undefined;
}

export interface RunPipelineResult {
  runId: string;
  status: string;
  counts: RunCounts;
  rejectionCounts: Record<string, number>;
  usage: UsageByRole;
  datasetId: string;
  exportPath: string;
  cardPath: string;
  records: number;
}

const STAGES = StageNameSchema.options;

/** The whole pipeline, as `agentsynth run` runs it, into the workspace's store. */
export async function runWorkspacePipeline(context: WorkspaceContext, input: RunPipelineInput, options: OperationOptions): Promise<RunPipelineResult> {
  if (input.seed !== undefined && (!Number.isInteger(input.seed) || input.seed < 0)) throw new InputError(`seed: expected a non-negative integer, got ${input.seed}`);
  const loaded = input.configFile ? await loadConfigFile(input.configFile) : { config: context.config, directory: context.configDirectory };
  const config = applyRunOverrides(loaded.config, { seed: input.seed, toolSources: input.toolSources, faultRate: input.faultRate, maxSteps: input.maxSteps });
  const outDir = resolveUnderRoot(context.exportRoot, input.out ?? ".", { allowRoot: true });
  const models = createRunModels(context, config.seed, config);
  const result = await runPipeline({
    config,
    configDirectory: loaded.directory,
    store: context.store,
    servers: context.servers,
    outDir,
    models,
    ids: context.ids,
    clock: context.clock,
    env: context.env,
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (progress) => options.onProgress?.(overallProgress(progress)),
    ...(context.onWarning ? { onWarning: context.onWarning } : {}),
  });
  const { run, dataset, exported } = result;
  return {
    runId: run.id,
    status: run.status,
    counts: run.counts,
    rejectionCounts: run.rejectionCounts,
    usage: run.usage,
    datasetId: dataset.id,
    exportPath: exported.path,
    cardPath: exported.cardPath,
    records: exported.records,
  };
}

/** A stage's progress as progress over the whole pipeline: one unit per stage. */
function overallProgress(progress: PipelineProgress): { done: number; total: number; message: string } {
  const index = STAGES.indexOf(progress.stage);
  const fraction = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 1;
  return { done: index + fraction, total: STAGES.length, message: `${progress.stage} ${progress.done}/${progress.total}${progress.message ? `: ${progress.message}` : ""}` };
}

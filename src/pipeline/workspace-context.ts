import type { ModelRole } from "../domain/common.js";
import type { PipelineConfig } from "../domain/config.js";
import type { StageName } from "../domain/run.js";
import type { LanguageModel } from "../model/language-model.js";
import { createModels, type ModelSet } from "../model/model-set.js";
import type { Store } from "../store/types.js";
import type { Clock } from "../support/clock.js";
import { seedFrom } from "../support/hash.js";
import type { IdGenerator } from "../support/ids.js";
import type { FileAccess } from "./input-files.js";
import type { McpServers } from "./mcp-servers.js";
import type { OperationOptions } from "./operation-options.js";
import type { TrackedRunContext } from "./tracked-run.js";

/** What every workspace operation works with: the store, the loaded config and the injected seams. */
export interface WorkspaceContext {
  store: Store;
  config: PipelineConfig;
  /** Where relative paths in the config resolve from. */
  configDirectory: string;
  env: NodeJS.ProcessEnv;
  ids: IdGenerator;
  clock: Clock;
  /** Exports (and `run_pipeline` outputs) must resolve under this directory. */
  exportRoot: string;
  /** Which files a caller may have read by naming them (tool spec files, pipeline configs). */
  fileAccess: FileAccess;
  /** The third-party MCP servers of the `mcpServers` config: synced into the registry, called live. */
  servers: McpServers;
  /** Models that replace a role's provider (tests use scripted models). */
  modelOverride: Partial<Record<ModelRole, LanguageModel>>;
  onWarning?: ((message: string) => void) | undefined;
}

/** A fresh model set for one run (its own usage tracker), seeded like `agentsynth run` seeds it. */
export function createRunModels(context: WorkspaceContext, seed: number, config: PipelineConfig = context.config): ModelSet {
  return createModels(config.models, { seed, env: context.env, override: context.modelOverride });
}

/**
 * The seed of an operation: the one asked for, or one derived from the config seed, the operation and how
 * many records exist, so repeating an operation makes new records and the same store state repeats it.
 */
export function chooseSeed(context: WorkspaceContext, requested: number | undefined, operation: string, existing: number): number {
  return requested ?? seedFrom(context.config.seed, operation, existing);
}

export function describeRunContext(
  context: WorkspaceContext,
  run: { stage: StageName; source: string; seed: number; config?: PipelineConfig },
  options: OperationOptions,
): TrackedRunContext {
  const config = { ...(run.config ?? context.config), seed: run.seed };
  return {
    store: context.store,
    config,
    models: createRunModels(context, run.seed, config),
    ids: context.ids,
    clock: context.clock,
    stage: run.stage,
    source: run.source,
    signal: options.signal,
    onProgress: options.onProgress,
    onWarning: context.onWarning,
  };
}

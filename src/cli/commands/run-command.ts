import { resolve } from "node:path";
import { ToolSourceChoiceSchema } from "../../domain/tool.js";
import { createJudgeCommittee } from "../../model/judge-committee.js";
import { createModels } from "../../model/model-set.js";
import { loadConfigFile } from "../../pipeline/load-config.js";
import { defaultConfigPath } from "../../pipeline/package-paths.js";
import { McpServers } from "../../pipeline/mcp-servers.js";
import { applyRunOverrides } from "../../pipeline/run-overrides.js";
import { runPipeline } from "../../pipeline/run-pipeline.js";
import { systemClock } from "../../support/clock.js";
import { randomIds } from "../../support/ids.js";
import { openStore } from "../../store/open-store.js";
import { InputError } from "../../errors/input-error.js";
import { createProgressBar } from "../progress-bar.js";
import { renderRunSummary } from "../summary.js";
import type { CliIo } from "../io.js";

export interface RunCommandOptions {
  config?: string | undefined;
  mcpConfig?: string | undefined;
  seed?: string | undefined;
  toolSource?: string | undefined;
  faultRate?: string | undefined;
  maxSteps?: string | undefined;
  dataDir: string;
  out?: string | undefined;
}

/** `agentsynth run`: the whole pipeline with a progress bar on stderr and a summary on stdout. */
export async function runCommand(options: RunCommandOptions, io: CliIo): Promise<number> {
  const loaded = await loadConfigFile(options.config ?? defaultConfigPath());
  const config = applyRunOverrides(loaded.config, {
    seed: parseInteger("--seed", options.seed, 0),
    toolSources: parseToolSources(options.toolSource),
    faultRate: parseRate("--fault-rate", options.faultRate),
    maxSteps: parseInteger("--max-steps", options.maxSteps, 1),
  });
  // Checked before anything is opened or written: a missing key fails here.
  const models = createModels(config.models, { seed: config.seed, env: io.env });
  const judgeCommittee = createJudgeCommittee(models, config.models, config.judge.committee, { seed: config.seed, env: io.env });
  const store = await openStore({ dataDir: options.dataDir });
  const onWarning = (message: string): void => void io.stderr.write(`warning: ${message}\n`);
  let servers: McpServers;
  try {
    servers = await McpServers.open({ file: options.mcpConfig, store, env: io.env, ids: randomIds, clock: systemClock, execution: config.tools.execution, onWarning });
  } catch (error) {
    await store.close();
    throw error;
  }
  const progress = createProgressBar(io.stderr);
  try {
    const result = await runPipeline({
      config,
      configDirectory: loaded.directory,
      store,
      servers,
      models,
      judgeCommittee,
      outDir: resolve(options.out ?? "out"),
      env: io.env,
      signal: io.signal,
      onProgress: (event) => progress.update(event),
      onWarning,
    });
    progress.finish();
    io.stdout.write(`${renderRunSummary(result, store.dataDir)}\n`);
    return 0;
  } finally {
    progress.finish();
    await servers.close();
    await store.close();
  }
}

function parseInteger(flag: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new InputError(`${flag}: expected an integer of at least ${min}, got "${text}"`);
  return value;
}

function parseRate(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || value > 1) throw new InputError(`${flag}: expected a rate from 0 to 1, got "${text}"`);
  return value;
}

const TOOL_SOURCES = ToolSourceChoiceSchema.options;

function parseToolSources(text: string | undefined): Array<(typeof TOOL_SOURCES)[number]> | undefined {
  if (text === undefined) return undefined;
  const sources = text.split(",").map((source) => source.trim());
  const unknown = sources.filter((source) => !(TOOL_SOURCES as readonly string[]).includes(source));
  if (unknown.length > 0 || sources.length === 0) throw new InputError(`--tool-source: expected ${TOOL_SOURCES.join(", ")} (or a comma-separated list), got "${text}"`);
  return sources as Array<(typeof TOOL_SOURCES)[number]>;
}

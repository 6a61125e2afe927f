import { resolve } from "node:path";
import { createJudgeCommittee } from "../../model/judge-committee.js";
import { createModels } from "../../model/model-set.js";
import { loadConfigFile } from "../../pipeline/load-config.js";
import { defaultConfigPath } from "../../pipeline/package-paths.js";
import { runPipeline } from "../../pipeline/run-pipeline.js";
import { openStore } from "../../store/open-store.js";
import { InputError } from "../../errors/input-error.js";
import { createProgressBar } from "../progress-bar.js";
import { renderRunSummary } from "../summary.js";
import type { CliIo } from "../io.js";

export interface RunCommandOptions {
  config?: string | undefined;
  seed?: string | undefined;
  dataDir: string;
  out?: string | undefined;
}

/** `agentsynth run`: the whole pipeline with a progress bar on stderr and a summary on stdout. */
export async function runCommand(options: RunCommandOptions, io: CliIo): Promise<number> {
  const loaded = await loadConfigFile(options.config ?? defaultConfigPath());
  const config = { ...loaded.config, ...(options.seed !== undefined ? { seed: parseSeed(options.seed) } : {}) };
  // Checked before anything is opened or written: a missing key fails here.
  const models = createModels(config.models, { seed: config.seed, env: io.env });
  const judgeCommittee = createJudgeCommittee(models, config.models, config.judge.committee, { seed: config.seed, env: io.env });
  const store = await openStore({ dataDir: options.dataDir });
  const progress = createProgressBar(io.stderr);
  try {
    const result = await runPipeline({
      config,
      configDirectory: loaded.directory,
      store,
      models,
      judgeCommittee,
      outDir: resolve(options.out ?? "out"),
      env: io.env,
      signal: io.signal,
      onProgress: (event) => progress.update(event),
      onWarning: (message) => io.stderr.write(`warning: ${message}\n`),
    });
    progress.finish();
    io.stdout.write(`${renderRunSummary(result, store.dataDir)}\n`);
    return 0;
  } finally {
    progress.finish();
    await store.close();
  }
}

function parseSeed(text: string): number {
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0) throw new InputError(`--seed: expected a non-negative integer, got "${text}"`);
  return seed;
}

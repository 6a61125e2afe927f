import { join } from "node:path";
import type { FilterConfig, PipelineConfigInput } from "../src/domain/config.js";
import type { EpisodeRecord } from "../src/domain/episode.js";
import type { TaskRecord } from "../src/domain/task.js";
import type { ToolRecord } from "../src/domain/tool.js";
import { filterEpisodes } from "../src/filter/filter-episodes.js";
import { judgeEpisode } from "../src/judge/judge-episode.js";
import { createModels } from "../src/model/model-set.js";
import type { StageEnv } from "../src/model/stage-env.js";
import { describeThisMachine } from "../src/pipeline/machine-facts.js";
import { loadConfigFile } from "../src/pipeline/load-config.js";
import { defaultConfigPath } from "../src/pipeline/package-paths.js";
import { openWorkspace } from "../src/pipeline/workspace.js";
import { createFixedClock } from "../src/support/clock.js";
import { createSequentialIds } from "../src/support/ids.js";
import { MUTANT_KINDS, MUTATIONS, type MutantKind } from "./judge-mutants.js";

/*
 * The judge's accuracy, measured: clean episodes from offline runs, defective copies of each kind, judge and
 * filter on all; per kind the recall (mutants rejected with the kind's reason code) and, on the clean
 * originals, the false-reject rate.
 */

export const RECALL_TARGET = 0.98;
export const FALSE_REJECT_TARGET = 0.02;

export interface KindScore {
  kind: MutantKind;
  codes: readonly string[];
  mutants: number;
  /** Rejected by the filter with one of the kind's reason codes among the judgment's reasons. */
  caught: number;
  recall: number;
  /** Mutants let through, or rejected for other reasons only: their ids and reasons. */
  missed: Array<{ episodeId: string; reasons: string[]; answer: string }>;
}

export interface JudgeEvalResult {
  runs: number;
  episodes: number;
  /** Completed episodes the judge and filter keep when the default rules are off: the clean ones. */
  originals: number;
  /**
   * Episodes left out of the originals because their task and real tools' answers put the run's data directory in them (a true
   * leak the privacy rule rejects; issue 12 §6 maps such paths to a virtual root).
   */
  leakingEpisodes: number;
  /** Episodes left out because a call failed (by its recorded outcome) and was never made again successfully. */
  failedCalls: number;
  falseRejects: Array<{ episodeId: string; reasons: string[] }>;
  falseRejectRate: number;
  kinds: KindScore[];
}

export interface JudgeEvalOptions {
  /** Where the offline runs keep their stores. */
  directory: string;
  seeds: readonly number[];
  /** Over the default config (e.g. fewer tasks for a quick run). */
  config?: Partial<PipelineConfigInput> | undefined;
  onProgress?: ((message: string) => void) | undefined;
}

export async function evaluateJudge(options: JudgeEvalOptions): Promise<JudgeEvalResult> {
  const base = (await loadConfigFile(defaultConfigPath())).config;
  const config = { ...base, ...options.config } as PipelineConfigInput;
  const scores = new Map<MutantKind, KindScore>(Object.entries(MUTANT_KINDS).map(([kind, codes]) => [kind as MutantKind, { kind: kind as MutantKind, codes, mutants: 0, caught: 0, recall: 0, missed: [] }]));
  const falseRejects: JudgeEvalResult["falseRejects"] = [];
  let episodesSeen = 0;
  let originals = 0;
  let leakingEpisodes = 0;
  let failedCalls = 0;
  for (const seed of options.seeds) {
    const dataDir = join(options.directory, `seed-${seed}`, "data");
    const workspace = await openWorkspace({ dataDir, config, exportRoot: join(options.directory, `seed-${seed}`, "out"), env: { ...process.env } });
    try {
      options.onProgress?.(`seed ${seed}: offline run`);
      await workspace.runPipeline({ seed });
      const tasks = new Map((await workspace.store.tasks.all()).map((task) => [task.id, task]));
      const tools = new Map((await workspace.store.tools.all()).map((tool) => [tool.id, tool]));
      const machine = describeThisMachine(dataDir, process.env);
      const judge = createJudge(workspace.config.models, seed, machine, workspace.config.filter);
      for await (const episode of workspace.store.episodes.scan()) {
        episodesSeen++;
        const task = tasks.get(episode.taskId);
        if (!task || episode.status !== "completed") continue;
        const episodeTools = episode.toolIds.flatMap((id) => tools.get(id) ?? []);
        if ((await judge(episode, task, episodeTools, false)).rejected) continue; // the judge without the default rules rejects it already
        if (episode.messages.some((message) => message.role !== "assistant" && message.content.includes(dataDir))) {
          leakingEpisodes++;
          continue;
        }
        if (hasUnrecoveredFailure(episode)) {
          failedCalls++;
          continue;
        }
        originals++;
        const clean = await judge(episode, task, episodeTools);
        if (clean.rejected) falseRejects.push({ episodeId: episode.id, reasons: clean.reasons });
        for (const [kind, mutate] of Object.entries(MUTATIONS) as Array<[MutantKind, (typeof MUTATIONS)[MutantKind]]>) {
          const mutant = mutate(episode, { tools: episodeTools, localDirectory: dataDir });
          if (!mutant) continue;
          const score = scores.get(kind);
          if (!score) continue;
          score.mutants++;
          const verdict = await judge({ ...mutant, id: `${episode.id}-${kind}` }, task, episodeTools);
          if (verdict.rejected && verdict.reasons.some((reason) => (score.codes as readonly string[]).includes(reason))) score.caught++;
          else score.missed.push({ episodeId: episode.id, reasons: verdict.reasons, answer: finalText(mutant) });
        }
      }
    } finally {
      await workspace.close();
    }
  }
  const kinds = [...scores.values()].map((score) => ({ ...score, recall: score.mutants ? round(score.caught / score.mutants) : 0 }));
  return { runs: options.seeds.length, episodes: episodesSeen, originals, leakingEpisodes, failedCalls, falseRejects, falseRejectRate: originals ? round(falseRejects.length / originals) : 0, kinds };
}

type Judge = (episode: EpisodeRecord, task: TaskRecord, tools: readonly ToolRecord[], defaultRules?: boolean) => Promise<{ rejected: boolean; reasons: string[] }>;

/** Judge one episode (the config's judge model, the machine's facts) and filter it alone (no dedupe: mutants are near copies by design). */
function createJudge(models: PipelineConfigInput["models"], seed: number, machine: ReturnType<typeof describeThisMachine>, filter: FilterConfig): Judge {
  const env: StageEnv = { models: createModels(models ?? { default: { provider: "offline", model: "offline" } }, { seed, env: {} }), ids: createSequentialIds(), clock: createFixedClock(), seed };
  return async (episode, task, tools, defaultRules = true) => {
    const judgment = await judgeEpisode(env, { episode, task, tools, machine, defaultRules });
    const result = filterEpisodes([episode], new Map([[episode.id, judgment]]), { ...filter, dedupe: false, successRate: undefined });
    return { rejected: result.kept.length === 0, reasons: [...new Set([...judgment.reasons, ...(result.rejected[0]?.reasons ?? [])])] };
  };
}

/** Whether the result meets the targets: recall per kind with mutants, and the false-reject rate. */
export function meetsTargets(result: JudgeEvalResult): boolean {
  return result.falseRejectRate <= FALSE_REJECT_TARGET && result.kinds.every((kind) => kind.mutants === 0 || kind.recall >= RECALL_TARGET);
}

/** The table `npm run eval:judge` prints (markdown, so the README can hold it as it is). */
export function formatJudgeEvalTable(result: JudgeEvalResult): string {
  const rows = result.kinds.map((kind) => `| ${kind.kind.replaceAll("_", " ")} | ${kind.codes.join(", ")} | ${kind.mutants} | ${kind.caught} | ${kind.mutants ? kind.recall.toFixed(3) : "–"} |`);
  return [
    `Clean originals: ${result.originals} of ${result.episodes} episodes from ${result.runs} offline run(s) (left out: those the judge and filter reject with the default rules off, ${result.leakingEpisodes} whose task and real tools' answers hold the data directory's path, and ${result.failedCalls} with a call that failed by its recorded outcome and was not made again).`,
    `False rejects on the originals: ${result.falseRejects.length} (rate ${result.falseRejectRate.toFixed(3)}, target ≤ ${FALSE_REJECT_TARGET}); recall target ≥ ${RECALL_TARGET} per kind.`,
    "",
    "| defect | reason codes that count | mutants | caught | recall |",
    "|---|---|---:|---:|---:|",
    ...rows,
  ].join("\n");
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function finalText(episode: EpisodeRecord): string {
  const last = episode.messages[episode.messages.length - 1];
  return last?.role === "assistant" ? (last.content ?? "") : `(ends with a ${last?.role ?? "nothing"} message)`;
}

/** A tool step whose recorded outcome is not ok, with no later ok call of the same tool. */
function hasUnrecoveredFailure(episode: EpisodeRecord): boolean {
  const tools = episode.steps.flatMap((step) => (step.tool ? [{ index: step.index, name: step.tool.toolName, ok: step.tool.outcome === "ok" || step.tool.fault === "partial" || step.tool.fault === "empty" }] : []));
  return tools.some((step) => !step.ok && !tools.some((later) => later.index > step.index && later.name === step.name && later.ok));
}

import { SCHEMA_VERSION } from "../domain/common.js";
import type { FilterConfig } from "../domain/config.js";
import type { DatasetRecord, PassHatK } from "../domain/dataset.js";
import type { Provenance } from "../domain/common.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { JudgmentRecord } from "../domain/judgment.js";
import { InputError } from "../errors/input-error.js";
import { filterEpisodes } from "../filter/filter-episodes.js";
import { judgeEpisodes } from "../judge/judge-episodes.js";
import { describeThisMachine } from "./machine-facts.js";
import { createJudgeCommittee } from "../model/judge-committee.js";
import { throwIfAborted } from "../support/concurrency.js";
import { latestJudgments, selectEpisodes, type EpisodeSelection } from "./episode-selection.js";
import { requireAll } from "./require-records.js";
import { summarizeDataset } from "./summaries.js";
import type { DatasetSummary } from "../domain/summaries.js";
import { runTracked } from "./tracked-run.js";
import type { OperationOptions } from "./operation-options.js";
import { chooseSeed, describeRunContext, type WorkspaceContext } from "./workspace-context.js";

export interface JudgeResult {
  runId: string;
  judgmentIds: string[];
  summary: { judged: number; passed: number; failed: number; meanScore: number; reasons: Record<string, number> };
}

/** Judge episodes (by id, by run, or every episode not judged yet) and store each judgment as it is made. */
export async function judgeSelected(context: WorkspaceContext, input: EpisodeSelection & { concurrency?: number | undefined }, options: OperationOptions): Promise<JudgeResult> {
  const { store } = context;
  const judged = input.episodeIds === undefined && input.runId === undefined ? await latestJudgments(store) : new Map<string, JudgmentRecord>();
  const episodes = await selectEpisodes(store, input, (episode) => !judged.has(episode.id));
  if (episodes.length === 0) throw new InputError("every episode is judged already (or there are none): give episodeIds or a runId to judge again, or simulate first");
  const tasks = await requireAll(store.tasks, "task", [...new Set(episodes.map((episode) => episode.taskId))]);
  const seed = chooseSeed(context, undefined, "judge", await store.judgments.count());
  const concurrency = input.concurrency ?? context.config.judge.concurrency;
  const config = { ...context.config, judge: { ...context.config.judge, concurrency } };
  return runTracked(describeRunContext(context, { stage: "judge", source: "workspace:judge", seed, config }, options), async (run) => {
    const committee = createJudgeCommittee(run.env.models, context.config.models, context.config.judge.committee, { seed, env: context.env });
    const judgments = await judgeEpisodes(run.env, {
      episodes,
      committee,
      tasks: new Map(tasks.map((task) => [task.id, task])),
      tools: new Map((await store.tools.all()).map((tool) => [tool.id, tool])),
      concurrency,
      machine: describeThisMachine(store.dataDir, context.env),
      onJudgment: async (judgment) => {
        await store.judgments.append(judgment);
        run.counts.judged++;
        if (judgment.verdict === "pass") run.counts.passed++;
      },
    });
    return { runId: run.id, judgmentIds: judgments.map((judgment) => judgment.id), summary: summarizeJudgments(judgments) };
  });
}

function summarizeJudgments(judgments: readonly JudgmentRecord[]): JudgeResult["summary"] {
  const reasons: Record<string, number> = {};
  for (const judgment of judgments) for (const reason of judgment.reasons) reasons[reason] = (reasons[reason] ?? 0) + 1;
  const passed = judgments.filter((judgment) => judgment.verdict === "pass").length;
  const meanScore = judgments.length ? judgments.reduce((sum, judgment) => sum + judgment.score, 0) / judgments.length : 0;
  return { judged: judgments.length, passed, failed: judgments.length - passed, meanScore: Math.round(meanScore * 1000) / 1000, reasons };
}

/** The filter settings a call may give over the config's (see the config's `filter` section). */
export type FilterOverrides = Partial<
  Pick<FilterConfig, "minScore" | "requirePass" | "dedupe" | "nearDuplicateThreshold" | "requiredCriteria" | "caps" | "length" | "successRate" | "excludeAttributions">
>;

const OVERRIDE_KEYS = ["minScore", "requirePass", "dedupe", "nearDuplicateThreshold", "requiredCriteria", "caps", "length", "successRate", "excludeAttributions"] as const satisfies ReadonlyArray<keyof FilterOverrides>;

export interface FilterInput extends EpisodeSelection, FilterOverrides {
  name?: string | undefined;
}

export interface FilterResult extends DatasetSummary {
  keptEpisodeIds: string[];
  /** pass^k averaged over the tasks with at least k judged episodes. */
  passHatK: PassHatK;
}

/** Keep the episodes whose newest judgment meets the criteria (deduplicated) as a stored dataset. */
export async function filterToDataset(context: WorkspaceContext, input: FilterInput, options: OperationOptions): Promise<FilterResult> {
  const { store, config } = context;
  const judgments = await latestJudgments(store);
  const episodes = await selectEpisodes(store, input, (episode) => judgments.has(episode.id));
  if (episodes.length === 0) throw new InputError("there is no judged episode to filter: call judge first, or give episodeIds");
  // The config's filter settings, with the ones the caller gave over them.
  const overrides = Object.fromEntries(OVERRIDE_KEYS.flatMap((key) => (input[key] !== undefined ? [[key, input[key]]] : []))) as FilterOverrides;
  const criteria: FilterConfig = { ...config.filter, ...overrides };
  options.onProgress?.({ done: 0, total: episodes.length, message: "filtering" });
  throwIfAborted(options.signal);
  const dataset = await createDataset(context, {
    episodes,
    judgments,
    criteria,
    name: input.name ?? `${config.name}-dataset-${(await store.datasets.count()) + 1}`,
    provenance: { source: "workspace:filter", models: {}, seed: config.seed },
    runId: input.runId,
    recordedFilter: { ...criteria, ...(input.runId ? { runId: input.runId } : {}), ...(input.episodeIds ? { episodeIds: input.episodeIds.length } : {}) },
  });
  options.onProgress?.({ done: episodes.length, total: episodes.length, message: `kept ${dataset.episodeIds.length}` });
  return { ...summarizeDataset(dataset), keptEpisodeIds: dataset.episodeIds, passHatK: dataset.passHatK ?? {} };
}

/**
 * Filter judged episodes by their judgments and store the result as a dataset: the kept episode ids, and every
 * other episode with its rejection reasons, the success rate and pass^k of each task. What `filter` and a
 * pipeline run both make.
 */
export async function createDataset(
  context: Pick<WorkspaceContext, "store" | "ids" | "clock">,
  input: {
    episodes: readonly EpisodeRecord[];
    judgments: ReadonlyMap<string, JudgmentRecord>;
    criteria: FilterConfig;
    name: string;
    provenance: { source: string; models: Provenance["models"]; seed: number };
    runId?: string | undefined;
    /** The filter settings to record (default: the criteria). */
    recordedFilter?: Record<string, unknown> | undefined;
  },
): Promise<DatasetRecord> {
  const { store } = context;
  const agentDomains = new Map((await store.agents.all()).flatMap((agent) => (agent.domainId ? [[agent.id, agent.domainId] as const] : [])));
  const result = filterEpisodes(input.episodes, input.judgments, { ...input.criteria, agentDomains });
  const dataset: DatasetRecord = {
    id: context.ids.next("ds"),
    kind: "dataset",
    createdAt: context.clock.now().toISOString(),
    schemaVersion: SCHEMA_VERSION,
    provenance: { ...input.provenance, promptHashes: [], ...(input.runId ? { runId: input.runId } : {}) },
    name: input.name,
    ...(input.runId ? { runId: input.runId } : {}),
    filter: input.recordedFilter ?? { ...input.criteria },
    episodeIds: result.kept.map((episode) => episode.id),
    rejected: result.rejected,
    rejectionCounts: result.rejectionCounts,
    taskStats: result.taskStats,
    passHatK: result.passHatK,
    exports: [],
  };
  await store.datasets.put(dataset);
  return dataset;
}

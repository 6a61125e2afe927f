import type { DatasetRecord } from "../domain/dataset.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { RunCounts, RunRecord, ToolCheckTally } from "../domain/run.js";
import type { ToolRecord } from "../domain/tool.js";
import type { Store } from "../store/types.js";
import type { DatasetCardInput } from "./dataset-card.js";
import { EpisodeTally } from "./episode-tally.js";
import { buildScoreHistogram } from "./score-histogram.js";
import { CheckTally } from "./card-checks.js";
import { tallyAudits } from "../world/tool-audit.js";

/** The figures of a stored dataset's card; those of its kept episodes are counted as they stream past. */
export interface StoredDatasetFigures {
  /**
   * The card. Its domains, tools and tool results come from the kept episodes given to `count`: reading them
   * before `finish` throws, so a card can never be rendered from half the episodes.
   */
  card: DatasetCardInput;
  /** Counts one kept episode. */
  count(episode: EpisodeRecord): void;
  /** Every kept episode has been counted. */
  finish(): void;
}

/**
 * What the dataset card says about a stored dataset, without reading an episode or judgment: the counts, the
 * score histogram of every episode the filter saw and the judge committee come from the facts the store keeps
 * in memory (only the judgment naming the committee is read); the domains and tools of the kept episodes are
 * counted while the export streams them (`count`), so the export reads each kept episode once.
 */
export async function gatherStoredDatasetFigures(store: Store, dataset: DatasetRecord, run: RunRecord | undefined): Promise<StoredDatasetFigures> {
  const kept = new Set(dataset.episodeIds);
  const seen = new Set([...dataset.episodeIds, ...dataset.rejected.map((entry) => entry.episodeId)]);
  const [agentView, domainView, toolView, taskView, episodeFacts, judgmentFacts] = await Promise.all([store.agents.view(), store.domains.view(), store.tools.view(), store.tasks.view(), store.episodes.facts(), store.judgments.facts()]);
  const [agents, domains, tools] = [agentView.records, domainView.records, toolView.records];
  const checks = new CheckTally(taskView.records);
  let episodesFailed = 0;
  for (const id of seen) {
    const facts = episodeFacts.get(id);
    if (!facts) continue;
    checks.add(facts, kept.has(id));
    if (facts.status !== "completed") episodesFailed++;
  }
  // The judgment the filter saw: the dataset's run's, else the newest. The committee: of the run's newest judgment that had one, else of the first.
  const latest = new Map<string, { score: number; pass: boolean; ofRun: boolean }>();
  let committeeJudgmentId: string | undefined;
  for (const [judgmentId, judgment] of judgmentFacts) {
    const ofRun = dataset.runId !== undefined && judgment.runId === dataset.runId;
    if (!seen.has(judgment.episodeId) || (latest.get(judgment.episodeId)?.ofRun && !ofRun)) continue;
    latest.set(judgment.episodeId, { score: judgment.score, pass: judgment.verdict === "pass", ofRun });
    if ((ofRun || committeeJudgmentId === undefined) && judgment.committee) committeeJudgmentId = judgmentId;
  }
  const committee = committeeJudgmentId === undefined ? undefined : (await store.judgments.require(committeeJudgmentId)).committee;
  const counts: RunCounts =
    run && run.datasetId === dataset.id
      ? run.counts
      : {
          domains: domains.length,
          tools: tools.length,
          agents: agents.length,
          tasks: await store.tasks.count(),
          episodes: seen.size,
          episodesFailed,
          judged: latest.size,
          passed: [...latest.values()].filter((entry) => entry.pass).length,
          kept: dataset.episodeIds.length,
          rejected: dataset.rejected.length,
          exported: 0,
        };
  const tally = new EpisodeTally({ agents, domains, tools });
  let finished = false;
  const counted = <R>(read: () => R): R => {
    if (!finished) throw new Error("the dataset card's episode figures were read before every kept episode was counted");
    return read();
  };
  const card: DatasetCardInput = {
    name: dataset.name,
    seed: run?.config.seed ?? dataset.provenance.seed ?? 0,
    configName: run?.config.name ?? dataset.name,
    counts,
    rejectionCounts: dataset.rejectionCounts,
    get domains() {
      return counted(() => tally.domains());
    },
    get tools() {
      return counted(() => tally.tools());
    },
    get toolResults() {
      return counted(() => tally.toolResults());
    },
    models: run?.provenance.models ?? dataset.provenance.models,
    judgeCommittee: committee?.members.map((member) => ({ model: member.model, temperature: member.temperature })),
    scores: buildScoreHistogram([...latest].map(([episodeId, entry]) => ({ score: entry.score, kept: kept.has(episodeId) }))),
    taskStats: dataset.taskStats,
    passHatK: dataset.passHatK,
    verification: checks.verification(),
    shapes: checks.shapes(),
    // The run's checks when the dataset came from a pipeline run; else the audits the stored tools carry.
    toolChecks: run?.toolChecks ?? storedAudits(tools),
    taskGate: run?.taskGate,
  };
  return {
    card,
    count: (episode) => tally.add(episode),
    finish: () => {
      finished = true;
    },
  };
}

/** The audits the stored tools carry, when any tool was audited. */
function storedAudits(tools: readonly ToolRecord[]): ToolCheckTally | undefined {
  const audits = tallyAudits(tools);
  return audits.audited > 0 ? { rejected: {}, ...audits } : undefined;
}

import type { DatasetRecord } from "../domain/dataset.js";
import type { RunCounts, RunRecord, ToolCheckTally } from "../domain/run.js";
import type { ToolRecord } from "../domain/tool.js";
import type { Store } from "../store/types.js";
import type { DatasetCardInput } from "./dataset-card.js";
import { EpisodeTally } from "./episode-tally.js";
import { buildScoreHistogram } from "./score-histogram.js";
import { CheckTally } from "./card-checks.js";
import { tallyAudits } from "../world/tool-audit.js";

/**
 * What the dataset card says about a stored dataset, gathered by streaming the store once (episodes, then
 * judgments): domains and tools of the kept episodes, the score histogram of every episode the filter saw,
 * the judge committee, and the counts (the run's when the dataset came from a pipeline run).
 */
export async function gatherStoredDatasetFigures(store: Store, dataset: DatasetRecord, run: RunRecord | undefined): Promise<DatasetCardInput> {
  const kept = new Set(dataset.episodeIds);
  const seen = new Set([...dataset.episodeIds, ...dataset.rejected.map((entry) => entry.episodeId)]);
  const tools = await store.tools.all();
  const tally = new EpisodeTally({ agents: await store.agents.all(), domains: await store.domains.all(), tools });
  const checks = new CheckTally(await store.tasks.all());
  let episodesFailed = 0;
  for await (const episode of store.episodes.scan()) {
    if (!seen.has(episode.id)) continue;
    if (kept.has(episode.id)) tally.add(episode);
    checks.add(episode, kept.has(episode.id));
    if (episode.status !== "completed") episodesFailed++;
  }
  // The judgment the filter saw: the dataset's run's, else the newest.
  const latest = new Map<string, { score: number; pass: boolean; ofRun: boolean }>();
  let committee: DatasetCardInput["judgeCommittee"];
  for await (const judgment of store.judgments.scan()) {
    const ofRun = dataset.runId !== undefined && judgment.runId === dataset.runId;
    if (!seen.has(judgment.episodeId) || (latest.get(judgment.episodeId)?.ofRun && !ofRun)) continue;
    latest.set(judgment.episodeId, { score: judgment.score, pass: judgment.verdict === "pass", ofRun });
    if (ofRun || !committee) committee = judgment.committee?.members.map((member) => ({ model: member.model, temperature: member.temperature })) ?? committee;
  }
  const counts: RunCounts =
    run && run.datasetId === dataset.id
      ? run.counts
      : {
          domains: await store.domains.count(),
          tools: await store.tools.count(),
          agents: await store.agents.count(),
          tasks: await store.tasks.count(),
          episodes: seen.size,
          episodesFailed,
          judged: latest.size,
          passed: [...latest.values()].filter((entry) => entry.pass).length,
          kept: dataset.episodeIds.length,
          rejected: dataset.rejected.length,
          exported: 0,
        };
  return {
    name: dataset.name,
    seed: run?.config.seed ?? dataset.provenance.seed ?? 0,
    configName: run?.config.name ?? dataset.name,
    counts,
    rejectionCounts: dataset.rejectionCounts,
    domains: tally.domains(),
    tools: tally.tools(),
    toolResults: tally.toolResults(),
    models: run?.provenance.models ?? dataset.provenance.models,
    judgeCommittee: committee,
    scores: buildScoreHistogram([...latest].map(([episodeId, entry]) => ({ score: entry.score, kept: kept.has(episodeId) }))),
    taskStats: dataset.taskStats,
    passHatK: dataset.passHatK,
    verification: checks.verification(),
    shapes: checks.shapes(),
    // The run's checks when the dataset came from a pipeline run; else the audits the stored tools carry.
    toolChecks: run?.toolChecks ?? storedAudits(tools),
    taskGate: run?.taskGate,
  };
}

/** The audits the stored tools carry, when any tool was audited. */
function storedAudits(tools: readonly ToolRecord[]): ToolCheckTally | undefined {
  const audits = tallyAudits(tools);
  return audits.audited > 0 ? { rejected: {}, ...audits } : undefined;
}

import type { EpisodeRecord } from "../domain/episode.js";
import type { JudgmentRecord } from "../domain/judgment.js";
import { InputError } from "../errors/input-error.js";
import type { Store } from "../store/types.js";

export interface EpisodeSelection {
  episodeIds?: string[] | undefined;
  /** A run: the episodes it simulated, and the episodes it judged. */
  runId?: string | undefined;
}

/** The newest judgment of every judged episode. */
export async function latestJudgments(store: Store): Promise<Map<string, JudgmentRecord>> {
  const latest = new Map<string, JudgmentRecord>();
  for await (const judgment of store.judgments.scan()) latest.set(judgment.episodeId, judgment);
  return latest;
}

/**
 * The episodes a selection names, in store order: explicit ids (each must exist), or a run's episodes, or
 * (with neither) every episode `fallback` accepts.
 */
export async function selectEpisodes(store: Store, selection: EpisodeSelection, fallback: (episode: EpisodeRecord) => boolean): Promise<EpisodeRecord[]> {
  if (selection.episodeIds !== undefined && selection.runId !== undefined) throw new InputError("give either episodeIds or runId, not both");
  if (selection.episodeIds !== undefined) {
    if (selection.episodeIds.length === 0) throw new InputError("episodeIds is empty: give at least one episode id, or leave it out");
    return Promise.all([...new Set(selection.episodeIds)].map((id) => store.episodes.require(id)));
  }
  if (selection.runId !== undefined) {
    const runId = selection.runId;
    await store.runs.require(runId);
    const judged = new Set((await store.judgments.find((judgment) => judgment.runId === runId)).map((judgment) => judgment.episodeId));
    const episodes = await store.episodes.find((episode) => episode.runId === runId || judged.has(episode.id));
    if (episodes.length === 0) throw new InputError(`run ${runId} has no episodes (it neither simulated nor judged any); give episodeIds, or the id of a simulate, judge or pipeline run`);
    return episodes;
  }
  return store.episodes.find(fallback);
}

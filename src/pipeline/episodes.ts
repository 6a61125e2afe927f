import type { EpisodeRecord } from "../domain/episode.js";
import type { Store } from "../store/types.js";
import { paginate, type Page, type PageRequest } from "./paginate.js";
import { summarizeEpisode } from "./summaries.js";
import type { EpisodeSummary } from "../domain/summaries.js";

export interface EpisodeFilter {
  taskId?: string | undefined;
  agentId?: string | undefined;
  runId?: string | undefined;
  status?: EpisodeRecord["status"] | undefined;
}

/** Stored episodes, oldest first, filtered, one page at a time (streamed shard by shard). */
export async function listEpisodes(store: Store, filter: EpisodeFilter, page: PageRequest): Promise<Page<EpisodeSummary>> {
  const matches = (episode: EpisodeRecord): boolean =>
    (filter.taskId === undefined || episode.taskId === filter.taskId) &&
    (filter.agentId === undefined || episode.agentId === filter.agentId) &&
    (filter.runId === undefined || episode.runId === filter.runId) &&
    (filter.status === undefined || episode.status === filter.status);
  async function* matching(): AsyncIterable<EpisodeRecord> {
    for await (const episode of store.episodes.scan()) if (matches(episode)) yield episode;
  }
  const result = await paginate(matching(), (episode) => episode.id, page);
  return { ...result, items: result.items.map(summarizeEpisode) };
}

/** The ids of the newest `limit` episodes, newest first. */
export async function listRecentEpisodeIds(store: Store, limit: number): Promise<string[]> {
  const recent: string[] = [];
  for await (const episode of store.episodes.scan()) {
    recent.push(episode.id);
    if (recent.length > limit) recent.shift();
  }
  return recent.reverse();
}

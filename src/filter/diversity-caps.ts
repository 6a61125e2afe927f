import type { EpisodeRecord } from "../domain/episode.js";

export interface DiversityCaps {
  perTask?: number | undefined;
  perAgent?: number | undefined;
  perDomain?: number | undefined;
}

/**
 * Counts kept episodes per task, agent and domain and says which caps a further episode would exceed
 * (reason codes `cap_per_task`, `cap_per_agent`, `cap_per_domain`). Episodes of an agent with no known
 * domain are not capped per domain.
 */
export class DiversityCounter {
  readonly #caps: DiversityCaps;
  readonly #agentDomains: ReadonlyMap<string, string>;
  readonly #counts = new Map<string, number>();

  constructor(caps: DiversityCaps, agentDomains: ReadonlyMap<string, string> = new Map()) {
    this.#caps = caps;
    this.#agentDomains = agentDomains;
  }

  /** The caps the episode would exceed; when none, the episode is counted. */
  admit(episode: EpisodeRecord): string[] {
    const domainId = this.#agentDomains.get(episode.agentId);
    const groups: Array<[string, string | undefined, number | undefined]> = [
      ["cap_per_task", `task:${episode.taskId}`, this.#caps.perTask],
      ["cap_per_agent", `agent:${episode.agentId}`, this.#caps.perAgent],
      ["cap_per_domain", domainId === undefined ? undefined : `domain:${domainId}`, this.#caps.perDomain],
    ];
    const exceeded = groups.filter(([, key, cap]) => key !== undefined && cap !== undefined && (this.#counts.get(key) ?? 0) >= cap).map(([reason]) => reason);
    if (exceeded.length === 0) for (const [, key] of groups) if (key !== undefined) this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    return exceeded;
  }
}

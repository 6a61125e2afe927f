import type { AgentRecord } from "../domain/agent.js";
import type { DomainRecord } from "../domain/domain.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { ToolRecord, ToolSource } from "../domain/tool.js";

export interface DomainCount {
  name: string;
  title: string;
  category: string;
  episodes: number;
}

export interface ToolCount {
  name: string;
  source: ToolSource | string;
  calls: number;
}

/** How the tool results of a set of episodes were produced, what was injected and what was cut. */
export interface ToolResultCounts {
  /** Tool results per execution: real, simulated, recorded, fallback. */
  executions: Record<string, number>;
  /** Injected faults per kind. */
  faults: Record<string, number>;
  /** Tool results shortened in the agent's context to fit its budget. */
  contextCuts: number;
}

/** Counts, episode by episode, what a dataset card reports per domain and per tool (so a stream can be counted). */
export class EpisodeTally {
  readonly #agentDomain: Map<string, string | undefined>;
  readonly #domains: readonly DomainRecord[];
  readonly #tools: readonly ToolRecord[];
  readonly #episodesPerDomain = new Map<string, number>();
  readonly #callsPerTool = new Map<string, number>();
  readonly #usedTools = new Set<string>();
  readonly #results: ToolResultCounts = { executions: {}, faults: {}, contextCuts: 0 };

  constructor(catalog: { agents: readonly AgentRecord[]; domains: readonly DomainRecord[]; tools: readonly ToolRecord[] }) {
    this.#agentDomain = new Map(catalog.agents.map((agent) => [agent.id, agent.domainId]));
    this.#domains = catalog.domains;
    this.#tools = catalog.tools;
  }

  add(episode: EpisodeRecord): void {
    const domainId = this.#agentDomain.get(episode.agentId);
    if (domainId) this.#episodesPerDomain.set(domainId, (this.#episodesPerDomain.get(domainId) ?? 0) + 1);
    episode.toolIds.forEach((id) => this.#usedTools.add(id));
    for (const message of episode.messages) {
      if (message.role !== "assistant") continue;
      for (const call of message.tool_calls ?? []) this.#callsPerTool.set(call.function.name, (this.#callsPerTool.get(call.function.name) ?? 0) + 1);
    }
    for (const step of episode.steps) {
      if (!step.tool) continue;
      this.#results.executions[step.tool.execution] = (this.#results.executions[step.tool.execution] ?? 0) + 1;
      if (step.tool.fault) this.#results.faults[step.tool.fault] = (this.#results.faults[step.tool.fault] ?? 0) + 1;
    }
    this.#results.contextCuts += episode.contextCuts.length;
  }

  /** How the tool results were produced (real, simulated, recorded, fallback), the faults injected and the context cuts. */
  toolResults(): ToolResultCounts {
    return structuredClone(this.#results);
  }

  /** The domains with at least one episode, in catalog order. */
  domains(): DomainCount[] {
    return this.#domains
      .filter((domain) => this.#episodesPerDomain.has(domain.id))
      .map((domain) => ({ name: domain.name, title: domain.title, category: domain.category, episodes: this.#episodesPerDomain.get(domain.id) ?? 0 }));
  }

  /** The tools declared to at least one episode, in catalog order, with the calls made to them. */
  tools(): ToolCount[] {
    return this.#tools.filter((tool) => this.#usedTools.has(tool.id)).map((tool) => ({ name: tool.name, source: tool.source, calls: this.#callsPerTool.get(tool.name) ?? 0 }));
  }
}

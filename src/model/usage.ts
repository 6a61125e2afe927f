import type { ModelRef, ModelRole, TokenUsage } from "../domain/common.js";
import type { ModelPrice, SpendingStage } from "../domain/config.js";
import type { EndpointTraffic, ModelFailureKind, ModelUsageReport, Spend } from "../domain/model-usage.js";
import type { UsageByRole } from "../domain/run.js";
import type { ModelPurpose } from "./language-model.js";

/** The pipeline stage each purpose belongs to: per-stage caps and the per-stage figures follow it. */
export const STAGE_OF_PURPOSE: Record<ModelPurpose, SpendingStage> = {
  "domain-evolution": "domains",
  "tool-synthesis": "tools",
  "agent-generation": "agents",
  "task-generation": "tasks",
  "user-turn": "simulate",
  "agent-turn": "simulate",
  "tool-simulation": "simulate",
  judge: "judge",
};

const MILLION = 1_000_000;

/** Something that reports an endpoint's traffic (an EndpointGate). */
export interface TrafficSource {
  traffic(): EndpointTraffic;
}

function emptySpend(): Spend {
  return { requests: 0, inputTokens: 0, outputTokens: 0, cost: 0, failures: 0 };
}

/** The cost of `usage` at `price` in US dollars (0 without a price). */
export function costOf(usage: TokenUsage, price: ModelPrice | undefined): number {
  return price ? (usage.inputTokens * price.input + usage.outputTokens * price.output) / MILLION : 0;
}

/**
 * Requests, tokens and cost per role, per stage and per purpose; item-level failures per kind; and the traffic of
 * every endpoint the models use. One per model set; a run's summary reads `report()`.
 */
export class UsageTracker {
  readonly #prices: Readonly<Record<string, ModelPrice>>;
  readonly #byRole = new Map<ModelRole, Spend>();
  readonly #byStage = new Map<SpendingStage, Spend>();
  readonly #byPurpose = new Map<ModelPurpose, Spend>();
  readonly #failures = new Map<ModelFailureKind, number>();
  readonly #unpriced = new Set<string>();
  readonly #endpoints: TrafficSource[] = [];
  #cost = 0;

  constructor(prices: Readonly<Record<string, ModelPrice>> = {}) {
    this.#prices = prices;
  }

  /** An answered request; returns its cost. */
  record(role: ModelRole, purpose: ModelPurpose, usage: TokenUsage, model?: ModelRef): number {
    const price = model ? this.#prices[model.model] : undefined;
    if (model && !price && model.provider !== "offline") this.#unpriced.add(model.model);
    const cost = costOf(usage, price);
    this.#cost += cost;
    for (const spend of this.#entries(role, purpose)) {
      spend.requests++;
      spend.inputTokens += usage.inputTokens;
      spend.outputTokens += usage.outputTokens;
      spend.cost += cost;
    }
    return cost;
  }

  /** A request that failed for good (the item it was for is labelled `kind`). */
  recordFailure(role: ModelRole, purpose: ModelPurpose, kind: ModelFailureKind): void {
    for (const spend of this.#entries(role, purpose)) spend.failures++;
    this.#failures.set(kind, (this.#failures.get(kind) ?? 0) + 1);
  }

  /** Report this endpoint's traffic with the usage. */
  addEndpoint(source: TrafficSource): void {
    if (!this.#endpoints.includes(source)) this.#endpoints.push(source);
  }

  /** US dollars spent so far, in all or in one stage. */
  cost(stage?: SpendingStage): number {
    return stage === undefined ? this.#cost : (this.#byStage.get(stage)?.cost ?? 0);
  }

  roles(): UsageByRole {
    return Object.fromEntries([...this.#byRole].map(([role, spend]) => [role, { inputTokens: spend.inputTokens, outputTokens: spend.outputTokens, requests: spend.requests }]));
  }

  purposes(): Record<string, { inputTokens: number; outputTokens: number; requests: number }> {
    return Object.fromEntries([...this.#byPurpose].map(([purpose, spend]) => [purpose, { inputTokens: spend.inputTokens, outputTokens: spend.outputTokens, requests: spend.requests }]));
  }

  report(): ModelUsageReport {
    const copy = <K extends string>(map: Map<K, Spend>): Record<K, Spend> => Object.fromEntries([...map].map(([key, spend]) => [key, { ...spend }])) as Record<K, Spend>;
    return {
      roles: copy(this.#byRole),
      stages: copy(this.#byStage),
      purposes: copy(this.#byPurpose),
      failures: Object.fromEntries(this.#failures),
      cost: this.#cost,
      unpricedModels: [...this.#unpriced].sort(),
      endpoints: this.#endpoints.map((endpoint) => endpoint.traffic()),
    };
  }

  #entries(role: ModelRole, purpose: ModelPurpose): Spend[] {
    return [entry(this.#byRole, role), entry(this.#byStage, STAGE_OF_PURPOSE[purpose]), entry(this.#byPurpose, purpose)];
  }
}

function entry<K>(map: Map<K, Spend>, key: K): Spend {
  let spend = map.get(key);
  if (!spend) {
    spend = emptySpend();
    map.set(key, spend);
  }
  return spend;
}

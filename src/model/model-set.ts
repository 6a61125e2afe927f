import { ModelRoleSchema, type ModelRef, type ModelRole } from "../domain/common.js";
import type { ModelSettings, ModelsConfig, ModelsConfigInput } from "../domain/config.js";
import type { ModelFailureKind } from "../domain/model-usage.js";
import { ModelRequestError } from "../errors/model-request-error.js";
import { BudgetGuard } from "./budget.js";
import type { LanguageModel, ModelPurpose, ModelRequest, ModelResponse } from "./language-model.js";
import { parseModelsConfig, resolveModelSettings, resolveRemoteSettings, type RemoteModelSettings } from "./model-settings.js";
import { createOfflineModel } from "./providers/offline/offline-model.js";
import { createOpenAIModel } from "./providers/openai/openai-model.js";
import { AdaptiveLimit } from "./traffic/adaptive-limit.js";
import { EndpointGate } from "./traffic/endpoint-gate.js";
import { UsageTracker } from "./usage.js";

export { resolveModelSettings } from "./model-settings.js";

/** One model per role, each counting its usage and cost into a shared tracker and checking the budget first. */
export interface ModelSet {
  generator: LanguageModel;
  agent: LanguageModel;
  userSimulator: LanguageModel;
  toolSimulator: LanguageModel;
  judge: LanguageModel;
  usage: UsageTracker;
  budget: BudgetGuard;
  /** The endpoints' gates (rate limits, adaptive concurrency, circuit breakers), shared by every model of the set. */
  endpoints: EndpointRegistry;
  refs(): Record<ModelRole, ModelRef>;
}

export interface CreateModelsOptions {
  seed: number;
  env?: NodeJS.ProcessEnv;
  /** Replace a provider for a role (tests use a scripted model here). */
  override?: Partial<Record<ModelRole, LanguageModel>>;
}

/** The most requests in flight to one endpoint before any 429 taught otherwise. */
const ENDPOINT_MAX_CONCURRENCY = 1024;

/**
 * Build the per-role models. Fails fast (before any work) when a remote role has no key or a temperature its
 * provider does not take.
 */
export function createModels(input: ModelsConfig | ModelsConfigInput, options: CreateModelsOptions): ModelSet {
  const config = parseModelsConfig(input);
  const env = options.env ?? process.env;
  const usage = new UsageTracker(config.prices);
  const budget = new BudgetGuard(config.budget, usage);
  const endpoints = new EndpointRegistry(config, usage, env);
  const built = {} as Record<ModelRole, LanguageModel>;
  for (const role of ModelRoleSchema.options) {
    const settings = resolveModelSettings(config, role);
    const base = options.override?.[role] ?? buildProvider(role, settings, options.seed, env, endpoints);
    built[role] = withAccounting(base, role, { usage, budget, limit: roleLimit(settings) });
  }
  return {
    ...built,
    usage,
    budget,
    endpoints,
    refs: () => Object.fromEntries(ModelRoleSchema.options.map((role) => [role, built[role].ref])) as Record<ModelRole, ModelRef>,
  };
}

/** One more model for a role outside the set (a judge committee member), counting into the set's usage and budget. */
export function createRoleModel(role: ModelRole, settings: ModelSettings, options: { seed: number; env?: NodeJS.ProcessEnv; models: ModelSet }): LanguageModel {
  const { models } = options;
  const base = buildProvider(role, settings, options.seed, options.env ?? process.env, models.endpoints);
  return withAccounting(base, role, { usage: models.usage, budget: models.budget, limit: roleLimit(settings) });
}

/**
 * The gate of each endpoint (base URL and key): the requests/tokens per minute the roles on it configure (the
 * smallest wins), adaptive unless a role turns it off, and the config's circuit breaker. Every gate reports its
 * traffic into the usage.
 */
export class EndpointRegistry {
  readonly #gates = new Map<string, EndpointGate>();

  constructor(
    private readonly config: ModelsConfig,
    private readonly usage: UsageTracker,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  gateFor(settings: RemoteModelSettings): EndpointGate {
    const key = `${settings.baseUrl}\u0000${settings.apiKey}`;
    let gate = this.#gates.get(key);
    if (!gate) {
      const sharing = this.#rolesOn(key);
      gate = new EndpointGate({
        endpoint: settings.baseUrl,
        maxConcurrency: ENDPOINT_MAX_CONCURRENCY,
        adaptiveConcurrency: sharing.every((role) => role.adaptiveConcurrency),
        requestsPerMinute: smallest(sharing.map((role) => role.requestsPerMinute)),
        tokensPerMinute: smallest(sharing.map((role) => role.tokensPerMinute)),
        circuitBreaker: this.config.circuitBreaker,
      });
      this.#gates.set(key, gate);
      this.usage.addEndpoint(gate);
    }
    return gate;
  }

  /** The remote settings of every role of the config on this endpoint. */
  #rolesOn(key: string): RemoteModelSettings[] {
    return ModelRoleSchema.options.flatMap((role) => {
      const settings = resolveModelSettings(this.config, role);
      if (settings.provider === "offline") return [];
      const remote = resolveRemoteSettings(role, settings, this.env);
      return `${remote.baseUrl}\u0000${remote.apiKey}` === key ? [remote] : [];
    });
  }
}

function smallest(values: Array<number | undefined>): number | undefined {
  const set = values.filter((value): value is number => value !== undefined);
  return set.length ? Math.min(...set) : undefined;
}

function buildProvider(role: ModelRole, settings: ModelSettings, seed: number, env: NodeJS.ProcessEnv, endpoints: EndpointRegistry): LanguageModel {
  if (settings.provider === "offline") return createOfflineModel({ seed });
  const remote = resolveRemoteSettings(role, settings, env);
  return createOpenAIModel({ ...remote, gate: endpoints.gateFor(remote) });
}

function roleLimit(settings: ModelSettings): AdaptiveLimit | undefined {
  return settings.concurrency !== undefined ? new AdaptiveLimit({ max: settings.concurrency, adaptive: false }) : undefined;
}

interface Accounting {
  usage: UsageTracker;
  budget: BudgetGuard;
  /** The role's own concurrency cap, when it has one. */
  limit: AdaptiveLimit | undefined;
}

/** A model that checks the budget before each request, keeps the role's concurrency cap, and counts usage, cost and failures. */
function withAccounting(model: LanguageModel, role: ModelRole, { usage, budget, limit }: Accounting): LanguageModel {
  return {
    ref: model.ref,
    async generate(request: ModelRequest): Promise<ModelResponse> {
      budget.check(request.purpose);
      const waiting = limit?.acquire(request.signal);
      if (waiting) await waiting;
      try {
        const response = await model.generate(request);
        usage.record(role, request.purpose, response.usage, response.model);
        return response;
      } catch (error) {
        if (error instanceof ModelRequestError) usage.recordFailure(role, request.purpose, error.details.kind);
        throw error;
      } finally {
        limit?.release({ overloaded: false });
      }
    },
    recordFailure(purpose: ModelPurpose, kind: ModelFailureKind): void {
      usage.recordFailure(role, purpose, kind);
    },
  };
}

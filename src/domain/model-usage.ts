import { z } from "zod";
import { ModelRoleSchema } from "./common.js";

/**
 * Why one model request failed for good (after its retries): the label a stage gives the item (episode, task
 * batch, tool batch) it was for. The run goes on.
 */
export const ModelFailureKindSchema = z.enum([
  "http_error",
  "rate_limited",
  "timeout",
  "connection",
  "malformed_answer",
  "unreadable_body",
  "truncated",
  "invalid_output",
]);
export type ModelFailureKind = z.infer<typeof ModelFailureKindSchema>;

/** Why requests to an endpoint cannot succeed at all: the run stops with this reason. */
export const ModelUnavailableReasonSchema = z.enum(["unauthorized", "forbidden", "not_found", "circuit_open"]);
export type ModelUnavailableReason = z.infer<typeof ModelUnavailableReasonSchema>;

const count = z.number().int().nonnegative();
const dollars = z.number().nonnegative();

/** Requests, tokens and spend of one role, stage or purpose. */
export const SpendSchema = z.object({
  requests: count.describe("requests answered (a request's retries are not counted again)"),
  inputTokens: count,
  outputTokens: count,
  cost: dollars.describe("US dollars, from models.prices; 0 for unpriced models"),
  failures: count.describe("requests that failed for good (item-level)"),
});
export type Spend = z.infer<typeof SpendSchema>;

/** How one endpoint was driven: the rate reached, the throttling, the adaptive concurrency and the circuit breaker. */
export const EndpointTrafficSchema = z.object({
  endpoint: z.string().describe("the base URL (no key)"),
  attempts: count.describe("HTTP requests sent, retries included"),
  retries: count,
  rateLimited: count.describe("answers 429 or 503 (each one halves the concurrency when adaptive)"),
  retryAfterWaits: count.describe("waits a retry-after header asked for"),
  throttledWaits: count.describe("requests that waited for the configured requests/tokens per minute"),
  throttledMs: count.describe("total time requests waited for the rate limits"),
  peakRequestsPerMinute: count.describe("the most requests started in any 60 s window"),
  averageRequestsPerMinute: z.number().nonnegative(),
  tokensPerMinute: z.number().nonnegative().describe("average input + output tokens per minute"),
  concurrency: z.object({
    limit: count.describe("the adaptive limit at the end"),
    lowest: count.describe("the lowest it went"),
    peakInFlight: count.describe("the most requests in flight at once"),
    decreases: count,
  }),
  circuit: z.enum(["closed", "open"]),
});
export type EndpointTraffic = z.infer<typeof EndpointTrafficSchema>;

/** What the models of a run did: per role, per stage, per purpose, the total cost and each endpoint's traffic. */
export const ModelUsageReportSchema = z.object({
  roles: z.partialRecord(ModelRoleSchema, SpendSchema),
  stages: z.record(z.string(), SpendSchema).describe("per pipeline stage (domains, tools, agents, tasks, simulate, judge)"),
  purposes: z.record(z.string(), SpendSchema),
  failures: z.partialRecord(ModelFailureKindSchema, count).describe("item-level failures per kind"),
  cost: dollars.describe("total US dollars"),
  unpricedModels: z.array(z.string()).describe("models that answered but have no price in models.prices"),
  endpoints: z.array(EndpointTrafficSchema),
});
export type ModelUsageReport = z.infer<typeof ModelUsageReportSchema>;

/** Requests, tokens and cost, measured or projected. */
export const ProjectionSchema = z.object({
  requests: z.number().nonnegative(),
  inputTokens: z.number().nonnegative(),
  outputTokens: z.number().nonnegative(),
  cost: dollars,
});
export type Projection = z.infer<typeof ProjectionSchema>;

/**
 * What `agentsynth estimate` reports: the pilot it ran (a few episodes in a temporary data directory, counted and
 * paid for like any run) and what the whole config will take, per role and per stage, scaled from it.
 */
export const RunEstimateSchema = z.object({
  configName: z.string(),
  pilot: z.object({
    counts: z.object({ domains: count, agents: count, tasks: count, episodes: count, judged: count }),
    usage: ProjectionSchema,
    seconds: z.number().nonnegative(),
  }),
  full: z.object({ domains: count, agents: count, tasks: count, episodes: count }).describe("what the config asks for"),
  scale: z.record(z.string(), z.number().nonnegative()).describe("per stage: the full run's units over the pilot's"),
  projected: z.object({
    total: ProjectionSchema,
    roles: z.partialRecord(ModelRoleSchema, ProjectionSchema),
    stages: z.record(z.string(), ProjectionSchema),
  }),
  unpricedModels: z.array(z.string()).describe("models with no price in models.prices: their cost is counted as 0"),
  notes: z.array(z.string()),
});
export type RunEstimate = z.infer<typeof RunEstimateSchema>;

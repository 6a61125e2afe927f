import type { AgentRecord } from "../domain/agent.js";
import type { DomainRecord } from "../domain/domain.js";
import type { FaultRates } from "../domain/episode.js";
import type { TaskRecord } from "../domain/task.js";
import type { ToolRecord } from "../domain/tool.js";
import type { ContextBudget } from "./context-budget.js";
import type { LiveExecution } from "./live-tools.js";

export interface EpisodeLimits {
  maxTurns: number;
  /** Messages per episode (the tool results of the last assistant turn are always answered). */
  maxSteps: number;
  maxToolCallsPerTurn: number;
  /** The share of tool calls answered with each kind of injected fault (seeded per call); none when absent. */
  faults?: FaultRates | undefined;
  /** The agent's context budget; old tool results are shortened in its requests to stay within it. Unlimited when absent. */
  contextBudget?: ContextBudget | undefined;
}

export interface EpisodeSessionOptions {
  task: TaskRecord;
  agent: AgentRecord;
  tools: readonly ToolRecord[];
  /** The domains of the tools: their entities for the environment executor, the tool simulator's view of the domain. */
  domains?: readonly DomainRecord[] | undefined;
  index: number;
  seed: number;
  limits: EpisodeLimits;
  /** Provenance source of the record (default "simulate"). */
  source?: string | undefined;
  /** Live MCP servers, the execution policy and the recordings; without it every tool is simulated. */
  live?: LiveExecution | undefined;
}

import type { AgentRecord } from "../domain/agent.js";
import { attributeFailure, isFailedEpisode } from "../domain/attribution.js";
import { SCHEMA_VERSION, type JsonObject, type TokenUsage } from "../domain/common.js";
import type { ContextCut, EndReason, EpisodeRecord, FaultPlan, Step } from "../domain/episode.js";
import type { ChatMessage } from "../domain/message.js";
import type { TaskRecord } from "../domain/task.js";
import type { ToolRecord } from "../domain/tool.js";
import type { StageEnv } from "../model/stage-env.js";
import { verifyEpisode } from "../world/verify-episode.js";

/** Everything an episode in progress knows, to be written down as its record. */
export interface EpisodeParts {
  id?: string | undefined;
  source: string;
  task: TaskRecord;
  agent: AgentRecord;
  tools: readonly ToolRecord[];
  index: number;
  seed: number;
  messages: readonly ChatMessage[];
  steps: readonly Step[];
  state: JsonObject;
  endReason: EndReason;
  error?: string | undefined;
  labels: ReadonlySet<string>;
  promptHashes: ReadonlySet<string>;
  usage: TokenUsage;
  faultPlan?: FaultPlan | undefined;
  contextCuts: readonly ContextCut[];
}

/** The text of the agent's last answer (empty when it gave none). */
export function findFinalAnswer(messages: readonly ChatMessage[]): string {
  return [...messages].reverse().find((message) => message.role === "assistant" && message.content)?.content ?? "";
}

/**
 * The episode record (copies, so the session may go on), verified against its task's blueprint; a failed episode
 * says whom the failure is attributed to.
 */
export function buildEpisodeRecord(env: StageEnv, parts: EpisodeParts): EpisodeRecord {
  const { task, agent, seed } = parts;
  const record: EpisodeRecord = {
    id: parts.id ?? env.ids.next("ep"),
    kind: "episode",
    createdAt: env.clock.now().toISOString(),
    schemaVersion: SCHEMA_VERSION,
    provenance: {
      source: parts.source,
      models: { agent: env.models.agent.ref, userSimulator: env.models.userSimulator.ref, toolSimulator: env.models.toolSimulator.ref },
      seed,
      promptHashes: [...parts.promptHashes],
      ...(env.runId ? { runId: env.runId } : {}),
    },
    ...(env.runId ? { runId: env.runId } : {}),
    taskId: task.id,
    agentId: agent.id,
    index: parts.index,
    seed,
    toolIds: parts.tools.map((tool) => tool.id),
    messages: structuredClone([...parts.messages]),
    steps: structuredClone([...parts.steps]),
    worldState: { initial: task.initialState, final: structuredClone(parts.state) },
    status: parts.endReason === "error" ? "failed" : parts.endReason === "cancelled" ? "cancelled" : "completed",
    endReason: parts.endReason,
    ...(parts.error ? { error: parts.error } : {}),
    labels: [...parts.labels].sort(),
    ...(parts.faultPlan ? { faultPlan: structuredClone(parts.faultPlan) } : {}),
    contextCuts: parts.contextCuts.map((cut) => ({ ...cut })),
    verification: verifyEpisode({
      blueprint: task.blueprint,
      initialState: task.initialState,
      finalState: parts.state,
      finalAnswer: findFinalAnswer(parts.messages),
      steps: parts.steps.flatMap((step) => (step.tool ? [step.tool] : [])),
      executableTools: new Set(parts.tools.flatMap((tool) => (tool.effect ? [tool.name] : []))),
    }),
    usage: { ...parts.usage },
  };
  if (isFailedEpisode(record)) record.faultAttribution = attributeFailure(record);
  return record;
}

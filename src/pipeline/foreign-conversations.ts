import { SCHEMA_VERSION } from "../domain/common.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { RubricCriterion } from "../domain/rubric.js";
import type { TaskRecord } from "../domain/task.js";
import { TOOL_NAME_PATTERN, type ToolRecord, type ToolSpec } from "../domain/tool.js";
import type { ForeignConversation } from "../export/read-conversation.js";
import type { StageEnv } from "../model/stage-env.js";
import { hashValue } from "../support/hash.js";

/*
 * A conversation made elsewhere as the records of our own that every stage works on: its declared tools as
 * imported tool records, a task with its first user turn as the goal and a generic rubric, and a completed episode.
 * `curate` judges these in memory; `episodes import` stores them.
 */

/** The rule criteria every curated record is checked with (after the format checks and the judge's own rules). */
export const CURATION_RULES: RubricCriterion[] = [
  { id: "no-fabricated-ids", kind: "rule", description: "every id-like argument appeared earlier in the conversation", weight: 1, required: true, check: { type: "no_fabricated_ids" } },
  { id: "no-call-after-stop", kind: "rule", description: "no tool call after the conversation ended", weight: 1, required: true, check: { type: "no_call_after_stop" } },
];

/** The generic rubric the LLM judge scores a record made elsewhere by (it has no task of ours). */
export const CURATION_LLM_CRITERIA: RubricCriterion[] = [
  { id: "resolves-request", kind: "llm", description: "The assistant does what the user asked, or says clearly why it cannot, without asking for what it was already told.", weight: 1, required: true },
  { id: "faithful-answer", kind: "llm", description: "Every fact, id, number, name and outcome the assistant states is supported by a tool result, a user turn or the system prompt; it reports errors and not-found results as such.", weight: 1, required: true },
  { id: "sound-tool-use", kind: "llm", description: "Tools are called with sensible arguments, in a sensible order, without needless or repeated calls.", weight: 1, required: false },
];

/** The agent every episode imported from elsewhere is attributed to when no agent of its own is made. */
export const IMPORTED_AGENT_ID = "agt_imported";

/** The records of one foreign conversation: tools (ids from their spec, so the same spec is one tool), task and episode. */
export function toForeignRecords(
  conversation: ForeignConversation,
  env: StageEnv,
  options: { task: string; episode: string; criteria: readonly RubricCriterion[]; agentId?: string; file?: string; portableNames?: boolean },
): { tools: ToolRecord[]; task: TaskRecord; episode: EpisodeRecord } {
  const tools = conversation.tools.map((spec) => toToolRecord(spec, env, options));
  const task = foreignTask(conversation, options.criteria, env, options.task, options.agentId ?? IMPORTED_AGENT_ID);
  return { tools, task, episode: foreignEpisode(conversation, tools, task, env, options.episode) };
}

function header(env: StageEnv, id: string) {
  return { id, createdAt: env.clock.now().toISOString(), schemaVersion: SCHEMA_VERSION, provenance: { source: "import", models: {}, promptHashes: [] as string[], seed: env.seed } };
}

/**
 * A declared tool of a foreign record as a registry record (imported, no domain). Its id comes from the spec, so
 * every conversation that declares the same tool shares one record. With `portableNames` (records to store), a name a
 * provider would refuse is made portable (the original kept); for checks in memory the name stays as declared.
 */
function toToolRecord(spec: ToolSpec, env: StageEnv, options: { file?: string; portableNames?: boolean }): ToolRecord {
  const { file } = options;
  const name = !options.portableNames || TOOL_NAME_PATTERN.test(spec.name) ? spec.name : spec.name.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64) || "tool";
  return {
    ...header(env, `tool_imp_${hashValue(spec, 20)}`),
    kind: "tool",
    ...spec,
    name,
    source: "imported",
    origin: { originalName: spec.name, ...(file ? { file } : {}) },
    stale: false,
  };
}

/** The task a foreign record is judged against: its first user turn as the goal, the generic rubric. */
function foreignTask(conversation: ForeignConversation, criteria: readonly RubricCriterion[], env: StageEnv, id: string, agentId: string): TaskRecord {
  const firstUser = conversation.messages.find((message) => message.role === "user")?.content ?? "";
  return {
    ...header(env, id),
    kind: "task",
    agentId,
    goal: firstUser.trim().slice(0, 500) || "(no user turn)",
    persona: { name: "user", style: "as in the conversation", expertise: "intermediate", language: "en", patience: "medium" },
    hiddenFacts: [],
    rubric: { criteria: [...criteria], passThreshold: 0.7 },
    initialState: {},
    difficulty: "medium",
    expectedTools: [],
  };
}

/** A foreign conversation as an episode (completed, ended by the agent's answer, labelled `imported`). */
function foreignEpisode(conversation: ForeignConversation, tools: readonly ToolRecord[], task: TaskRecord, env: StageEnv, id: string): EpisodeRecord {
  return {
    ...header(env, id),
    kind: "episode",
    taskId: task.id,
    agentId: task.agentId,
    index: 0,
    seed: env.seed,
    toolIds: tools.map((tool) => tool.id),
    messages: conversation.messages,
    steps: conversation.messages.map((message, index) => ({ index, actor: message.role === "user" ? "user_simulator" : message.role === "tool" ? "tool_executor" : message.role === "system" ? "system" : "agent", latencyMs: 0, labels: [] })),
    worldState: { initial: {}, final: {} },
    status: "completed",
    endReason: "agent_final",
    labels: ["imported"],
    contextCuts: [],
    usage: { inputTokens: 0, outputTokens: 0 },
  };
}

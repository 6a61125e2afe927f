import { AgentRecordSchema, type AgentRecord } from "../domain/agent.js";
import { attributeFailure } from "../domain/attribution.js";
import { DatasetRecordSchema, type DatasetRecord } from "../domain/dataset.js";
import { DomainRecordSchema, type DomainRecord } from "../domain/domain.js";
import { classifyVerification, EpisodeRecordSchema, type EpisodeRecord } from "../domain/episode.js";
import { JudgmentRecordSchema, type JudgmentRecord } from "../domain/judgment.js";
import { RunRecordSchema, type RunRecord } from "../domain/run.js";
import { RecordingRecordSchema, type RecordingRecord } from "../domain/recording.js";
import { TaskRecordSchema, type TaskRecord } from "../domain/task.js";
import { ToolRecordSchema, ToolServerRecordSchema, type ToolRecord, type ToolServerRecord } from "../domain/tool.js";
import type { CollectionSpec } from "./store-file.js";
import type { EpisodeFacts, JudgmentFacts, RecordingFacts } from "./types.js";

/**
 * A large collection kept in shards: besides its schema, the small facts the store keeps in memory (and in
 * each sealed shard's index file) for every record, so counts and statistics need no scan of the records.
 */
export interface ShardedCollectionSpec<T, F> extends CollectionSpec<T> {
  facts: (record: T) => F;
  /** Changes whenever `facts` does, so index files written by another version are read again. */
  factsVersion: number;
}

interface StoreCollections {
  servers: CollectionSpec<ToolServerRecord>;
  tools: CollectionSpec<ToolRecord>;
  domains: CollectionSpec<DomainRecord>;
  agents: CollectionSpec<AgentRecord>;
  tasks: CollectionSpec<TaskRecord>;
  datasets: CollectionSpec<DatasetRecord>;
  runs: CollectionSpec<RunRecord>;
  episodes: ShardedCollectionSpec<EpisodeRecord, EpisodeFacts>;
  judgments: ShardedCollectionSpec<JudgmentRecord, JudgmentFacts>;
  recordings: ShardedCollectionSpec<RecordingRecord, RecordingFacts>;
}

/** Every collection of a store: its file (or folder) name, its record kind and the schema its records are checked against. */
export const COLLECTIONS: StoreCollections = {
  servers: { name: "servers", kind: "tool-server", schema: ToolServerRecordSchema },
  tools: { name: "tools", kind: "tool", schema: ToolRecordSchema },
  domains: { name: "domains", kind: "domain", schema: DomainRecordSchema },
  agents: { name: "agents", kind: "agent", schema: AgentRecordSchema },
  tasks: { name: "tasks", kind: "task", schema: TaskRecordSchema },
  datasets: { name: "datasets", kind: "dataset", schema: DatasetRecordSchema },
  runs: { name: "runs", kind: "run", schema: RunRecordSchema },
  episodes: { name: "episodes", kind: "episode", schema: EpisodeRecordSchema, facts: describeEpisode, factsVersion: 2 },
  judgments: { name: "judgments", kind: "judgment", schema: JudgmentRecordSchema, facts: describeJudgment, factsVersion: 1 },
  recordings: { name: "recordings", kind: "recording", schema: RecordingRecordSchema, facts: () => ({}), factsVersion: 1 },
};

function describeEpisode(episode: EpisodeRecord): EpisodeFacts {
  const executions: Record<string, number> = {};
  const faults: Record<string, number> = {};
  for (const step of episode.steps) {
    if (!step.tool) continue;
    executions[step.tool.execution] = (executions[step.tool.execution] ?? 0) + 1;
    if (step.tool.fault) faults[step.tool.fault] = (faults[step.tool.fault] ?? 0) + 1;
  }
  return {
    status: episode.status,
    endReason: episode.endReason,
    attribution: episode.faultAttribution ?? attributeFailure(episode),
    executions,
    faults,
    contextCuts: episode.contextCuts.length,
    taskId: episode.taskId,
    verification: classifyVerification(episode.verification),
  };
}

function describeJudgment(judgment: JudgmentRecord): JudgmentFacts {
  return {
    episodeId: judgment.episodeId,
    ...(judgment.runId !== undefined ? { runId: judgment.runId } : {}),
    score: judgment.score,
    verdict: judgment.verdict,
    ...(judgment.verdict === "fail" ? { reasons: judgment.reasons } : {}),
    ...(judgment.committee ? { committee: true } : {}),
  };
}

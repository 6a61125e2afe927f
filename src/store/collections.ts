import { AgentRecordSchema, type AgentRecord } from "../domain/agent.js";
import { DatasetRecordSchema, type DatasetRecord } from "../domain/dataset.js";
import { DomainRecordSchema, type DomainRecord } from "../domain/domain.js";
import { EpisodeRecordSchema, type EpisodeRecord } from "../domain/episode.js";
import { JudgmentRecordSchema, type JudgmentRecord } from "../domain/judgment.js";
import { RunRecordSchema, type RunRecord } from "../domain/run.js";
import { RecordingRecordSchema, type RecordingRecord } from "../domain/recording.js";
import { TaskRecordSchema, type TaskRecord } from "../domain/task.js";
import { ToolRecordSchema, ToolServerRecordSchema, type ToolRecord, type ToolServerRecord } from "../domain/tool.js";
import type { CollectionSpec } from "./store-file.js";

interface StoreCollections {
  servers: CollectionSpec<ToolServerRecord>;
  tools: CollectionSpec<ToolRecord>;
  domains: CollectionSpec<DomainRecord>;
  agents: CollectionSpec<AgentRecord>;
  tasks: CollectionSpec<TaskRecord>;
  datasets: CollectionSpec<DatasetRecord>;
  runs: CollectionSpec<RunRecord>;
  episodes: CollectionSpec<EpisodeRecord>;
  judgments: CollectionSpec<JudgmentRecord>;
  recordings: CollectionSpec<RecordingRecord>;
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
  episodes: { name: "episodes", kind: "episode", schema: EpisodeRecordSchema },
  judgments: { name: "judgments", kind: "judgment", schema: JudgmentRecordSchema },
  recordings: { name: "recordings", kind: "recording", schema: RecordingRecordSchema },
};

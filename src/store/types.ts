import type { AgentRecord } from "../domain/agent.js";
import type { DatasetRecord } from "../domain/dataset.js";
import type { DomainRecord } from "../domain/domain.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { JudgmentRecord } from "../domain/judgment.js";
import type { RunRecord } from "../domain/run.js";
import type { RecordingRecord } from "../domain/recording.js";
import type { TaskRecord } from "../domain/task.js";
import type { ToolRecord, ToolServerRecord } from "../domain/tool.js";

export interface StoredRecord {
  id: string;
}

/** A small collection kept whole in one lowdb JSON file (tools, agents, tasks, …). */
export interface Catalog<T extends StoredRecord> {
  readonly file: string;
  get(id: string): Promise<T | undefined>;
  /** Like get, but throws NotFoundError. */
  require(id: string): Promise<T>;
  all(): Promise<T[]>;
  find(predicate: (record: T) => boolean): Promise<T[]>;
  count(): Promise<number>;
  /** Insert or replace by id; validated against the record schema; one atomic write. */
  put(record: T): Promise<void>;
  /** Insert or replace many records in one atomic write. */
  putMany(records: readonly T[]): Promise<void>;
  remove(id: string): Promise<boolean>;
}

/**
 * A large append-mostly collection (episodes, judgments) kept in bounded lowdb shards, so adding the
 * 20,000th record costs what the 1,000th did. Reads stream shard by shard.
 */
export interface ShardedCollection<T extends StoredRecord> {
  readonly directory: string;
  /** Validated, then written atomically to the current shard; durable when the promise resolves. */
  append(record: T): Promise<void>;
  get(id: string): Promise<T | undefined>;
  require(id: string): Promise<T>;
  /** Every record, oldest first, one shard in memory at a time. */
  scan(): AsyncIterable<T>;
  find(predicate: (record: T) => boolean): Promise<T[]>;
  count(): Promise<number>;
}

export interface Store {
  readonly dataDir: string;
  readonly servers: Catalog<ToolServerRecord>;
  readonly tools: Catalog<ToolRecord>;
  readonly domains: Catalog<DomainRecord>;
  readonly agents: Catalog<AgentRecord>;
  readonly tasks: Catalog<TaskRecord>;
  readonly datasets: Catalog<DatasetRecord>;
  readonly runs: Catalog<RunRecord>;
  readonly episodes: ShardedCollection<EpisodeRecord>;
  readonly judgments: ShardedCollection<JudgmentRecord>;
  /** Real tool calls and their answers (few-shot examples for the tool simulator, replay). */
  readonly recordings: ShardedCollection<RecordingRecord>;
  /** Flush and release the data-directory lock. */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  dataDir: string;
  /** Records per shard file for episodes and judgments (default 200). */
  shardSize?: number;
}

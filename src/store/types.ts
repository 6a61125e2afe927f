import type { AgentRecord } from "../domain/agent.js";
import type { DatasetRecord } from "../domain/dataset.js";
import type { DomainRecord } from "../domain/domain.js";
import type { EndReason, EpisodeRecord, FaultAttribution, VerificationOutcome } from "../domain/episode.js";
import type { JudgmentRecord, Verdict } from "../domain/judgment.js";
import type { RunRecord, SimulationTally } from "../domain/run.js";
import type { RecordingRecord } from "../domain/recording.js";
import type { TaskRecord } from "../domain/task.js";
import type { ToolRecord, ToolServerRecord } from "../domain/tool.js";
import type { StoreFileSystem } from "./file-system.js";

export interface StoredRecord {
  id: string;
}

/** A small collection kept whole in one lowdb JSON file (tools, agents, tasks, …), shared by every process on the data directory. */
export interface Catalog<T extends StoredRecord> {
  readonly file: string;
  get(id: string): Promise<T | undefined>;
  /** Like get, but throws NotFoundError. */
  require(id: string): Promise<T>;
  /** Copies of every record, in insertion order. */
  all(): Promise<T[]>;
  /**
   * The records themselves, in insertion order, without copying: deeply frozen (changing one throws). For
   * reading many records cheaply (counting, paging); take a copy (structuredClone) to change one.
   */
  view(): Promise<CatalogView<T>>;
  find(predicate: (record: T) => boolean): Promise<T[]>;
  count(): Promise<number>;
  /** Insert or replace by id; validated against the record schema; one durable write. */
  put(record: T): Promise<void>;
  /** Insert or replace many records in one durable write. */
  putMany(records: readonly T[]): Promise<void>;
  remove(id: string): Promise<boolean>;
}

/** A catalog's records as they are at one moment (see Catalog.view). */
export interface CatalogView<T> {
  readonly records: readonly T[];
  /** Where the record with this id is in `records`, found at once. */
  positionOf(id: string): number | undefined;
}

/** What the store keeps in memory about every episode (see COLLECTIONS). */
export interface EpisodeFacts {
  status: EpisodeRecord["status"];
  endReason: EndReason;
  /** Whom a failure of this episode is attributed to (its own attribution, else the one its labels give). */
  attribution: FaultAttribution;
  /** Tool results per execution. */
  executions: Record<string, number>;
  /** Injected faults per kind. */
  faults: Record<string, number>;
  contextCuts: number;
  /** Its task (for the task's shape on a dataset card). */
  taskId: string;
  /** How its verification against the task's blueprint came out. */
  verification: VerificationOutcome;
}

/** What the store keeps in memory about every judgment. */
export interface JudgmentFacts {
  episodeId: string;
  runId?: string;
  score: number;
  verdict: Verdict;
  /** The reason codes of a failing verdict. */
  reasons?: string[];
  /** Present (true) when a committee of judges scored it. */
  committee?: true;
}

export type RecordingFacts = Record<string, never>;

/**
 * A large append-mostly collection (episodes, judgments, recordings) kept in bounded shards, so adding the
 * 100,000th record costs what the 1,000th did. Several processes append to it at once, each to shards of its
 * own; reads see the records of all of them. Reads stream shard by shard.
 */
export interface ShardedCollection<T extends StoredRecord, F = unknown> {
  readonly directory: string;
  /** Validated, then appended to this process's current shard; durable when the promise resolves. */
  append(record: T): Promise<void>;
  get(id: string): Promise<T | undefined>;
  require(id: string): Promise<T>;
  /**
   * The records with these ids in this order, each read once (runs that sit together in a shard in one read).
   * Every id is checked before the first record comes: an unknown one is a NotFoundError.
   */
  getMany(ids: readonly string[]): AsyncIterable<T>;
  /** Every record, oldest first, one shard in memory at a time. */
  scan(): AsyncIterable<T>;
  find(predicate: (record: T) => boolean): Promise<T[]>;
  count(): Promise<number>;
  /** The facts of every record by id (the newest record of an id), in store order, from memory. */
  facts(): Promise<ReadonlyMap<string, F>>;
}

/** Counts over every episode and its newest judgment, kept up to date as records are appended (no scan). */
export interface EpisodeStatistics {
  /** Episodes (distinct ids). */
  episodes: number;
  /** Judgment records. */
  judgments: number;
  /** Episodes per status (only statuses some episode has). */
  byStatus: Record<string, number>;
  /** Episodes by the verdict of their newest judgment, or `unjudged` (only those some episode has). */
  verdicts: Record<string, number>;
  /** Reason codes of failing verdicts, over each episode's newest judgment. */
  rejectionReasons: Record<string, number>;
  /** As SimulationTallier counts it: a failure is an episode not completed, or judged fail. */
  simulation: SimulationTally;
  /** Episodes per verification outcome (only outcomes some episode has). */
  verification: Record<string, number>;
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
  readonly episodes: ShardedCollection<EpisodeRecord, EpisodeFacts>;
  readonly judgments: ShardedCollection<JudgmentRecord, JudgmentFacts>;
  /** Real tool calls and their answers (few-shot examples for the tool simulator, replay). */
  readonly recordings: ShardedCollection<RecordingRecord, RecordingFacts>;
  /** Episode and judgment counts from the maintained index (see EpisodeStatistics). */
  statistics(): Promise<EpisodeStatistics>;
  /** Flush, and seal the shards this store was writing. */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  dataDir: string;
  /** Records per shard file for episodes, judgments and recordings (default 200). */
  shardSize?: number;
  /** Where the store writes (tests record the calls); node:fs by default. */
  fileSystem?: StoreFileSystem;
  /** Told about data the store dropped, such as a torn last line left by a killed writer (default: stderr). */
  onWarning?: (message: string) => void;
}

import { SCHEMA_VERSION, type JsonObject, type JsonValue } from "../domain/common.js";
import type { RecordingRecord } from "../domain/recording.js";
import type { ToolRecord } from "../domain/tool.js";
import type { ToolCallRecord } from "../model/request-context.js";
import type { ShardedCollection } from "../store/types.js";
import type { Clock } from "../support/clock.js";
import { hashValue } from "../support/hash.js";
import type { IdGenerator } from "../support/ids.js";

export interface NewRecording {
  tool: ToolRecord;
  arguments: JsonObject;
  result: JsonValue;
  isError: boolean;
  latencyMs: number;
  runId?: string | undefined;
}

/** The key a replay matches on: the tool and its arguments, keys in any order. */
export function argumentsKey(args: JsonObject): string {
  return hashValue(args, 24);
}

/**
 * The real calls recorded so far, indexed by tool: new ones are stored as they happen, earlier ones (from
 * the store) answer replays and serve as few-shot examples for the tool simulator.
 */
export class RecordingBook {
  readonly #byTool = new Map<string, RecordingRecord[]>();
  readonly #collection: ShardedCollection<RecordingRecord> | undefined;
  readonly #ids: IdGenerator;
  readonly #clock: Clock;

  constructor(options: { collection?: ShardedCollection<RecordingRecord> | undefined; ids: IdGenerator; clock: Clock; recordings?: readonly RecordingRecord[] }) {
    this.#collection = options.collection;
    this.#ids = options.ids;
    this.#clock = options.clock;
    for (const recording of options.recordings ?? []) this.#index(recording);
  }

  /** Load the stored recordings of the given tools. */
  static async load(options: { collection: ShardedCollection<RecordingRecord>; toolIds: ReadonlySet<string>; ids: IdGenerator; clock: Clock }): Promise<RecordingBook> {
    const recordings: RecordingRecord[] = [];
    if (options.toolIds.size > 0) for await (const recording of options.collection.scan()) if (options.toolIds.has(recording.toolId)) recordings.push(recording);
    return new RecordingBook({ collection: options.collection, ids: options.ids, clock: options.clock, recordings });
  }

  /** The newest recording of this tool with these arguments. */
  find(toolId: string, args: JsonObject): RecordingRecord | undefined {
    const key = argumentsKey(args);
    const recordings = this.#byTool.get(toolId) ?? [];
    for (let index = recordings.length - 1; index >= 0; index--) if (recordings[index]?.argumentsKey === key) return recordings[index];
    return undefined;
  }

  /** Up to `limit` recorded calls of the tool (newest first, one per distinct arguments), as the tool simulator sees calls. */
  examples(toolId: string, limit: number): ToolCallRecord[] {
    const seen = new Set<string>();
    const examples: ToolCallRecord[] = [];
    for (const recording of [...(this.#byTool.get(toolId) ?? [])].reverse()) {
      if (examples.length >= limit) break;
      if (seen.has(recording.argumentsKey)) continue;
      seen.add(recording.argumentsKey);
      examples.push({ tool: recording.toolName, arguments: recording.arguments, result: recording.result });
    }
    return examples;
  }

  /** Record a real call: indexed at once, and stored when the book has a collection. */
  async add(input: NewRecording): Promise<RecordingRecord> {
    const { tool } = input;
    const recording: RecordingRecord = {
      id: this.#ids.next("rec"),
      kind: "recording",
      createdAt: this.#clock.now().toISOString(),
      schemaVersion: SCHEMA_VERSION,
      provenance: { source: "simulate:real-call", models: {}, promptHashes: [], ...(input.runId ? { runId: input.runId } : {}) },
      toolId: tool.id,
      toolName: tool.name,
      serverName: tool.origin.configName ?? tool.origin.serverName ?? "",
      originalName: tool.origin.originalName,
      arguments: input.arguments,
      argumentsKey: argumentsKey(input.arguments),
      result: input.result,
      isError: input.isError,
      latencyMs: input.latencyMs,
    };
    this.#index(recording);
    await this.#collection?.append(recording);
    return recording;
  }

  #index(recording: RecordingRecord): void {
    const list = this.#byTool.get(recording.toolId) ?? [];
    list.push(recording);
    this.#byTool.set(recording.toolId, list);
  }
}

import { open } from "node:fs/promises";
import { StoreCorruptError } from "../errors/store-corrupt-error.js";
import { describeError } from "../errors/describe-error.js";
import { ProcessIdentitySchema, type ProcessIdentity } from "./lock-holder.js";
import { assertStoreHeader, createStoreFile, type CollectionSpec } from "./store-file.js";

/** The `layout` a shard's header line names. */
export const SHARD_LAYOUT = "jsonl";

/** The first line of every shard: the store header, and which process writes the shard. */
export interface ShardHeader {
  format: string;
  collection: string;
  schemaVersion: number;
  layout: typeof SHARD_LAYOUT;
  writer: ProcessIdentity;
}

/** A new shard's header, and its first line. */
export function createShardHeader(collection: string, writer: ProcessIdentity): { header: ShardHeader; line: string } {
  const { records: _none, ...store } = createStoreFile(collection, []);
  const header: ShardHeader = { ...store, layout: SHARD_LAYOUT, writer };
  return { header, line: `${JSON.stringify(header)}\n` };
}

/** One complete line of a shard, parsed as JSON but not yet checked against the record schema. */
export interface ShardLine {
  /** Byte offset of the line in the file. */
  offset: number;
  /** Its length in bytes, without the newline. */
  length: number;
  /** 1-based line number in the file (the header is line 1). */
  number: number;
  value: unknown;
}

export interface DecodedShardChunk {
  /** Present when the chunk starts at the beginning of the file and its first line is complete. */
  header?: ShardHeader | undefined;
  lines: ShardLine[];
  /** File offset just after what was consumed; what follows is an unfinished line of a live writer. */
  end: number;
  /** Set when a torn last line (left by a writer that is gone) was dropped: a description for a warning. */
  torn?: string | undefined;
}

export interface DecodeShardOptions {
  file: string;
  spec: CollectionSpec<unknown>;
  buffer: Buffer;
  /** File offset of the buffer's first byte: 0, or the end of a complete line. */
  start: number;
  /** Line number of the buffer's first line. */
  firstLine: number;
  /** The shard's header, known from an earlier chunk (needed when start > 0). */
  header?: ShardHeader | undefined;
  /** Whether the writer named in the header has stopped for good (asked only about a torn-looking end). */
  isWriterGone: (writer: ProcessIdentity) => boolean;
}

/**
 * Splits a chunk of a shard into its complete lines. A record is written whole with its newline, so an
 * unterminated end is a line still being written, or, when the writer is gone (killed, or a power loss), a
 * torn line: dropped, and reported in `torn`. A last complete line that is not JSON is torn the same way
 * when the writer is gone; any other line that is not JSON is corruption (StoreCorruptError).
 */
export function decodeShardChunk(options: DecodeShardOptions): DecodedShardChunk {
  const { buffer, file } = options;
  let position = 0;
  let lineNumber = options.firstLine;
  let header = options.header;
  const lines: ShardLine[] = [];
  if (options.start === 0) {
    const newline = buffer.indexOf(10);
    if (newline < 0) return { lines, end: 0 }; // an empty or unfinished header: the shard is being created (or its creator died: nothing in it)
    header = parseShardHeader(file, buffer.toString("utf8", 0, newline), options.spec);
    position = newline + 1;
    lineNumber += 1;
  }
  if (header === undefined) throw new Error(`${file}: a chunk after the start of a shard needs the shard's header`);
  const writer = header.writer;
  for (;;) {
    const newline = buffer.indexOf(10, position);
    if (newline < 0) break;
    const text = buffer.toString("utf8", position, newline);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const last = newline === buffer.length - 1;
      if (last && options.isWriterGone(writer)) {
        return { header, lines, end: options.start + buffer.length, torn: `line ${lineNumber} is not JSON (${describeError(error)})` };
      }
      throw new StoreCorruptError(file, `has a line that is not JSON at line ${lineNumber} (${describeError(error)})`, { cause: error });
    }
    lines.push({ offset: options.start + position, length: newline - position, number: lineNumber, value });
    position = newline + 1;
    lineNumber += 1;
  }
  if (position < buffer.length && options.isWriterGone(writer)) {
    return { header, lines, end: options.start + buffer.length, torn: `line ${lineNumber} is unfinished (${buffer.length - position} bytes without a newline)` };
  }
  return { header, lines, end: options.start + position };
}

function parseShardHeader(file: string, text: string, spec: CollectionSpec<unknown>): ShardHeader {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new StoreCorruptError(file, `is not an agentsynth store file (its first line is not JSON: ${describeError(error)})`, { cause: error });
  }
  assertStoreHeader(file, data, spec);
  if (data.layout !== SHARD_LAYOUT) throw new StoreCorruptError(file, `has the layout ${JSON.stringify(data.layout)} in its header, not "${SHARD_LAYOUT}"`);
  const writer = ProcessIdentitySchema.safeParse(data.writer);
  if (!writer.success) throw new StoreCorruptError(file, "does not name its writer in its header");
  return { format: String(data.format), collection: String(data.collection), schemaVersion: Number(data.schemaVersion), layout: SHARD_LAYOUT, writer: writer.data };
}

/** Bytes `from`…`to` of a file (fewer if it is shorter); a missing or unreadable file is a StoreCorruptError. */
export async function readFileRange(file: string, from: number, to: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    throw new StoreCorruptError(file, `cannot be read (${describeError(error)})`, { cause: error });
  }
  try {
    const buffer = Buffer.allocUnsafe(Math.max(0, to - from));
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, from + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === buffer.length ? buffer : buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

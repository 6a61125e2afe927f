import { createReadStream } from "node:fs";
import { appendFile, mkdir, open, readdir, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { fingerprintRequest } from "./generate.js";
import type { LanguageModel, ModelRequest, ModelResponse } from "./language-model.js";

/** Where a cached answer is: its segment file, and its line's byte range. */
interface Location {
  file: string;
  offset: number;
  length: number;
}

/** New answers wait this long to be written together (one append for many). */
const FLUSH_DELAY_MS = 200;
const SEGMENT_SUFFIX = ".jsonl";
/** Every line starts `{"key":"<32 hex>"`, so a line's key is read without parsing it. */
const KEY_START = '{"key":"'.length;
const KEY_LENGTH = 32;

/**
 * The answers of remote models, by the fingerprint of their request (model and its settings, messages, tools,
 * parameters, seed), kept in the data directory (`cache/responses/*.jsonl`): asking the same again costs no request.
 * Each process appends to a segment file of its own (new answers batched, one append per batch); the index of every
 * segment (key → byte range) is read on first use and the answers themselves only when asked for, so a cache of
 * millions of answers costs an index in memory. A line torn by a killed writer is skipped. The cache never fails a
 * run: when it cannot be read or written, it warns once and answers nothing from then on.
 */
export class ResponseCache {
  readonly #directory: string;
  readonly #onWarning: (message: string) => void;
  readonly #segment: string;
  #index: Promise<Map<string, Location>> | undefined;
  readonly #pending = new Map<string, string>();
  readonly #handles = new Map<string, Promise<FileHandle>>();
  #segmentSize = 0;
  #flushTimer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #broken = false;

  constructor(directory: string, options: { onWarning?: ((message: string) => void) | undefined } = {}) {
    this.#directory = directory;
    this.#onWarning = options.onWarning ?? ((message) => process.stderr.write(`agentsynth: ${message}\n`));
    this.#segment = join(directory, `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}${SEGMENT_SUFFIX}`);
  }

  /** The cached answer of this fingerprint, or undefined. */
  async get(key: string): Promise<ModelResponse | undefined> {
    if (this.#broken) return undefined;
    const pending = this.#pending.get(key);
    if (pending !== undefined) return parseLine(pending);
    try {
      const location = (await this.#loadIndex()).get(key);
      if (!location) return undefined;
      const handle = await this.#handle(location.file);
      const buffer = Buffer.alloc(location.length);
      await handle.read(buffer, 0, location.length, location.offset);
      return parseLine(buffer.toString("utf8"));
    } catch (error) {
      this.#fail(error);
      return undefined;
    }
  }

  /** Keep an answer (written within FLUSH_DELAY_MS, or on flush). */
  put(key: string, response: ModelResponse): void {
    if (this.#broken) return;
    const { cached: _cached, ...answer } = response;
    this.#pending.set(key, `${JSON.stringify({ key, response: answer })}\n`);
    this.#flushTimer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
  }

  /** Write the answers kept so far. */
  flush(): Promise<void> {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    this.#flushing = this.#flushing.then(() => this.#writePending());
    return this.#flushing;
  }

  /** Write what is kept and close the files. */
  async close(): Promise<void> {
    await this.flush();
    const handles = [...this.#handles.values()];
    this.#handles.clear();
    await Promise.all(handles.map(async (handle) => (await handle.catch(() => undefined))?.close()));
  }

  async #writePending(): Promise<void> {
    if (this.#pending.size === 0 || this.#broken) return;
    const entries = [...this.#pending];
    try {
      const index = await this.#loadIndex();
      const text = entries.map(([, line]) => line).join("");
      await appendFile(this.#segment, text);
      let offset = this.#segmentSize;
      for (const [key, line] of entries) {
        const length = Buffer.byteLength(line) - 1;
        index.set(key, { file: this.#segment, offset, length });
        offset += length + 1;
        if (this.#pending.get(key) === line) this.#pending.delete(key);
      }
      this.#segmentSize = offset;
    } catch (error) {
      this.#fail(error);
    }
  }

  #loadIndex(): Promise<Map<string, Location>> {
    this.#index ??= (async () => {
      await mkdir(this.#directory, { recursive: true });
      const index = new Map<string, Location>();
      const files = (await readdir(this.#directory)).filter((name) => name.endsWith(SEGMENT_SUFFIX)).sort();
      for (const name of files) await indexSegment(join(this.#directory, name), index);
      return index;
    })();
    return this.#index;
  }

  #handle(file: string): Promise<FileHandle> {
    let handle = this.#handles.get(file);
    if (!handle) {
      handle = open(file, "r");
      this.#handles.set(file, handle);
    }
    return handle;
  }

  #fail(error: unknown): void {
    if (this.#broken) return;
    this.#broken = true;
    this.#pending.clear();
    this.#onWarning(`the response cache in ${this.#directory} is not used from now on: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Add the key and byte range of every whole line of one segment, streaming it. */
async function indexSegment(file: string, index: Map<string, Location>): Promise<void> {
  let offset = 0;
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(file)) {
    const data = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let end = data.indexOf(10, start); end !== -1; end = data.indexOf(10, start)) {
      const length = end - start;
      if (length > KEY_START + KEY_LENGTH) index.set(data.toString("latin1", start + KEY_START, start + KEY_START + KEY_LENGTH), { file, offset: offset + start, length });
      start = end + 1;
    }
    offset += start;
    carry = data.subarray(start);
  }
}

function parseLine(line: string): ModelResponse | undefined {
  try {
    const parsed = JSON.parse(line) as { response?: ModelResponse };
    return parsed.response ? { ...parsed.response, latencyMs: 0, cached: true } : undefined;
  } catch {
    return undefined; // a line torn by a killed writer
  }
}

/**
 * A model that answers from the cache when it can and keeps what it is newly answered. `identity` names the model and
 * every setting that shapes its answers (provider, model, base URL, temperature, extra body, …), never the key.
 */
export function withResponseCache(model: LanguageModel, cache: ResponseCache, identity: string): LanguageModel {
  return {
    ref: model.ref,
    async generate(request: ModelRequest): Promise<ModelResponse> {
      const key = fingerprintRequest(identity, request);
      const cached = await cache.get(key);
      if (cached) return cached;
      const response = await model.generate(request);
      cache.put(key, response);
      return response;
    },
    ...(model.recordFailure ? { recordFailure: model.recordFailure.bind(model) } : {}),
  };
}

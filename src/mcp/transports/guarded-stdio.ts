import type { Readable, Writable } from "node:stream";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ErrorCode, JSONRPCMessageSchema, type JSONRPCMessage, type RequestId } from "@modelcontextprotocol/sdk/types.js";

/** The largest message a client may send by default: 4 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** How much of an oversized message is kept to find its id. */
const HEAD_BYTES = 64 * 1024;

export interface GuardedStdioOptions {
  /** Messages (lines) longer than this are answered with an error and dropped, and the server keeps serving. */
  maxMessageBytes?: number | undefined;
  /** Where a refused message is reported (stderr: stdout carries only the protocol). */
  log: (line: string) => void;
}

/**
 * The MCP stdio transport (one JSON-RPC message per line) with limits: a line larger than the cap is never
 * buffered whole, but answered with an invalid-request error (with the request's id when its first bytes show
 * it) and logged; a line that is not JSON, or not a JSON-RPC message, is answered with a parse or
 * invalid-request error. The connection stays open either way (the SDK's own transport closes it on a message
 * over 10 MiB and says nothing).
 */
export class GuardedStdioServerTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  readonly #stdin: Readable;
  readonly #stdout: Writable;
  readonly #maxBytes: number;
  readonly #log: (line: string) => void;
  #parts: Buffer[] = [];
  #size = 0;
  /** Set while the rest of an oversized line is skipped: its first bytes, to find the id. */
  #oversized: { head: Buffer } | undefined;
  #started = false;

  constructor(stdin: Readable, stdout: Writable, options: GuardedStdioOptions) {
    this.#stdin = stdin;
    this.#stdout = stdout;
    this.#maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.#log = options.log;
  }

  async start(): Promise<void> {
    if (this.#started) throw new Error("GuardedStdioServerTransport already started");
    this.#started = true;
    this.#stdin.on("data", this.#onData);
    this.#stdin.on("error", this.#onError);
  }

  async close(): Promise<void> {
    this.#stdin.off("data", this.#onData);
    this.#stdin.off("error", this.#onError);
    if (this.#stdin.listenerCount("data") === 0) this.#stdin.pause();
    this.#parts = [];
    this.#size = 0;
    this.#oversized = undefined;
    this.onclose?.();
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.#stdout.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.#stdout.once("drain", resolve);
    });
  }

  readonly #onError = (error: Error): void => this.onerror?.(error);

  readonly #onData = (chunk: Buffer | string): void => {
    const data = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    let offset = 0;
    while (offset < data.length) {
      const newline = data.indexOf(10, offset);
      this.#take(data.subarray(offset, newline === -1 ? data.length : newline));
      if (newline === -1) break;
      this.#endLine();
      offset = newline + 1;
    }
  };

  #take(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.#oversized) return;
    if (this.#size + piece.length <= this.#maxBytes) {
      this.#parts.push(piece);
      this.#size += piece.length;
      return;
    }
    const head = Buffer.concat([...this.#parts, piece]).subarray(0, HEAD_BYTES);
    this.#oversized = { head: Buffer.from(head) };
    this.#parts = [];
  }

  #endLine(): void {
    const oversized = this.#oversized;
    const line = Buffer.concat(this.#parts).toString("utf8").replace(/\r$/, "");
    this.#parts = [];
    this.#size = 0;
    this.#oversized = undefined;
    if (oversized) return this.#refuseOversized(oversized.head);
    if (line.trim() === "") return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return this.#answerError(null, ErrorCode.ParseError, "Parse error: the message is not valid JSON (send one JSON-RPC message per line)");
    }
    const parsed = JSONRPCMessageSchema.safeParse(json);
    if (!parsed.success) return this.#answerError(idOf(json), ErrorCode.InvalidRequest, "Invalid Request: the message is not a JSON-RPC 2.0 request, notification or response");
    try {
      this.onmessage?.(parsed.data);
    } catch (error) {
      this.onerror?.(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #refuseOversized(head: Buffer): void {
    const id = findTopLevelId(head.toString("utf8"));
    const message = `Invalid Request: the message is larger than the ${this.#maxBytes}-byte limit and was dropped; send smaller arguments (the limit is set with serve --max-message-bytes)`;
    this.#log(`agentsynth: refused a message larger than ${this.#maxBytes} bytes${id === undefined ? "" : ` (request id ${JSON.stringify(id)})`}; still serving`);
    // A notification (no id) gets no answer; a request whose id cannot be found gets the error with id null.
    if (id === undefined && /"method"/.test(head.toString("utf8")) && !/"id"/.test(head.toString("utf8"))) return;
    this.#answerError(id ?? null, ErrorCode.InvalidRequest, message);
  }

  #answerError(id: RequestId | null, code: number, message: string): void {
    // JSON-RPC answers an error whose request id is unknown with id null; the SDK's message type has no room for it.
    const answer = { jsonrpc: "2.0", id, error: { code, message } } as unknown as JSONRPCMessage;
    void this.send(answer).catch((error: unknown) => this.onerror?.(error instanceof Error ? error : new Error(String(error))));
  }
}

function idOf(json: unknown): RequestId | null {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return null;
  const id = (json as { id?: unknown }).id;
  return typeof id === "string" || (typeof id === "number" && Number.isFinite(id)) ? id : null;
}

/**
 * The `id` of the top-level object in the first bytes of a JSON text (a string or a number), found by a scan
 * that skips strings and nested values, so an `"id"` inside the params is not taken for the request's.
 */
export function findTopLevelId(text: string): RequestId | undefined {
  let depth = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '"') {
      const end = endOfString(text, index);
      if (end === -1) return undefined;
      if (depth === 1 && text.slice(index, end + 1) === '"id"') {
        const value = /^\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?)/.exec(text.slice(end + 1, end + 200));
        if (value?.[1] !== undefined) return JSON.parse(value[1]) as RequestId;
      }
      index = end;
    } else if (char === "{" || char === "[") depth++;
    else if (char === "}" || char === "]") depth--;
  }
  return undefined;
}

function endOfString(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index++) {
    if (text[index] === "\\") index++;
    else if (text[index] === '"') return index;
  }
  return -1;
}

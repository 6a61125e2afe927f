import { createHash, type Hash } from "node:crypto";
import { once } from "node:events";
import type { WriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { commitTemporary, openTemporaryBeside } from "../support/no-follow-files.js";

/**
 * A JSONL file written under a fresh temporary name beside it (created exclusively, never through a link) and
 * renamed into place when complete, so a crash or a cancellation never leaves a half-written file under the
 * final name and a link planted in the folder is never written through. Hashes what it writes.
 */
export class JsonlWriter {
  readonly path: string;
  readonly #partial: string;
  readonly #stream: WriteStream;
  readonly #hash: Hash = createHash("sha256");
  #records = 0;

  private constructor(path: string, partial: string, stream: WriteStream) {
    this.path = path;
    this.#partial = partial;
    this.#stream = stream;
  }

  static async create(path: string): Promise<JsonlWriter> {
    const temporary = await openTemporaryBeside(path, ".partial");
    return new JsonlWriter(path, temporary.path, temporary.handle.createWriteStream({ encoding: "utf8" }));
  }

  get records(): number {
    return this.#records;
  }

  async write(record: object): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    this.#hash.update(line);
    this.#records++;
    if (!this.#stream.write(line)) await once(this.#stream, "drain");
  }

  /** Close and move into place; returns the file's sha256. */
  async commit(): Promise<string> {
    this.#stream.end();
    await once(this.#stream, "close");
    await commitTemporary(this.#partial, this.path);
    return this.#hash.digest("hex");
  }

  async discard(): Promise<void> {
    const closed = this.#stream.closed ? Promise.resolve() : once(this.#stream, "close").catch(() => undefined);
    this.#stream.destroy();
    await closed;
    await rm(this.#partial, { force: true });
  }
}

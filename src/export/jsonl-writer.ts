import { createHash, type Hash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";

/**
 * A JSONL file written under a temporary name (`<path>.partial`) and renamed when complete, so a crash or a
 * cancellation never leaves a half-written file under the final name. Hashes what it writes.
 */
export class JsonlWriter {
  readonly path: string;
  readonly #partial: string;
  readonly #stream: WriteStream;
  readonly #hash: Hash = createHash("sha256");
  #records = 0;

  constructor(path: string) {
    this.path = path;
    this.#partial = `${path}.partial`;
    this.#stream = createWriteStream(this.#partial, { encoding: "utf8" });
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
    await once(this.#stream, "finish");
    await rename(this.#partial, this.path);
    return this.#hash.digest("hex");
  }

  async discard(): Promise<void> {
    this.#stream.destroy();
    await rm(this.#partial, { force: true });
  }
}

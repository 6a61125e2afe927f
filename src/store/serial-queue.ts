/** Runs async tasks one after another, in the order they were queued; a failed task does not stop the queue. */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<R>(task: () => Promise<R>): Promise<R> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves when every task queued so far has settled. */
  async waitUntilIdle(): Promise<void> {
    await this.#tail;
  }
}

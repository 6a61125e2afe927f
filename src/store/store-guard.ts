/** Shared by the collections of one store: once the store is closed, new operations are refused. */
export class StoreGuard {
  #closed = false;

  constructor(readonly dataDir: string) {}

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    this.#closed = true;
  }

  assertOpen(): void {
    if (this.#closed) throw new Error(`the store at ${this.dataDir} is closed`);
  }
}

import { CancelledError } from "../errors/cancelled-error.js";
import { followSignal } from "./forward-abort.js";

/**
 * Run `worker` over `items` with at most `concurrency` at once. Results keep the input order.
 * When `signal` aborts, no new item starts; items already running finish (they get the signal too).
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let nextIndex = 0;
  let failure: unknown;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (failure === undefined && !signal?.aborted) {
      const index = nextIndex++;
      if (index >= items.length) return;
      try {
        results[index] = await worker(items[index] as T, index);
      } catch (error) {
        failure ??= error;
      }
    }
  });
  await Promise.all(lanes);
  if (failure !== undefined) throw failure;
  if (signal?.aborted) throw new CancelledError();
  return results;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/**
 * Wait `ms`; when `signal` aborts (or has), reject at once with a CancelledError. Many sleepers on one signal
 * (requests backing off together) share its single abort listener (see forwardAbort).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const followed = followSignal(signal);
    const timer = setTimeout(() => {
      followed.release();
      resolve();
    }, ms);
    followed.signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(new CancelledError());
      },
      { once: true },
    );
  });
}

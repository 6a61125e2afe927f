/** The controllers waiting on one signal, and the single listener that aborts them all. */
interface Followers {
  controllers: Set<AbortController>;
  onAbort: () => void;
}

const followersOf = new WeakMap<AbortSignal, Followers>();

/**
 * Abort `controller` when `signal` aborts, until the returned function is called. However many controllers
 * follow one signal at once (a run's signal over hundreds of live tool calls and model requests), the signal
 * carries one abort listener, so Node never warns of a listener leak; the last release removes it.
 */
export function forwardAbort(signal: AbortSignal | undefined, controller: AbortController): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    controller.abort(signal.reason);
    return () => undefined;
  }
  let followers = followersOf.get(signal);
  if (!followers) {
    const created: Followers = {
      controllers: new Set(),
      onAbort: () => {
        followersOf.delete(signal);
        for (const follower of created.controllers) follower.abort(signal.reason);
      },
    };
    followers = created;
    followersOf.set(signal, created);
    signal.addEventListener("abort", created.onAbort, { once: true });
  }
  const current = followers;
  current.controllers.add(controller);
  return () => {
    if (!current.controllers.delete(controller) || current.controllers.size > 0) return;
    if (followersOf.get(signal) === current) followersOf.delete(signal);
    signal.removeEventListener("abort", current.onAbort);
  };
}

/** A signal of its own for one request, aborted with `signal`; release it when the request settles. */
export function followSignal(signal: AbortSignal | undefined): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  return { signal: controller.signal, release: forwardAbort(signal, controller) };
}

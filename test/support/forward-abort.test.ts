import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { followSignal, forwardAbort } from "../../src/support/forward-abort.js";

describe("forwardAbort", () => {
  it("puts one listener on a signal however many controllers follow it, and removes it with the last release", () => {
    const run = new AbortController();
    const followers = Array.from({ length: 50 }, () => new AbortController());
    const releases = followers.map((follower) => forwardAbort(run.signal, follower));
    expect(getEventListeners(run.signal, "abort")).toHaveLength(1);
    for (const release of releases.slice(0, 49)) release();
    expect(getEventListeners(run.signal, "abort")).toHaveLength(1);
    releases[49]?.();
    releases[49]?.(); // a second release changes nothing
    expect(getEventListeners(run.signal, "abort")).toHaveLength(0);
    run.abort();
    expect(followers.every((follower) => !follower.signal.aborted)).toBe(true);
  });

  it("aborts every follower still attached, with the signal's reason; released ones stay", () => {
    const run = new AbortController();
    const live = Array.from({ length: 20 }, () => new AbortController());
    const released = new AbortController();
    for (const follower of live) forwardAbort(run.signal, follower);
    forwardAbort(run.signal, released)();
    const reason = new Error("the user pressed Ctrl-C");
    run.abort(reason);
    expect(live.every((follower) => follower.signal.aborted && follower.signal.reason === reason)).toBe(true);
    expect(released.signal.aborted).toBe(false);
    expect(getEventListeners(run.signal, "abort")).toHaveLength(0);
  });

  it("aborts at once when the signal already aborted, and follows nothing without a signal", () => {
    const done = new AbortController();
    done.abort("stop");
    const follower = new AbortController();
    forwardAbort(done.signal, follower)();
    expect(follower.signal.reason).toBe("stop");
    const free = followSignal(undefined);
    free.release();
    expect(free.signal.aborted).toBe(false);
  });

  it("starts a fresh listener after the last follower left, so later followers are still aborted", () => {
    const run = new AbortController();
    forwardAbort(run.signal, new AbortController())();
    const later = followSignal(run.signal);
    expect(getEventListeners(run.signal, "abort")).toHaveLength(1);
    run.abort();
    expect(later.signal.aborted).toBe(true);
  });
});

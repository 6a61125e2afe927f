import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { CancelledError } from "../../src/errors/cancelled-error.js";
import { mapConcurrent, sleep } from "../../src/support/concurrency.js";

describe("sleep", () => {
  it("resolves after the wait and leaves no abort listener behind", async () => {
    const controller = new AbortController();
    await expect(sleep(1, controller.signal)).resolves.toBeUndefined();
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("rejects with a CancelledError when the signal aborts during the wait, or has aborted before", async () => {
    const controller = new AbortController();
    const waiting = sleep(3_600_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(CancelledError);
    await expect(sleep(3_600_000, controller.signal)).rejects.toBeInstanceOf(CancelledError);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("puts one abort listener on a signal however many sleep on it at once", async () => {
    const controller = new AbortController();
    const sleepers = Array.from({ length: 20 }, () => sleep(3_600_000, controller.signal));
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    controller.abort();
    for (const sleeper of sleepers) await expect(sleeper).rejects.toBeInstanceOf(CancelledError);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });
});

describe("mapConcurrent", () => {
  it("keeps the input order and runs at most `concurrency` workers at once", async () => {
    let running = 0;
    let most = 0;
    const results = await mapConcurrent([5, 1, 4, 2, 3], 2, async (value, index) => {
      running += 1;
      most = Math.max(most, running);
      await sleep(value);
      running -= 1;
      return `${index}:${value}`;
    });
    expect(results).toEqual(["0:5", "1:1", "2:4", "3:2", "4:3"]);
    expect(most).toBe(2);
  });

  it("starts nothing new once the signal aborts and then throws a CancelledError", async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const mapping = mapConcurrent([0, 1, 2, 3], 1, async (value) => {
      started.push(value);
      if (value === 1) controller.abort();
      return value;
    }, controller.signal);
    await expect(mapping).rejects.toBeInstanceOf(CancelledError);
    expect(started).toEqual([0, 1]);
  });
});

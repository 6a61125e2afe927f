import { afterEach, describe, expect, it } from "vitest";
import { CancelledError } from "../../../src/errors/cancelled-error.js";
import { createModels } from "../../../src/model/model-set.js";
import { AdaptiveLimit } from "../../../src/model/traffic/adaptive-limit.js";
import { EndpointGate } from "../../../src/model/traffic/endpoint-gate.js";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../../helpers/fake-openai-server.js";

/** A clock that only moves when the gate sleeps. */
function fakeTime(): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
  let time = 1_000_000;
  const slept: number[] = [];
  return {
    now: () => time,
    sleep: async (ms) => {
      slept.push(ms);
      time += ms;
    },
    slept,
  };
}

const CLOSED = { enabled: false, window: 20, failureRatio: 0.8 };

describe("endpoint gate: rate limits", () => {
  it("keeps requests under requestsPerMinute after a burst of five seconds' worth", async () => {
    const time = fakeTime();
    const gate = new EndpointGate({ endpoint: "http://x", maxConcurrency: 100, adaptiveConcurrency: false, circuitBreaker: CLOSED, requestsPerMinute: 120, now: time.now, sleep: time.sleep });
    for (let request = 0; request < 30; request++) (await gate.acquire(0, false)).finish({ answered: true, latencyMs: 10 });

    // 10 go at once (5 s × 2/s), the other 20 at 2 per second.
    expect(time.slept).toHaveLength(20);
    expect(time.slept.every((ms) => ms === 500)).toBe(true);
    const traffic = gate.traffic();
    expect(traffic.throttledWaits).toBe(20);
    expect(traffic.throttledMs).toBe(10_000);
    expect(traffic.attempts).toBe(30);
    expect(traffic.peakRequestsPerMinute).toBe(30);
  });

  it("keeps tokens under tokensPerMinute, settling estimates with the real usage", async () => {
    const time = fakeTime();
    const gate = new EndpointGate({ endpoint: "http://x", maxConcurrency: 100, adaptiveConcurrency: false, circuitBreaker: CLOSED, tokensPerMinute: 6000, now: time.now, sleep: time.sleep });
    expect(gate.limitsTokens).toBe(true);
    // The bucket holds 500 tokens; each request really uses 1000 (estimated 100): the debt makes the next ones wait.
    for (let request = 0; request < 4; request++) (await gate.acquire(100, false)).finish({ answered: true, latencyMs: 10, inputTokens: 900, outputTokens: 100 });
    const waited = time.slept.reduce((sum, ms) => sum + ms, 0);
    // 4000 tokens used, 500 in the bucket at the start, 100 per second: the first three requests' debt (2500) is paid before the fourth.
    expect(waited).toBeGreaterThanOrEqual(25_000);
    expect(gate.traffic().tokensPerMinute).toBeGreaterThan(0);
  });

  it("holds every new attempt for a retry-after pause", async () => {
    const time = fakeTime();
    const gate = new EndpointGate({ endpoint: "http://x", maxConcurrency: 100, adaptiveConcurrency: false, circuitBreaker: CLOSED, now: time.now, sleep: time.sleep });
    gate.pauseFor(2000);
    (await gate.acquire(0, true)).finish({ answered: true, latencyMs: 5 });
    expect(time.slept).toEqual([2000]);
    expect(gate.traffic()).toMatchObject({ retryAfterWaits: 1, retries: 1, throttledWaits: 1 });
  });
});

describe("adaptive limit", () => {
  it("halves from what is in flight on overload, once per burst, and grows back by one per window of successes", () => {
    let time = 0;
    const limit = new AdaptiveLimit({ max: 64, adaptive: true, now: () => time });
    for (let held = 0; held < 16; held++) limit.acquire();
    // A burst of 429s: the first halves (16 in flight → 8), the rest of the burst leaves it.
    for (let answered = 0; answered < 16; answered++) limit.release({ overloaded: true });
    expect(limit.limit).toBe(8);
    time += 5000;
    for (let held = 0; held < 6; held++) limit.acquire();
    limit.release({ overloaded: true });
    expect(limit.limit).toBe(3);
    // Three successes (the window) raise it to 4, four more to 5.
    for (let success = 0; success < 5; success++) limit.release({ overloaded: false, latencyMs: 100, outputTokens: 10 });
    expect(limit.limit).toBe(4);
    for (let success = 0; success < 2; success++) {
      limit.acquire();
      limit.release({ overloaded: false, latencyMs: 100, outputTokens: 10 });
    }
    expect(limit.limit).toBe(5);
    expect(limit.stats()).toMatchObject({ lowest: 3, decreases: 2, peakInFlight: 16 });
  });

  it("cuts the limit on a latency surge", () => {
    let time = 0;
    const limit = new AdaptiveLimit({ max: 40, adaptive: true, now: () => time });
    for (let request = 0; request < 40; request++) {
      limit.acquire();
      limit.release({ overloaded: false, latencyMs: 100, outputTokens: 20 });
    }
    expect(limit.limit).toBe(40);
    time += 5000;
    for (let request = 0; request < 40 && limit.limit === 40; request++) {
      limit.acquire();
      limit.release({ overloaded: false, latencyMs: 2000, outputTokens: 20 });
    }
    expect(limit.limit).toBe(30);
  });

  it("serves waiters in order and drops one whose signal aborts", async () => {
    const limit = new AdaptiveLimit({ max: 1, adaptive: false });
    limit.acquire();
    const order: string[] = [];
    const controller = new AbortController();
    const first = limit.acquire()?.then(() => order.push("first"));
    const cancelled = limit.acquire(controller.signal)?.catch((error: unknown) => order.push(error instanceof CancelledError ? "cancelled" : "other"));
    const third = limit.acquire()?.then(() => order.push("third"));
    controller.abort();
    await cancelled;
    limit.release({ overloaded: false });
    await first;
    limit.release({ overloaded: false });
    await third;
    expect(order).toEqual(["cancelled", "first", "third"]);
  });
});

describe("adaptive concurrency against a 429 storm", () => {
  let server: FakeOpenAIServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("backs off to what the endpoint takes, finishes every request, and recovers when the storm ends", async () => {
    server = await startFakeOpenAIServer({ handler: () => ({ kind: "message", content: "ok", usage: { prompt_tokens: 10, completion_tokens: 2 } }), latencyMs: 100, capacity: 4, retryAfterMs: 50 });
    const models = createModels({ default: { provider: "openai", model: "m", baseUrl: server.url, apiKey: "k", maxRetries: 12 } }, { seed: 1, env: {} });
    const ask = (index: number) => models.agent.generate({ purpose: "agent-turn", messages: [{ role: "user", content: `request ${index}` }] });

    const answers = await Promise.all(Array.from({ length: 48 }, (_, index) => ask(index)));
    expect(answers.every((answer) => answer.content === "ok")).toBe(true);
    expect(server.rejected()).toBeGreaterThan(0);
    const storm = models.usage.report().endpoints[0];
    expect(storm?.rateLimited).toBe(server.rejected());
    expect(storm?.concurrency.decreases).toBeGreaterThan(0);
    // At least one halving from the 48 asked for at once.
    expect(storm?.concurrency.lowest).toBeLessThanOrEqual(24);

    // The storm is over: the limit grows again with the successes.
    server.setCapacity(undefined);
    const before = storm?.concurrency.limit ?? 0;
    for (let round = 0; round < 6; round++) await Promise.all(Array.from({ length: 16 }, (_, index) => ask(100 + round * 16 + index)));
    const after = models.usage.report().endpoints[0];
    expect(after?.concurrency.limit).toBeGreaterThan(before);
    expect(after?.attempts).toBe(48 + 96 + server.rejected());
  });
});

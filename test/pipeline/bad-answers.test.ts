import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ModelRequestError } from "../../src/errors/model-request-error.js";
import type { LanguageModel } from "../../src/model/language-model.js";
import { createOfflineModel } from "../../src/model/providers/offline/offline-model.js";
import { openWorkspace } from "../../src/pipeline/workspace.js";
import { createFixedClock } from "../../src/support/clock.js";
import { createSequentialIds } from "../../src/support/ids.js";
import { answerPipelineRequest } from "../helpers/fake-pipeline-endpoint.js";
import { remotePipelineConfig } from "../helpers/remote-pipeline-config.js";
import { GARBAGE_KINDS, garbageReply, startFakeOpenAIServer, type GarbageKind } from "../helpers/fake-openai-server.js";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** What an episode's failure label may say: the role whose request failed, and why. */
const EPISODE_FAILURE = /^(agent|user_simulator|tool_simulator)_(http_error|rate_limited|timeout|connection|malformed_answer|unreadable_body|invalid_output|truncated)$/;

describe("a run against an endpoint that answers garbage to a share of requests", () => {
  it("finishes: the items the garbage was for are failed with the reason, the rest are kept", async () => {
    // Every 6th request gets garbage, each kind in turn (empty choices, null message, wrong shape, not JSON, 500, 429, no answer, dropped connection).
    const served = new Map<GarbageKind, number>();
    const server = await startFakeOpenAIServer({
      handler: (request) => {
        if (request.index % 6 !== 5) return answerPipelineRequest(request);
        const kind = GARBAGE_KINDS[Math.floor(request.index / 6) % GARBAGE_KINDS.length] as GarbageKind;
        served.set(kind, (served.get(kind) ?? 0) + 1);
        return garbageReply(kind);
      },
    });
    cleanups.push(() => server.close());
    // No retries, so that every garbage answer costs its item; a short timeout for the answers that never come.
    const config = remotePipelineConfig(server.url, { name: "garbage", seed: 3, tasks: { count: 24 }, simulation: { concurrency: 6, maxTurns: 3 } }, { maxRetries: 0, timeoutMs: 1500 });
    const directory = await mkdtemp(join(tmpdir(), "agentsynth-garbage-"));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    const workspace = await openWorkspace({ dataDir: join(directory, "data"), config, exportRoot: join(directory, "out"), env: {}, ids: createSequentialIds(), clock: createFixedClock() });
    cleanups.push(() => workspace.close());

    const summary = await workspace.runPipeline({});

    expect([...served.keys()].sort()).toEqual([...GARBAGE_KINDS].sort());
    expect(summary.status).toBe("completed");
    // Every episode is stored: those a bad answer ended are failed, with the reason as a label and the error text.
    const episodes = await workspace.store.episodes.find(() => true);
    expect(episodes).toHaveLength(24);
    const failed = episodes.filter((episode) => episode.status === "failed");
    expect(failed.length).toBeGreaterThan(0);
    for (const episode of failed) {
      expect(episode.failureReason).toMatch(EPISODE_FAILURE);
      expect(episode.labels).toContain(episode.failureReason);
      expect(episode.error?.length).toBeGreaterThan(0);
    }
    expect(summary.counts.episodesFailed).toBe(failed.length);
    // The summary says why: per stage and reason, how many and the first error's text.
    const simulateFailures = summary.failures?.simulate ?? {};
    expect(Object.values(simulateFailures).reduce((sum, entry) => sum + entry.count, 0)).toBe(failed.length);
    for (const [reason, entry] of Object.entries(simulateFailures)) {
      expect(reason).toMatch(EPISODE_FAILURE);
      expect(entry.firstError.length).toBeGreaterThan(0);
    }
    // The rest are kept: completed episodes judged and exported.
    expect(summary.counts.kept).toBeGreaterThan(0);
    const dataset = await workspace.store.datasets.require(summary.datasetId);
    const completed = new Set(episodes.filter((episode) => episode.status === "completed").map((episode) => episode.id));
    for (const id of dataset.episodeIds) expect(completed.has(id)).toBe(true);
    // A judgment lost to garbage leaves its episode unjudged (rejected as not judged), counted in the judge stage.
    const lostJudgments = Object.values(summary.failures?.judge ?? {}).reduce((sum, entry) => sum + entry.count, 0);
    expect(summary.counts.judged).toBe(24 - lostJudgments);
    expect(summary.rejectionCounts.not_judged ?? 0).toBe(lostJudgments);
  }, 60_000);
});

describe("a run whose generator fails for good on some requests", () => {
  it("loses only those batches (an agent, a task batch, a domain's tools), counted per stage with the first error, and finishes with the rest", async () => {
    const offline = createOfflineModel({ seed: 4 });
    const seen = new Map<string, number>();
    // Every other request of these purposes fails after its retries, as a 500 storm would.
    const failing = new Set(["tool-synthesis", "agent-generation", "task-generation"]);
    const generator: LanguageModel = {
      ref: offline.ref,
      async generate(request) {
        const count = (seen.get(request.purpose) ?? 0) + 1;
        seen.set(request.purpose, count);
        if (failing.has(request.purpose) && count % 2 === 0) {
          throw new ModelRequestError(`${request.purpose}: the endpoint answered 500 after 3 attempts`, { kind: "http_error", status: 500, attempts: 3, purpose: request.purpose, retryable: true });
        }
        return offline.generate(request);
      },
    };
    const directory = await mkdtemp(join(tmpdir(), "agentsynth-generator-failures-"));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    const config = { name: "generator-failures", seed: 4, domains: { count: 4 }, tools: { perDomain: 4, sources: ["synthetic" as const] }, agents: { count: 4, minTools: 2, maxTools: 4 }, tasks: { count: 8 }, filter: { requirePass: false, minScore: 0 } };
    const workspace = await openWorkspace({ dataDir: join(directory, "data"), config, exportRoot: join(directory, "out"), env: {}, ids: createSequentialIds(), clock: createFixedClock(), models: { generator } });
    cleanups.push(() => workspace.close());

    const summary = await workspace.runPipeline({});

    expect(summary.status).toBe("completed");
    expect(summary.failures?.tools?.http_error?.count).toBe(2);
    expect(summary.failures?.agents?.http_error?.count).toBe(2);
    expect(summary.failures?.tasks?.http_error?.count).toBeGreaterThanOrEqual(1);
    expect(summary.failures?.agents?.http_error?.firstError).toContain("agent-generation: the endpoint answered 500");
    // Two domains kept their tools, two agents were written, and the tasks of the batches that came back were simulated.
    expect(new Set((await workspace.store.tools.all()).map((tool) => tool.domainId)).size).toBe(2);
    expect(summary.counts.agents).toBe(2);
    expect(summary.counts.tasks).toBeGreaterThan(0);
    expect(summary.counts.tasks).toBeLessThan(8);
    expect(summary.counts.episodes).toBe(summary.counts.tasks);
    expect(summary.counts.kept).toBeGreaterThan(0);
  }, 60_000);
});

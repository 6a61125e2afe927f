import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/types.js";
import { answerPipelineRequest } from "../helpers/fake-pipeline-endpoint.js";
import { remotePipelineConfig } from "../helpers/remote-pipeline-config.js";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../helpers/fake-openai-server.js";
import { CLI, runCli } from "../helpers/run-cli.js";

/** Answers kept by the response cache are written within 200 ms; what was answered this long before the kill is cached. */
const CACHED_AFTER_MS = 1000;

let workdir: string;
let server: FakeOpenAIServer;
/** When each request body was answered (the last time). */
const answered = new Map<string, number>();

beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), "agentsynth-resume-"));
  server = await startFakeOpenAIServer({
    latencyMs: 60,
    keepRequests: false,
    handler: (request) => {
      answered.set(JSON.stringify(request.body), Date.now());
      return answerPipelineRequest(request);
    },
  });
  const config = remotePipelineConfig(server.url, { name: "resume", seed: 11, tasks: { count: 16 }, simulation: { concurrency: 2, maxTurns: 3 } }, { maxRetries: 0 });
  await writeFile(join(workdir, "config.json"), JSON.stringify(config));
});
afterAll(async () => {
  await server?.close();
  await rm(workdir, { recursive: true, force: true });
});

const ARGS = ["run", "config.json", "--data-dir", "data", "--out", "out"];

/** Every catalog record of the store, the runs aside. */
async function catalogRecords(store: Store) {
  return { domains: await store.domains.all(), tools: await store.tools.all(), agents: await store.agents.all(), tasks: await store.tasks.all() };
}

describe("agentsynth run killed mid-simulation, then run again", () => {
  it("resumes the run: no duplicate record, the work done before the kill not redone, and a third run sends no request", async () => {
    // 1. A real process, killed (SIGKILL) once it is well into the simulation.
    const child = spawn(process.execPath, [CLI, ...ARGS], { cwd: workdir, env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdio: "ignore" });
    const exited = once(child, "exit");
    while (server.requestCount() < 70) {
      if (child.exitCode !== null) throw new Error(`the run ended (exit ${child.exitCode}) before it could be killed`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill("SIGKILL");
    await exited;
    const killedAt = Date.now();
    const firstRequests = server.requestCount();
    const cachedBefore = new Set([...answered].filter(([, at]) => at < killedAt - CACHED_AFTER_MS).map(([body]) => body));
    expect(cachedBefore.size).toBeGreaterThan(5);

    // 2. Opening the store marks the run interrupted (its process is gone); some episodes were stored, not all.
    const { code: listCode } = await runCli(["tools", "list", "--data-dir", "data", "--config", "config.json", "--json"], { cwd: workdir });
    expect(listCode).toBe(0);
    let store = await openStore({ dataDir: join(workdir, "data") });
    const [killed] = await store.runs.all();
    expect(killed?.status).toBe("interrupted");
    expect(killed?.stage).toBe("simulate");
    const storedBefore = await store.episodes.count();
    expect(storedBefore).toBeLessThan(16);
    // The run record's counts were saved as episodes finished (at most a second behind).
    expect(killed?.counts.episodes).toBeGreaterThan(0);
    expect(killed?.counts.episodes).toBeLessThanOrEqual(storedBefore);
    const catalogBefore = await catalogRecords(store);
    await store.close();

    // 3. The same command again: it takes the run up and finishes it.
    const again = await runCli(ARGS, { cwd: workdir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Run ${killed?.id} completed`);
    expect(again.stdout).toContain("attempt 2");
    const secondBodies = [...answered].filter(([, at]) => at > killedAt).map(([body]) => body);
    // Nothing answered (and cached) before the kill was asked again.
    expect(secondBodies.filter((body) => cachedBefore.has(body))).toEqual([]);
    const secondRequests = server.requestCount() - firstRequests;
    expect(secondRequests).toBeGreaterThan(0);

    store = await openStore({ dataDir: join(workdir, "data") });
    const runs = await store.runs.all();
    expect(runs.map((run) => [run.id, run.status, run.attempts])).toEqual([[killed?.id, "completed", 2]]);
    // No duplicates: the domains, tools, agents and tasks are those stored before the kill, all of the one run.
    const catalogAfter = await catalogRecords(store);
    expect(catalogAfter.domains.map((record) => record.id)).toEqual(catalogBefore.domains.map((record) => record.id));
    expect(catalogAfter.tools.map((record) => record.id)).toEqual(catalogBefore.tools.map((record) => record.id));
    expect(catalogAfter.agents.map((record) => record.id)).toEqual(catalogBefore.agents.map((record) => record.id));
    expect(catalogAfter.tasks.map((record) => record.id)).toEqual(catalogBefore.tasks.map((record) => record.id));
    expect(catalogAfter.tasks).toHaveLength(runs[0]?.counts.tasks ?? -1);
    // One episode per task and episode number, one judgment per episode.
    const episodes = await store.episodes.find(() => true);
    expect(episodes).toHaveLength(catalogAfter.tasks.length);
    expect(new Set(episodes.map((episode) => `${episode.taskId}:${episode.index}`)).size).toBe(episodes.length);
    const judgments = await store.judgments.find(() => true);
    expect(new Set(judgments.map((judgment) => judgment.episodeId)).size).toBe(judgments.length);
    expect(judgments).toHaveLength(episodes.length);
    expect(runs[0]?.counts).toMatchObject({ episodes: episodes.length, judged: judgments.length });
    await store.close();

    // 4. A third run of the finished work sends no request at all.
    const beforeThird = server.requestCount();
    const third = await runCli(ARGS, { cwd: workdir });
    expect(third.code, third.stderr).toBe(0);
    expect(server.requestCount()).toBe(beforeThird);
    store = await openStore({ dataDir: join(workdir, "data") });
    expect(await store.episodes.count()).toBe(episodes.length);
    expect(await store.judgments.count()).toBe(judgments.length);
    expect(await store.datasets.count()).toBe(1);
    await store.close();
  }, 120_000);
});

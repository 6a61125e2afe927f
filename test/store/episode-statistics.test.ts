import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { classifyVerification, type EpisodeRecord } from "../../src/domain/episode.js";
import type { JudgmentRecord } from "../../src/domain/judgment.js";
import { tallySimulation } from "../../src/pipeline/simulation-tally.js";
import { openStore, type EpisodeStatistics, type Store } from "../../src/store/index.js";
import { makeEpisode, makeJudgment, makeTempDir, removeDir } from "./fixtures.js";

let dataDir: string;
let store: Store;

beforeEach(async () => {
  dataDir = await makeTempDir();
  store = await openStore({ dataDir, shardSize: 4 });
});

afterEach(async () => {
  await store.close();
  await removeDir(dataDir);
});

/** Episodes that differ in every way the statistics count. */
function variedEpisode(index: number): EpisodeRecord {
  const episode = makeEpisode(`ep-${index}`, 1 + (index % 3));
  const steps = episode.steps.map((step) =>
    step.tool ? { ...step, tool: { ...step.tool, execution: index % 4 === 0 ? ("real" as const) : step.tool.execution, ...(index % 5 === 0 ? { fault: "timeout" as const } : {}) } } : step,
  );
  const failed = index % 7 === 3;
  return {
    ...episode,
    steps,
    status: failed ? "failed" : "completed",
    endReason: failed ? "error" : index % 2 ? "user_stop" : "agent_final",
    labels: index % 6 === 1 ? ["user_simulator_empty_message"] : [],
    ...(index % 9 === 2 ? { faultAttribution: "tool_simulator" as const } : {}),
    contextCuts: index % 8 === 0 ? [{ messageIndex: 3, atMessage: 5, originalTokens: 900, keptTokens: 120 }] : [],
  };
}

function judgment(id: string, episodeId: string, verdict: "pass" | "fail", reasons: string[] = []): JudgmentRecord {
  return { ...makeJudgment(id, episodeId), verdict, reasons, score: verdict === "pass" ? 0.9 : 0.2 };
}

/** The same figures the slow way: every episode scanned, each with the newest judgment of its id in store order. */
async function countByScanning(): Promise<EpisodeStatistics> {
  const latest = new Map<string, JudgmentRecord>();
  let judgments = 0;
  for await (const record of store.judgments.scan()) {
    latest.set(record.episodeId, record);
    judgments += 1;
  }
  const episodes: EpisodeRecord[] = [];
  for await (const episode of store.episodes.scan()) episodes.push(episode);
  const byStatus: Record<string, number> = {};
  const verdicts: Record<string, number> = {};
  const rejectionReasons: Record<string, number> = {};
  const verification: Record<string, number> = {};
  for (const episode of episodes) {
    byStatus[episode.status] = (byStatus[episode.status] ?? 0) + 1;
    const outcome = classifyVerification(episode.verification);
    verification[outcome] = (verification[outcome] ?? 0) + 1;
    const verdict = latest.get(episode.id)?.verdict ?? "unjudged";
    verdicts[verdict] = (verdicts[verdict] ?? 0) + 1;
    if (verdict === "fail") for (const reason of latest.get(episode.id)?.reasons ?? []) rejectionReasons[reason] = (rejectionReasons[reason] ?? 0) + 1;
  }
  return { episodes: episodes.length, judgments, byStatus, verdicts, rejectionReasons, simulation: tallySimulation(episodes, (id) => latest.get(id)), verification };
}

describe("episode statistics", () => {
  it("match a scan of every episode and judgment: as records come in, after re-judging, after a reopen, with another writer", async () => {
    expect(await store.statistics()).toEqual(await countByScanning());
    await store.judgments.append(judgment("j-early", "ep-5", "fail", ["wrong_call_order"])); // before its episode
    await store.judgments.append(judgment("j-orphan", "ep-none", "fail", ["fabricated_id"])); // of no episode
    for (let index = 0; index < 23; index += 1) await store.episodes.append(variedEpisode(index));
    for (let index = 0; index < 23; index += 2) await store.judgments.append(judgment(`j-${index}`, `ep-${index}`, index % 3 ? "pass" : "fail", index % 3 ? [] : ["final_state_mismatch", "invalid_arguments"]));
    const warm = await store.statistics();
    expect(warm).toEqual(await countByScanning());
    expect(warm).toMatchObject({ episodes: 23, judgments: 14 });
    expect(warm.verdicts.fail).toBeGreaterThan(0);
    expect(warm.simulation).toMatchObject({ executions: { real: expect.any(Number), simulated: expect.any(Number) }, faultsInjected: { timeout: expect.any(Number) } });
    expect(warm.simulation.contextCuts).toBeGreaterThan(0);

    // A newer judgment of an episode replaces the older one in every count.
    await store.judgments.append(judgment("j-again-0", "ep-0", "pass"));
    await store.judgments.append(judgment("j-again-4", "ep-4", "fail", ["answer_missing_text"]));
    expect(await store.statistics()).toEqual(await countByScanning());

    await store.close();
    store = await openStore({ dataDir, shardSize: 4 }); // cold: from the sealed shards' index files and the rest
    expect(await store.statistics()).toEqual(await countByScanning());

    const other = await openStore({ dataDir, shardSize: 4 });
    await other.episodes.append(variedEpisode(40));
    await other.judgments.append(judgment("j-40", "ep-40", "fail", ["forbidden_tool_called"]));
    await other.judgments.append(judgment("j-again-2", "ep-2", "fail", ["call_after_stop"]));
    await other.close();
    const after = await store.statistics();
    expect(after).toEqual(await countByScanning());
    expect(after.episodes).toBe(24);
  });
});

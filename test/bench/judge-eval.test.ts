import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { evaluateJudge, FALSE_REJECT_TARGET, formatJudgeEvalTable, meetsTargets, RECALL_TARGET } from "../../bench/judge-eval.js";
import { MUTANT_KINDS } from "../../bench/judge-mutants.js";

const directories: string[] = [];
afterAll(async () => Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true }))));

describe("eval:judge", () => {
  it("catches every defect kind with its reason code and rejects no clean episode, on one offline run", async () => {
    const directory = await mkdtemp(join(tmpdir(), "agentsynth-judge-eval-"));
    directories.push(directory);
    const result = await evaluateJudge({ directory, seeds: [7] });
    expect(result.originals).toBeGreaterThanOrEqual(20);
    expect(result.falseRejectRate).toBeLessThanOrEqual(FALSE_REJECT_TARGET);
    for (const kind of result.kinds) {
      expect(kind.kind in MUTANT_KINDS).toBe(true);
      if (kind.kind !== "impossible_date") expect(kind.mutants, kind.kind).toBeGreaterThan(0);
      if (kind.mutants > 0) expect(kind.recall, `${kind.kind}: ${JSON.stringify(kind.missed.slice(0, 2))}`).toBeGreaterThanOrEqual(RECALL_TARGET);
    }
    expect(meetsTargets(result)).toBe(true);
    const table = formatJudgeEvalTable(result);
    expect(table).toContain("| changed name | ungrounded_claim |");
    expect(table).toContain(`False rejects on the originals: ${result.falseRejects.length}`);
  }, 120_000);
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluateJudge, formatJudgeEvalTable, meetsTargets } from "./judge-eval.js";

/**
 * `npm run eval:judge [SEED…]`: offline runs (default seeds 7, 8 and 9) in a temporary directory, defective
 * copies of their clean episodes, judge and filter on all; prints recall per defect kind and the false-reject
 * rate, and exits 1 when a target is missed.
 */
const seeds = process.argv.slice(2).map(Number).filter(Number.isInteger);
const directory = await mkdtemp(join(tmpdir(), "agentsynth-eval-judge-"));
try {
  const result = await evaluateJudge({ directory, seeds: seeds.length ? seeds : [7, 8, 9], onProgress: (message) => process.stderr.write(`${message}\n`) });
  process.stdout.write(`${formatJudgeEvalTable(result)}\n`);
  for (const reject of result.falseRejects) process.stdout.write(`false reject: ${reject.episodeId} (${reject.reasons.join(", ")})\n`);
  for (const kind of result.kinds) for (const missed of kind.missed.slice(0, 3)) process.stdout.write(`missed ${kind.kind}: ${missed.episodeId} (${missed.reasons.join(", ") || "kept"}): ${missed.answer.slice(0, 200)}\n`);
  process.exitCode = meetsTargets(result) ? 0 : 1;
} finally {
  await rm(directory, { recursive: true, force: true });
}

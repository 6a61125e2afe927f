import type { JudgmentRecord, VerdictView } from "../domain/judgment.js";
import { InputError } from "../errors/input-error.js";
import { NotFoundError } from "../errors/not-found-error.js";
import type { Store } from "../store/types.js";

/** The id of an episode's newest judgment, from the store's in-memory facts (no scan), or undefined when it is not judged. */
export async function findLatestJudgmentId(store: Store, episodeId: string): Promise<string | undefined> {
  let latest: string | undefined;
  for (const [id, facts] of await store.judgments.facts()) if (facts.episodeId === episodeId) latest = id;
  return latest;
}

/** A judgment by its id, or the newest judgment of an episode. */
export async function getJudgment(store: Store, input: { judgmentId?: string | undefined; episodeId?: string | undefined }): Promise<JudgmentRecord> {
  if ((input.judgmentId === undefined) === (input.episodeId === undefined)) throw new InputError("give either judgmentId or episodeId");
  if (input.judgmentId !== undefined) return store.judgments.require(input.judgmentId);
  const episodeId = input.episodeId as string;
  await store.episodes.require(episodeId);
  const id = await findLatestJudgmentId(store, episodeId);
  if (id === undefined) throw new NotFoundError("judgment for episode", episodeId);
  return store.judgments.require(id);
}

/** What a host reads of a judgment. */
export function viewVerdict(judgment: JudgmentRecord): VerdictView {
  return {
    judgmentId: judgment.id,
    judgedAt: judgment.createdAt,
    verdict: judgment.verdict,
    score: judgment.score,
    reasons: judgment.reasons,
    summary: judgment.summary,
    criteria: judgment.criteria,
    failedChecks: [...judgment.formatChecks, ...judgment.ruleChecks].filter((check) => !check.passed),
  };
}

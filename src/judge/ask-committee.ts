import type { JudgeMemberResult } from "../domain/judgment.js";
import { ModelOutputError } from "../errors/model-output-error.js";
import { generateObject } from "../model/generate.js";
import type { JudgeMember } from "../model/judge-committee.js";
import { JudgeOutputSchema } from "../model/request-context.js";
import type { StageEnv } from "../model/stage-env.js";
import { seedFrom } from "../support/hash.js";
import type { JudgeRequest } from "./judge-prompt.js";

export interface MemberAnswer {
  result: JudgeMemberResult;
  /** Hash of the prompt sent; absent when the member failed before answering. */
  promptHash?: string | undefined;
}

/**
 * Put the same judge request to every member at once, each at its temperature and with its own seed (the
 * first member keeps the episode's seed). A member whose answer stays invalid after the repair attempt is
 * recorded with the error and does not vote; request failures and cancellation propagate.
 */
export async function askCommittee(env: StageEnv, members: readonly JudgeMember[], request: JudgeRequest, episodeSeed: number): Promise<MemberAnswer[]> {
  return Promise.all(
    members.map(async (member, index): Promise<MemberAnswer> => {
      const base: JudgeMemberResult = { model: member.model.ref, ...(member.temperature !== undefined ? { temperature: member.temperature } : {}), scores: [] };
      try {
        const answer = await generateObject(member.model, {
          purpose: "judge",
          schema: JudgeOutputSchema,
          schemaName: "judgment",
          signal: env.signal,
          seed: index === 0 ? episodeSeed : seedFrom(episodeSeed, "judge-member", index),
          ...(member.temperature !== undefined ? { temperature: member.temperature } : {}),
          messages: request.messages,
          context: request.context,
        });
        const scores = answer.object.criteria.map((entry) => ({ criterionId: entry.id, score: entry.score, rationale: entry.rationale }));
        return { result: { ...base, scores, claims: answer.object.claims, verdict: answer.object.verdict, summary: answer.object.summary }, promptHash: answer.promptHash };
      } catch (error) {
        if (!(error instanceof ModelOutputError)) throw error;
        return { result: { ...base, error: error.message } };
      }
    }),
  );
}

import { criterionPasses, type Committee, type JudgeMemberResult, type Verdict } from "../domain/judgment.js";

export interface CriterionDecision {
  /** The committee's score: the lower median of the members' scores, so it passes exactly when a majority passes it. */
  score: number;
  /** The rationale of the first member whose pass/fail is the majority's. */
  rationale: string;
  /** Share of the members that scored it agreeing with the majority pass/fail. */
  agreement: number;
}

export interface CommitteeDecision {
  /** By criterion id; absent when no member scored the criterion. */
  criteria: Map<string, CriterionDecision>;
  /** The majority verdict (a tie fails); undefined when no member gave a valid answer. */
  verdict: Verdict | undefined;
  agreement: Committee["agreement"];
  summary: string | undefined;
}

/**
 * Combine what the committee's members said: per criterion the majority pass/fail (ties fail), the share
 * agreeing with it and a score consistent with it; the majority verdict and its share; the overall agreement
 * (mean of the verdict's and the criteria's). Members that gave no valid answer do not vote.
 */
export function decideCommittee(criterionIds: readonly string[], members: readonly JudgeMemberResult[]): CommitteeDecision {
  const answering = members.filter((member) => member.verdict !== undefined);
  const criteria = new Map<string, CriterionDecision>();
  for (const id of criterionIds) {
    const votes = answering.flatMap((member) => member.scores.filter((score) => score.criterionId === id).slice(0, 1));
    if (votes.length === 0) continue;
    const majorityPasses = majority(votes.map((vote) => criterionPasses(vote.score)));
    const agreeing = votes.filter((vote) => criterionPasses(vote.score) === majorityPasses);
    criteria.set(id, { score: lowerMedian(votes.map((vote) => vote.score)), rationale: agreeing[0]?.rationale ?? "", agreement: round(agreeing.length / votes.length) });
  }
  const verdictVotes = answering.map((member) => member.verdict === "pass");
  const verdict: Verdict | undefined = answering.length === 0 ? undefined : majority(verdictVotes) ? "pass" : "fail";
  const verdictAgreement = answering.length === 0 ? 0 : answering.filter((member) => member.verdict === verdict).length / answering.length;
  const criterionAgreement = Object.fromEntries([...criteria].map(([id, decision]) => [id, decision.agreement]));
  const shares = [verdictAgreement, ...Object.values(criterionAgreement)];
  return {
    criteria,
    verdict,
    agreement: { verdict: round(verdictAgreement), criteria: criterionAgreement, overall: round(shares.reduce((sum, share) => sum + share, 0) / shares.length) },
    summary: summarizeCommittee(members, answering, verdict),
  };
}

function summarizeCommittee(members: readonly JudgeMemberResult[], answering: readonly JudgeMemberResult[], verdict: Verdict | undefined): string | undefined {
  const spokesman = answering.find((member) => member.verdict === verdict);
  if (members.length === 1) return spokesman?.summary;
  const passes = answering.filter((member) => member.verdict === "pass").length;
  const silent = members.length - answering.length;
  const tally = `Committee of ${members.length}: ${passes} pass, ${answering.length - passes} fail${silent ? `, ${silent} without a valid answer` : ""}.`;
  return spokesman?.summary ? `${tally} ${spokesman.summary}` : tally;
}

/** True when more votes are true than false; a tie is false. */
function majority(votes: readonly boolean[]): boolean {
  const yes = votes.filter(Boolean).length;
  return yes > votes.length - yes;
}

function lowerMedian(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

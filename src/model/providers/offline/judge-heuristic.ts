import type { JsonValue } from "../../../domain/common.js";
import type { JudgeContext, JudgeOutput } from "../../request-context.js";
import { collectSignals, type JudgeSignals } from "./judge-signals.js";
import { toContentStems, joinList, truncateText } from "./text.js";

/*
 * The offline judge: a labelled heuristic, not an LLM. Each criterion is scored from observable signals
 * chosen by what the criterion talks about (confirmation, the final summary, look-ups before changes,
 * asking instead of guessing, error handling, reaching the goal), blended with how much of the
 * criterion's wording the transcript covers. Rationales cite the evidence.
 */

interface Assessment {
  score: number;
  evidence: string;
}

type Scorer = (signals: JudgeSignals, description: string) => Assessment;

const TOPICS: Array<{ pattern: RegExp; scorer: Scorer }> = [
  { pattern: /\brefus|did not give in|shared none|identity check/i, scorer: assessRefusal },
  { pattern: /without (calling )?(a |any )?tool|from (its|the) (rules|polic)/i, scorer: assessNoTool },
  { pattern: /changed (their|his|her) mind|dropped the first request/i, scorer: assessChangeOfMind },
  { pattern: /asked the user which|instead of picking/i, scorer: assessAskedWhich },
  { pattern: /\bin parallel\b|looked the records up together/i, scorer: assessParallel },
  { pattern: /confirm(ed|s|ing)? (the|with|before|that)|confirmation|permission|approval|consent/i, scorer: assessConfirmation },
  { pattern: /summar|report|\btell|\btold|inform|final (message|answer|reply)|outcome|mention/i, scorer: assessReport },
  { pattern: /look(ed|s)? (it |the \w+ )?up|verif|before chang|check(ed)? (first|the)/i, scorer: assessLookup },
  // The assistant asking ("the assistant asked for", "asks the user"), not the user ("when the user asked whether …").
  { pattern: /\b(assistant|agent|it) (first )?ask(ed|s)?\b|\bask(ed|s)? (the user|for)\b|^ask|instead of guess|clarif|identity/i, scorer: assessAsking },
  { pattern: /error|fail|retry|recover/i, scorer: assessErrors },
  { pattern: /goal|achiev|complet|resolv|success|accomplish/i, scorer: assessGoal },
  { pattern: /\bvalid|argument|schema|format/i, scorer: assessFormat },
  { pattern: /\b(called|calls|used|uses)\b/i, scorer: assessToolUse },
];

/** Criterion text without tool names, ids and state paths, so "confirm_appointment" is not about confirming. */
function stripIdentifiers(description: string): string {
  return description.replace(/\S*[_.]\S*|\b[A-Z]{2,5}-\d+\b/g, " ");
}

/** The prompt's anchored levels: 1 fully met, 0.5 partly met, 0 not met. */
function toLevel(score: number): number {
  return score >= 0.6 ? 1 : score >= 0.35 ? 0.5 : 0;
}

export function judgeHeuristically(context: JudgeContext): JudgeOutput {
  const signals = collectSignals(context);
  const claims = checkClaims(context);
  const criteria = context.criteria.map((criterion) => {
    const topics = TOPICS.filter((topic) => topic.pattern.test(stripIdentifiers(criterion.description)));
    const assessments = (topics.length > 0 ? topics : [{ scorer: assessGoal }]).map((topic) => topic.scorer(signals, criterion.description));
    const overlap = measureKeywordOverlap(criterion.description, signals);
    const topicScore = assessments.reduce((sum, entry) => sum + entry.score, 0) / assessments.length;
    const penalty = topics.some((topic) => topic.scorer === assessFormat) ? 0 : Math.min(0.3, 0.1 * signals.failedChecks.length);
    const raw = roundScore(clamp(0.85 * topicScore + 0.15 * overlap.ratio - penalty));
    const rationale = `${assessments.map((entry) => entry.evidence).join(" ")} Wording overlap with the transcript: ${overlap.hits}/${overlap.total}.${penalty > 0 ? ` Penalised for ${signals.failedChecks.length} failed check(s).` : ""} Heuristic strength ${raw} → level ${toLevel(raw)}.`;
    return { id: criterion.id, rationale: truncateText(rationale, 600), score: toLevel(raw) };
  });
  const mean = criteria.length ? criteria.reduce((sum, entry) => sum + entry.score, 0) / criteria.length : toLevel(assessGoal(signals).score);
  const unsupported = claims.filter((claim) => !claim.supported);
  // As the prompt says: pass only when every criterion is fully met, every claim supported and no check failed.
  const verdict = mean === 1 && unsupported.length === 0 && signals.failedChecks.length === 0 && signals.unhandledErrors.length === 0 ? "pass" : "fail";
  return { claims, criteria, verdict, summary: summarizeJudgment(signals, mean, verdict, unsupported.length) };
}

/**
 * The final answer's checkable claims — its tokens holding a digit or an @ (ids, numbers, dates, emails) — each
 * looked up in the numbered transcript lines of tool results, user turns and the system prompt.
 */
function checkClaims(context: JudgeContext): JudgeOutput["claims"] {
  const last = context.transcript[context.transcript.length - 1];
  if (last?.role !== "assistant" || !last.content) return [];
  const sources = context.transcript.flatMap((message, index) => (message.role === "assistant" ? [] : [{ index, text: message.content.toLowerCase() }]));
  const tokens = [...new Set(last.content.split(/\s+/).map((token) => token.replace(/^[("'`[]+|[)"'`\],.;:!?]+$/g, "")).filter((token) => /[\d@]/.test(token) && token.length >= 2))];
  return tokens.map((claim) => {
    const source = sources.find((entry) => entry.text.includes(claim.toLowerCase()));
    return { claim, evidence: source ? `line ${source.index}` : "none", supported: source !== undefined };
  });
}

function summarizeJudgment(signals: JudgeSignals, mean: number, verdict: "pass" | "fail", unsupported: number): string {
  return [
    "Offline heuristic judge (rule-of-thumb scoring from observable signals, not an LLM):",
    `${signals.calls.length} tool call(s), ${signals.errors.length} error(s), ${signals.unhandledErrors.length} unhandled;`,
    `final reply quotes ${signals.quotedValues.length} of ${signals.resultValues.length} result value(s);`,
    `hidden facts used in calls: ${signals.factsUsed.length}/${signals.factsTotal};`,
    `unsupported claims in the final answer: ${unsupported};`,
    `failed checks: ${signals.failedChecks.length}; ended by ${signals.endReason}.`,
    `Mean criterion score ${mean.toFixed(2)} → ${verdict}.`,
  ].join(" ");
}

function assessConfirmation(signals: JudgeSignals): Assessment {
  if (signals.writes.length === 0) return { score: 0.7, evidence: "No write calls were made, so there was nothing to confirm." };
  const ratio = signals.confirmedWrites.length / signals.writes.length;
  return {
    score: 0.25 + 0.75 * ratio,
    evidence: `Confirmation was asked and given before ${signals.confirmedWrites.length} of ${signals.writes.length} write call(s) (${joinList(signals.writes.map((call) => call.name))}).`,
  };
}

function assessReport(signals: JudgeSignals): Assessment {
  if (!signals.finalText) return { score: 0, evidence: "The assistant never gave a final text answer." };
  const quoted = signals.quotedValues.length;
  // A look-up that found nothing, reported as such, is a faithful report with nothing to quote.
  const last = signals.calls[signals.calls.length - 1];
  const reportsNothing = quoted === 0 && last?.ok === true && isEmptyResult(last.result) && NOTHING_FOUND.test(signals.finalText);
  const score = quoted >= 2 ? 1 : quoted === 1 || reportsNothing ? 0.8 : signals.calls.length === 0 ? 0.4 : 0.3;
  const cited = quoted ? `it quotes ${joinList(signals.quotedValues.slice(0, 4))} from the tool results` : reportsNothing ? `it says ${last?.name ?? "the last call"} found nothing, as its result does` : "it quotes no value from the tool results";
  return { score, evidence: `Final reply: "${truncateText(signals.finalText, 120)}" — ${cited}.` };
}

const NOTHING_FOUND = /\b(no (results|matches|records|items)|nothing|couldn't find any|could not find any|none)\b/i;

/** An answer with nothing in it: empty, or an object whose lists are all empty ({ results: [], total: 0 }). */
function isEmptyResult(result: JsonValue | undefined): boolean {
  if (result === undefined || result === null || result === "") return true;
  if (Array.isArray(result)) return result.length === 0;
  if (typeof result !== "object") return false;
  const lists = Object.values(result).filter(Array.isArray);
  return lists.length > 0 && lists.every((list) => list.length === 0);
}

function assessLookup(signals: JudgeSignals): Assessment {
  if (signals.writes.length === 0) return { score: signals.calls.length > 0 ? 0.9 : 0.4, evidence: `${signals.calls.length} read call(s) and no writes.` };
  return signals.lookedUpFirst
    ? { score: 1, evidence: `A read call preceded the first write (${signals.writes[0]?.name ?? "write"}).` }
    : { score: 0.3, evidence: `The first write (${signals.writes[0]?.name ?? "write"}) was not preceded by a look-up.` };
}

function assessAsking(signals: JudgeSignals): Assessment {
  if (signals.factsTotal === 0) return { score: 0.8, evidence: "The task had no hidden facts to ask for." };
  const used = signals.factsUsed.length / signals.factsTotal;
  const score = 0.6 * used + (signals.askedBeforeFirstCall ? 0.4 : 0);
  return { score, evidence: `${signals.factsUsed.length} of ${signals.factsTotal} hidden fact(s) reached a tool call; the assistant ${signals.askedBeforeFirstCall ? "asked" : "did not ask"} a question before its first call.` };
}

function assessErrors(signals: JudgeSignals): Assessment {
  if (signals.errors.length === 0) return { score: 1, evidence: "No tool returned an error." };
  if (signals.unhandledErrors.length === 0) return { score: 0.9, evidence: `${signals.errors.length} tool error(s), each retried or explained to the user.` };
  return { score: 0.2, evidence: `Unhandled tool error(s) in ${joinList(signals.unhandledErrors.map((call) => call.name))}.` };
}

function assessGoal(signals: JudgeSignals): Assessment {
  const parts = [
    signals.userStopped ? 1 : signals.endReason === "max_turns" ? 0.3 : 0,
    signals.quotedValues.length > 0 ? 1 : 0.3,
    signals.unhandledErrors.length === 0 ? 1 : 0,
    signals.calls.some((call) => call.ok) ? 1 : 0.2,
  ];
  const score = parts.reduce((sum, part) => sum + part, 0) / parts.length;
  return {
    score,
    evidence: `The user ${signals.userStopped ? "ended the conversation satisfied (user_stop)" : `did not stop satisfied (${signals.endReason})`}; ${signals.calls.filter((call) => call.ok).length} successful call(s).`,
  };
}

/** The tools a criterion names were called successfully (or, naming none, the episode reached its goal). */
function assessToolUse(signals: JudgeSignals, description: string): Assessment {
  const named = signals.toolNames.filter((name) => new RegExp(`\\b${name}\\b`).test(description));
  if (named.length === 0) return assessGoal(signals);
  const succeeded = named.filter((name) => signals.calls.some((call) => call.name === name && call.ok));
  const values = signals.factsTotal > 0 ? ` Hidden-fact values in calls: ${signals.factsUsed.length}/${signals.factsTotal}.` : "";
  const score = succeeded.length / named.length * (signals.factsTotal > 0 ? 0.7 + 0.3 * (signals.factsUsed.length / signals.factsTotal) : 1);
  return { score, evidence: `${succeeded.length} of ${named.length} named tool(s) (${joinList(named)}) ran successfully.${values}` };
}

/** A refusal: the final answers give a reason, and nothing was written. */
function assessRefusal(signals: JudgeSignals): Assessment {
  const refused = signals.assistantTexts.some((text) => REFUSAL.test(text) && REASON.test(text));
  if (signals.writes.some((call) => call.ok)) return { score: 0.1, evidence: `A change was made (${joinList(signals.writes.map((call) => call.name))}) where a refusal was expected.` };
  return refused ? { score: 1, evidence: "The assistant declined, gave the reason, and changed nothing." } : { score: 0.3, evidence: "No refusal with a reason was found in the assistant's messages." };
}

function assessNoTool(signals: JudgeSignals): Assessment {
  if (signals.calls.length > 0) return { score: 0.3, evidence: `${signals.calls.length} tool call(s) were made for a question that needed none.` };
  return signals.finalText ? { score: 1, evidence: `Answered without tools: "${truncateText(signals.finalText, 100)}"` } : { score: 0.2, evidence: "No answer was given." };
}

/** After the user's change of mind, the change that happened (if any) came after it, and none before it. */
function assessChangeOfMind(signals: JudgeSignals): Assessment {
  const changeAt = signals.changeOfMindAt;
  if (changeAt === undefined) return { score: 0.5, evidence: "The user never changed their mind in the transcript." };
  const before = signals.writes.filter((call) => call.turnIndex < changeAt);
  if (before.length > 0) return { score: 0.2, evidence: `The first request was carried out (${joinList(before.map((call) => call.name))}) before or despite the change of mind.` };
  return { score: 1, evidence: `Nothing was changed before the change of mind; ${signals.writes.length} change(s) after it.` };
}

function assessAskedWhich(signals: JudgeSignals): Assessment {
  const firstWrite = signals.writes[0];
  const asked = signals.assistantTurns.some((turn) => /\bwhich\b/i.test(turn.text) && turn.text.includes("?") && (!firstWrite || turn.index < firstWrite.turnIndex));
  return asked ? { score: 1, evidence: "The assistant asked which record the user meant before changing anything." } : { score: 0.2, evidence: "The assistant did not ask which record was meant." };
}

function assessParallel(signals: JudgeSignals): Assessment {
  return signals.parallelTurns > 0 ? { score: 1, evidence: `${signals.parallelTurns} assistant turn(s) made several calls at once.` } : { score: 0.4, evidence: "Every call was made in its own turn." };
}

const REFUSAL = /(can't|cannot|not able to|unable to|won't|afraid|sorry|unfortunately)/i;
const REASON = /(because|\bonly\b|at most|rule|limit|doesn't match|does not match|not the one|policy|exception)/i;

function assessFormat(signals: JudgeSignals): Assessment {
  if (signals.failedChecks.length === 0) return { score: 1, evidence: "All format and rule checks passed." };
  return { score: Math.max(0, 1 - 0.35 * signals.failedChecks.length), evidence: `Failed checks: ${joinList(signals.failedChecks.map((check) => `${check.id}${check.reason ? ` (${check.reason})` : ""}`))}.` };
}

function measureKeywordOverlap(description: string, signals: JudgeSignals): { hits: number; total: number; ratio: number } {
  const stems = [...new Set(toContentStems(description))];
  const hits = stems.filter((stem) => signals.transcriptStems.has(stem)).length;
  return { hits, total: stems.length, ratio: stems.length ? hits / stems.length : 0.5 };
}

function clamp(value: number): number {
  return Math.max(0, Math.min(1, value));
}

function roundScore(value: number): number {
  return Math.round(value * 100) / 100;
}

import type { CheckResult } from "../domain/judgment.js";
import { checkNoFabricatedIds, checkNoPlaceholders, checkPlausibleDates } from "./argument-rules.js";
import { checkCounts, checkDoneMeansDone, checkEndsWithAnswer, checkGroundedClaims, checkNoCallAfterStop, checkNoSuccessAfterFailure } from "./faithfulness-rules.js";
import { runFormatChecks } from "./format-checks.js";
import { checkPrivacy, type MachineFacts } from "./privacy-rule.js";
import { checkVerification } from "./rule-criteria.js";
import { readTrajectory, type Trajectory } from "./trajectory.js";

export interface TrajectoryCheckOptions {
  /** The machine that made the data, for the privacy rule (default: only generic home paths and secret shapes). */
  machine?: MachineFacts | undefined;
  /** Add `final_state_matches` when the trajectory was verified (default true; the judge runs it as a rubric criterion instead). */
  includeVerification?: boolean | undefined;
}

export interface TrajectoryChecks {
  /** Tool exists, arguments valid, call ids unique, every call answered, ends with an answer. */
  format: CheckResult[];
  /** Faithfulness, plausible arguments and privacy; with a verification, `final_state_matches` too. */
  rules: CheckResult[];
  /** The reason codes of every failed check, each once, in order. */
  reasons: string[];
}

/**
 * Run every deterministic check on an episode-like trajectory (messages with tool calls and results, tool specs,
 * optionally how each call ended and the blueprint verification): the format checks, then the faithfulness
 * rules (grounded claims, no success after failure, counts, done means done, ends with an answer, no call after
 * the user's stop), plausible arguments (real dates, no placeholders, no fabricated ids), privacy, and — when the
 * trajectory was verified against a blueprint — `final_state_matches`. Each failure carries a stable reason code
 * and its evidence (message index and text).
 */
export function checkTrajectory(trajectory: Trajectory, options: TrajectoryCheckOptions = {}): TrajectoryChecks {
  const view = readTrajectory(trajectory);
  const format = runFormatChecks(trajectory, trajectory.tools);
  const rules: CheckResult[] = [
    checkGroundedClaims(view),
    checkNoSuccessAfterFailure(view),
    checkCounts(view),
    checkDoneMeansDone(view, trajectory),
    checkEndsWithAnswer(view),
    checkNoCallAfterStop(trajectory, view),
    checkPlausibleDates(view),
    checkNoPlaceholders(trajectory, view),
    checkNoFabricatedIds(trajectory, view),
    checkPrivacy(trajectory.messages, options.machine),
  ];
  if (options.includeVerification !== false && trajectory.verification?.applicable) {
    const outcome = checkVerification(trajectory.verification);
    rules.push(outcome.passed ? { id: "final_state_matches", passed: true } : { id: "final_state_matches", passed: false, reason: outcome.reason, detail: outcome.rationale });
  }
  const reasons = [...new Set([...format, ...rules].flatMap((check) => (check.reason ? [check.reason] : [])))];
  return { format, rules, reasons };
}

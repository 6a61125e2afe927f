import type { JsonValue } from "../domain/common.js";
import type { EpisodeRecord, Verification } from "../domain/episode.js";
import type { RuleCheck } from "../domain/rubric.js";
import type { ToolRecord } from "../domain/tool.js";
import { stableStringify } from "../support/hash.js";
import { validateJsonSchema } from "../support/json-schema.js";
import { readPath } from "../domain/world-state.js";
import { describeDifference } from "../world/verify-episode.js";
import { checkNoFabricatedIds } from "./argument-rules.js";
import { readTrajectory } from "./trajectory.js";

/** The stable reason code each rule kind reports when it fails. */
export const RULE_REASON_CODES = {
  tool_called: "tool_not_called_as_expected",
  tool_not_called: "forbidden_tool_called",
  call_order: "wrong_call_order",
  args_valid: "invalid_arguments",
  no_fabricated_ids: "fabricated_id",
  final_state: "final_state_mismatch",
  final_state_matches: "world_state_mismatch",
  no_call_after_stop: "call_after_stop",
  answer_mentions: "answer_missing_text",
} as const satisfies Record<RuleCheck["type"], string>;
/** The code `final_state_matches` reports when the state matched but the final answer misses answer facts. */
export const ANSWER_FACTS_MISSING = "answer_facts_missing";
export type RuleReasonCode = (typeof RULE_REASON_CODES)[keyof typeof RULE_REASON_CODES] | typeof ANSWER_FACTS_MISSING;

/** A rule's result: a failure always carries its kind's reason code. */
export type RuleOutcome = { passed: true; rationale: string } | { passed: false; reason: RuleReasonCode; rationale: string };

interface ParsedCall {
  name: string;
  args: unknown;
  messageIndex: number;
}

function parseCalls(episode: EpisodeRecord): ParsedCall[] {
  const out: ParsedCall[] = [];
  episode.messages.forEach((message, messageIndex) => {
    if (message.role !== "assistant") return;
    for (const call of message.tool_calls ?? []) {
      let args: unknown;
      try {
        args = JSON.parse(call.function.arguments);
      } catch {
        args = undefined;
      }
      out.push({ name: call.function.name, args, messageIndex });
    }
  });
  return out;
}

/** Evaluate one deterministic rubric check. */
export function evaluateRule(check: RuleCheck, episode: EpisodeRecord, tools: readonly ToolRecord[]): RuleOutcome {
  const calls = parseCalls(episode);
  switch (check.type) {
    case "tool_called": {
      const matching = calls.filter((call) => call.name === check.tool && (!check.args || containsArgs(call.args, check.args)));
      const enough = matching.length >= check.min && (check.max === undefined || matching.length <= check.max);
      const wanted = check.args ? ` with ${stableStringify(check.args)}` : "";
      return enough
        ? { passed: true, rationale: `${check.tool} was called${wanted} ${matching.length} time(s)` }
        : { passed: false, reason: RULE_REASON_CODES.tool_called, rationale: `${check.tool}${wanted} was called ${matching.length} time(s); expected ${check.min}${check.max !== undefined ? `..${check.max}` : "+"}` };
    }
    case "tool_not_called": {
      const count = calls.filter((call) => call.name === check.tool).length;
      return count === 0 ? { passed: true, rationale: `${check.tool} was not called` } : { passed: false, reason: RULE_REASON_CODES.tool_not_called, rationale: `${check.tool} was called ${count} time(s)` };
    }
    case "call_order": {
      let position = 0;
      for (const call of calls) if (call.name === check.tools[position]) position++;
      return position >= check.tools.length
        ? { passed: true, rationale: `called in order: ${check.tools.join(" → ")}` }
        : { passed: false, reason: RULE_REASON_CODES.call_order, rationale: `expected ${check.tools.join(" → ")}; got ${calls.map((c) => c.name).join(" → ") || "no calls"}` };
    }
    case "args_valid": {
      const byName = new Map(tools.map((tool) => [tool.name, tool]));
      const bad = calls.filter((call) => {
        const tool = byName.get(call.name);
        return !tool || call.args === undefined || !validateJsonSchema(tool.inputSchema, call.args).valid;
      });
      return bad.length === 0 ? { passed: true, rationale: `all ${calls.length} call(s) have valid arguments` } : { passed: false, reason: RULE_REASON_CODES.args_valid, rationale: `invalid arguments in ${bad.map((c) => c.name).join(", ")}` };
    }
    case "no_fabricated_ids": {
      const trajectory = { messages: episode.messages, tools };
      const check = checkNoFabricatedIds(trajectory, readTrajectory(trajectory));
      return check.passed ? { passed: true, rationale: "every id-like argument appeared earlier in the conversation" } : { passed: false, reason: RULE_REASON_CODES.no_fabricated_ids, rationale: check.detail ?? "an id never seen before use" };
    }
    case "final_state": {
      const value = readPath(episode.worldState.final, check.path);
      if (check.equals !== undefined) {
        const equal = stableStringify(value) === stableStringify(check.equals);
        return equal ? { passed: true, rationale: `${check.path} = ${stableStringify(value)}` } : { passed: false, reason: RULE_REASON_CODES.final_state, rationale: `${check.path} is ${value === undefined ? "absent" : stableStringify(value)}, expected ${stableStringify(check.equals)}` };
      }
      const shouldExist = check.exists ?? true;
      return (value !== undefined) === shouldExist
        ? { passed: true, rationale: `${check.path} is ${shouldExist ? "present" : "absent"}` }
        : { passed: false, reason: RULE_REASON_CODES.final_state, rationale: `${check.path} should be ${shouldExist ? "present" : "absent"}` };
    }
    case "final_state_matches":
      return checkVerification(episode.verification);
    case "no_call_after_stop": {
      const lastUser = episode.messages.map((m) => m.role).lastIndexOf("user");
      const lastAnswer = episode.messages.findLastIndex((m) => m.role === "assistant" && !m.tool_calls?.length);
      const after = calls.filter((call) => call.messageIndex > Math.max(lastUser, lastAnswer));
      return after.length === 0 ? { passed: true, rationale: "no tool call after the conversation ended" } : { passed: false, reason: RULE_REASON_CODES.no_call_after_stop, rationale: `${after.length} call(s) after the final answer` };
    }
    case "answer_mentions": {
      const answer = [...episode.messages].reverse().find((m) => m.role === "assistant" && m.content)?.content ?? "";
      const missing = check.text.filter((text) => !answer.toLowerCase().includes(text.toLowerCase()));
      return missing.length === 0 ? { passed: true, rationale: `the final answer mentions ${check.text.join(", ")}` } : { passed: false, reason: RULE_REASON_CODES.answer_mentions, rationale: `the final answer does not mention ${missing.join(", ")}` };
    }
  }
}

/** Pass when the episode left the blueprint's state and stated its facts, or when it cannot be verified; fail with the diff and the missing facts. */
export function checkVerification(verification: Verification | undefined): RuleOutcome {
  if (!verification) return { passed: true, rationale: "not verified: the episode was recorded without a verification" };
  if (!verification.applicable) return { passed: true, rationale: `not applicable: ${verification.reason ?? "the episode cannot be verified"}` };
  const missing = verification.missingFacts.length ? `the final answer does not state ${verification.missingFacts.join(", ")}` : "";
  if (verification.stateMatches === false) {
    const shown = verification.diff.slice(0, 5).map(describeDifference).join("; ");
    const more = verification.diff.length > 5 ? ` (and ${verification.diff.length - 5} more)` : "";
    return { passed: false, reason: RULE_REASON_CODES.final_state_matches, rationale: `the world state differs from the blueprint's: ${shown}${more}${missing ? `; ${missing}` : ""}` };
  }
  if (missing) return { passed: false, reason: ANSWER_FACTS_MISSING, rationale: missing };
  return { passed: true, rationale: "the world state is the blueprint's and the final answer states its facts" };
}

function containsArgs(actual: unknown, expected: Record<string, JsonValue>): boolean {
  if (!actual || typeof actual !== "object") return false;
  return Object.entries(expected).every(([key, value]) => stableStringify((actual as Record<string, unknown>)[key]) === stableStringify(value));
}

import { describe, expect, it } from "vitest";
import { attributeFailure, isFailedEpisode } from "../../src/domain/attribution.js";
import type { EpisodeRecord, Step } from "../../src/domain/episode.js";
import { makeEpisode } from "../helpers/records.js";

const messages: EpisodeRecord["messages"] = [
  { role: "system", content: "s" },
  { role: "user", content: "Where is ORD-1001?" },
  { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "get_order", arguments: '{"order_id":"ORD-1001"}' } }] },
  { role: "tool", tool_call_id: "c1", content: '{"id":"ORD-1001"}' },
];
const toolStep = (overrides: Partial<NonNullable<Step["tool"]>> = {}, labels: string[] = []): Step => ({
  index: 3,
  actor: "tool_executor",
  latencyMs: 0,
  labels,
  tool: { toolCallId: "c1", toolName: "get_order", execution: "simulated", outcome: "ok", stateDiff: [], ...overrides },
});
const episode = (overrides: Partial<EpisodeRecord>, step: Step = toolStep()): EpisodeRecord => {
  const base = makeEpisode(messages, overrides);
  return { ...base, steps: [...base.steps.slice(0, 3), step] };
};

describe("attributeFailure", () => {
  it("blames the user simulator for its own rule breaks and bad output", () => {
    expect(attributeFailure(episode({ status: "failed", endReason: "error", labels: ["user_simulator_invalid_output"] }))).toBe("user_simulator");
    expect(attributeFailure(episode({ labels: ["user_stopped_before_confirmed_action"] }))).toBe("user_simulator");
    expect(attributeFailure(episode({ labels: ["user_invented_id", "state_inconsistent"] }))).toBe("user_simulator");
  });

  it("blames the tool simulator for answers it could not fix, from episode or step labels", () => {
    expect(attributeFailure(episode({ labels: ["output_schema_mismatch"] }))).toBe("tool_simulator");
    expect(attributeFailure(episode({}, toolStep({}, ["state_inconsistent"])))).toBe("tool_simulator");
    expect(attributeFailure(episode({ labels: ["tool_simulator_invalid_output"] }))).toBe("tool_simulator");
  });

  it("blames infrastructure when a live server failed, and the agent otherwise", () => {
    expect(attributeFailure(episode({ labels: ["agent_empty_reply"] }, toolStep({ execution: "fallback", fallbackReason: "server crashed" })))).toBe("infrastructure");
    expect(attributeFailure(episode({ labels: ["real_call_fallback", "agent_empty_reply"] }))).toBe("infrastructure");
    expect(attributeFailure(episode({ labels: ["agent_empty_reply"] }))).toBe("agent");
    expect(attributeFailure(episode({ status: "failed", endReason: "error" }))).toBe("agent");
  });

  it("says which episodes failed: an error end, or a label that means failure", () => {
    expect(isFailedEpisode(episode({}))).toBe(false);
    expect(isFailedEpisode(episode({ labels: ["fault_injected", "premature_stop_rejected", "user_revealed_fact_unasked", "real_call_fallback"] }))).toBe(false);
    expect(isFailedEpisode(episode({ status: "failed", endReason: "error" }))).toBe(true);
    expect(isFailedEpisode(episode({ labels: ["user_stopped_before_confirmed_action"] }))).toBe(true);
    expect(isFailedEpisode(episode({}, toolStep({}, ["output_schema_mismatch"])))).toBe(true);
  });
});

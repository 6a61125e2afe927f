import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentRecord } from "../../src/domain/agent.js";
import { EpisodeRecordSchema, type EpisodeRecord } from "../../src/domain/episode.js";
import type { ChatMessage } from "../../src/domain/message.js";
import type { TaskRecord } from "../../src/domain/task.js";
import type { ModelRequest } from "../../src/model/language-model.js";
import { createScriptedModel } from "../helpers/scripted-model.js";
import { openTestHost, structuredOf, textOf, type TestHost } from "../helpers/mcp-client.js";
import { FIXTURE_FUNCTIONS } from "../helpers/test-data.js";

/** An agent that looks the user up after each user message, then answers from the tool result. */
function lookupAgent() {
  return createScriptedModel((request: ModelRequest) => {
    const last = request.messages.at(-1);
    if (last?.role === "user") return { toolCalls: [{ name: "get_user_details", arguments: JSON.stringify({ user_id: "sara_doe_496" }) }] };
    return { content: "I looked up your account: everything is in order." };
  });
}

let host: TestHost;
let task: TaskRecord;
beforeAll(async () => {
  host = await openTestHost({ models: { agent: lookupAgent() } });
  await host.call("import_tools", { file: FIXTURE_FUNCTIONS.file });
  const agent = structuredOf<AgentRecord>(await host.call("create_agent", { name: "Airline desk", systemPrompt: "You are an airline's reservation desk.", tools: ["get_user_details", "get_reservation_details"] }));
  task = structuredOf<TaskRecord>(
    await host.call("create_task", {
      agentId: agent.id,
      goal: "Check that my account is fine.",
      persona: { name: "Sara", style: "friendly" },
      hiddenFacts: [{ key: "user_id", value: "sara_doe_496", description: "your user id" }],
      rubric: { criteria: [{ id: "looked-up", kind: "rule", description: "get_user_details was called", check: { type: "tool_called", tool: "get_user_details" } }, { id: "helpful", kind: "llm", description: "Helpful." }] },
    }),
  );
});
afterAll(async () => host.close());

describe("interactive episodes", () => {
  it("start_episode → send_user_message (the agent calls its tools and answers) → end_episode stores the episode", async () => {
    const started = structuredOf<{ episodeId: string; messages: ChatMessage[]; tools: string[]; goal: string }>(await host.call("start_episode", { taskId: task.id }));
    expect(started.messages).toEqual([{ role: "system", content: "You are an airline's reservation desk." }]);
    expect(started.tools).toEqual(["get_user_details", "get_reservation_details"]);
    expect(started.goal).toBe(task.goal);

    const first = await host.call("send_user_message", { episodeId: started.episodeId, message: "Hi, my user id is sara_doe_496. Is my account fine?" });
    const turn = structuredOf<{ newMessages: ChatMessage[]; userTurns: number; ended: boolean }>(first);
    expect(turn.newMessages.map((message) => message.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    const call = turn.newMessages[1];
    const result = turn.newMessages[2];
    expect(call?.role === "assistant" && call.tool_calls?.[0]?.function.name).toBe("get_user_details");
    expect(result?.role === "tool" && result.tool_call_id).toBe(call?.role === "assistant" ? call.tool_calls?.[0]?.id : undefined);
    expect(turn).toMatchObject({ userTurns: 1, ended: false });
    expect(textOf(first)).toContain("assistant: I looked up your account");

    const live = await host.call("get_episode", { episodeId: started.episodeId });
    expect(live.isError).toBe(true);
    expect(textOf(live)).toContain("still live");

    await host.call("send_user_message", { episodeId: started.episodeId, message: "Great, thanks!" });
    const ended = structuredOf<{ id: string; status: string; endReason: string; messages: number; toolCalls: number }>(await host.call("end_episode", { episodeId: started.episodeId }));
    expect(ended).toMatchObject({ id: started.episodeId, status: "completed", endReason: "user_stop", messages: 9, toolCalls: 2 });

    const episode = structuredOf<EpisodeRecord>(await host.call("get_episode", { episodeId: started.episodeId }));
    expect(() => EpisodeRecordSchema.parse(episode)).not.toThrow();
    expect(episode.labels).toContain("interactive");
    expect(episode.provenance.source).toBe("simulate:interactive");
    expect(episode.steps.filter((step) => step.labels.includes("host_user"))).toHaveLength(2);
    expect(episode.steps.filter((step) => step.tool?.execution === "simulated")).toHaveLength(2);
    const run = await host.workspace.store.runs.require(episode.runId as string);
    expect(run).toMatchObject({ status: "completed", counts: { episodes: 1 } });

    const again = await host.call("send_user_message", { episodeId: started.episodeId, message: "one more thing" });
    expect(again.isError).toBe(true);
    expect(textOf(again)).toContain("already ended and is stored");
  });

  it("an episode ended before any user message is stored as failed, and live episodes count in get_stats", async () => {
    const started = structuredOf<{ episodeId: string }>(await host.call("start_episode", { taskId: task.id }));
    const stats = structuredOf<{ episodes: { live: number } }>(await host.call("get_stats"));
    expect(stats.episodes.live).toBe(1);
    const ended = structuredOf<{ status: string; endReason: string }>(await host.call("end_episode", { episodeId: started.episodeId }));
    expect(ended).toMatchObject({ status: "failed", endReason: "error" });
  });

  it("refuses an empty message without touching the episode", async () => {
    const started = structuredOf<{ episodeId: string }>(await host.call("start_episode", { taskId: task.id }));
    const empty = await host.call("send_user_message", { episodeId: started.episodeId, message: "   " });
    expect(empty.isError).toBe(true);
    expect(textOf(empty)).toContain("the message is empty");
    const turn = structuredOf<{ userTurns: number }>(await host.call("send_user_message", { episodeId: started.episodeId, message: "Hello?" }));
    expect(turn.userTurns).toBe(1);
    await host.call("end_episode", { episodeId: started.episodeId });
  });
});

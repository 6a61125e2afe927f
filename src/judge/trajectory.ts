import type { JsonObject } from "../domain/common.js";
import type { EpisodeRecord, ToolStep, Verification } from "../domain/episode.js";
import type { ChatMessage } from "../domain/message.js";
import type { ToolRecord } from "../domain/tool.js";
import { stableStringify } from "../support/hash.js";

/** What the rules need of a tool: its name, its input schema and (optionally) what it says it does. */
export interface TrajectoryTool {
  name: string;
  inputSchema: ToolRecord["inputSchema"];
  description?: string | undefined;
  annotations?: { readOnlyHint?: boolean | undefined } | undefined;
}

/**
 * An episode-like trajectory: what the deterministic rules check. An episode gives all of it; a conversation
 * made elsewhere gives its messages and tool specs, and leaves out what it does not know.
 */
export interface Trajectory {
  messages: readonly ChatMessage[];
  tools: readonly TrajectoryTool[];
  /** How each call ended, by tool-call id, when the maker recorded it (an episode's steps). */
  outcomes?: ReadonlyMap<string, ToolStep["outcome"]> | undefined;
  /** The check against the task's blueprint, when there is one. */
  verification?: Verification | undefined;
  /** Whether the world state changed at all (initial ≠ final), when the trajectory ran against a world. */
  stateChanged?: boolean | undefined;
}

/** An episode as a trajectory for the rules. */
export function trajectoryFromEpisode(episode: EpisodeRecord, tools: readonly TrajectoryTool[]): Trajectory {
  // A degrading fault (partial, empty) still answered the call: its content says what came back.
  const outcomes = new Map(episode.steps.flatMap((step) => (step.tool ? [[step.tool.toolCallId, step.tool.fault === "partial" || step.tool.fault === "empty" ? "ok" : step.tool.outcome] as const] : [])));
  const hasWorld = Object.keys(episode.worldState.initial).length > 0 || Object.keys(episode.worldState.final).length > 0;
  return {
    messages: episode.messages,
    tools,
    outcomes,
    ...(episode.verification ? { verification: episode.verification } : {}),
    ...(hasWorld ? { stateChanged: stableStringify(episode.worldState.initial) !== stableStringify(episode.worldState.final) } : {}),
  };
}

/** One tool call with what came back. */
export interface CallView {
  id: string;
  name: string;
  /** The parsed arguments (undefined when they are not a JSON object). */
  args: JsonObject | undefined;
  rawArguments: string;
  /** Index of the assistant message that made the call. */
  messageIndex: number;
  /** Index of the tool message that answered it, if any. */
  resultIndex: number | undefined;
  result: string | undefined;
  /** ok: a usable answer; failed: an error, a fault or an invalid call; empty: nothing found. */
  status: "ok" | "failed" | "empty" | "unanswered";
}

/** The conversation read once: calls with their results, the final answer and where each kind of text is. */
export interface TrajectoryView {
  calls: CallView[];
  /** The last message when it is an assistant answer without tool calls. */
  finalAnswer: { index: number; text: string } | undefined;
  /** System prompt, user turns, tool results and tool specs: where a stated fact may come from. */
  sources: string;
}

const FAILURE_TEXT = /^\s*(error\b|\[?error\]?:|ENOENT|EACCES|ENOTDIR|EISDIR|EEXIST|EPERM|access denied|permission denied|failed\b|failure\b|exception\b|traceback\b|timeout\b|timed out|rate limit|too many requests|internal server error|invalid\b|unknown (tool|record|id)\b|no such\b|not found\b|could not\b|cannot\b|unable to\b)/i;
const NOT_FOUND_TEXT = /\b(not found|no such|does not exist|doesn't exist|no (matching )?(record|result|entity|item)s?( (were|was))? found)\b/i;

/** Read a trajectory: pair every call with its result and classify how it ended. */
export function readTrajectory(trajectory: Trajectory): TrajectoryView {
  const { messages } = trajectory;
  const results = new Map<string, number>();
  messages.forEach((message, index) => {
    if (message.role === "tool" && !results.has(message.tool_call_id)) results.set(message.tool_call_id, index);
  });
  const calls: CallView[] = [];
  messages.forEach((message, messageIndex) => {
    if (message.role !== "assistant") return;
    for (const call of message.tool_calls ?? []) {
      const resultIndex = results.get(call.id);
      const reply = resultIndex === undefined ? undefined : messages[resultIndex];
      const result = reply?.role === "tool" ? reply.content : undefined;
      calls.push({
        id: call.id,
        name: call.function.name,
        args: parseObject(call.function.arguments),
        rawArguments: call.function.arguments,
        messageIndex,
        resultIndex,
        result,
        status: classifyResult(result, trajectory.outcomes?.get(call.id)),
      });
    }
  });
  const last = messages[messages.length - 1];
  const finalAnswer = last?.role === "assistant" && !last.tool_calls?.length && last.content?.trim() ? { index: messages.length - 1, text: last.content } : undefined;
  const sources = [
    ...messages.flatMap((message) => (message.role === "system" || message.role === "user" || message.role === "tool" ? [message.content] : [])),
    ...trajectory.tools.map((tool) => `${tool.name} ${tool.description ?? ""} ${JSON.stringify(tool.inputSchema)}`),
  ].join("\n");
  return { calls, finalAnswer, sources };
}

/** How a call ended: the recorded outcome when there is one, else what its result says. */
export function classifyResult(result: string | undefined, outcome: ToolStep["outcome"] | undefined): CallView["status"] {
  if (result === undefined) return "unanswered";
  if (outcome && outcome !== "ok") return "failed";
  const parsed = parseJson(result);
  if (parsed !== undefined && typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
    const object = parsed as Record<string, unknown>;
    if (object.isError === true || object.success === false || object.ok === false || (typeof object.error === "string" && object.error !== "") || (typeof object.error === "object" && object.error !== null)) return "failed";
    const results = object.results ?? object.items ?? object.data;
    if ((Array.isArray(results) && results.length === 0 && Object.keys(object).every((key) => ["results", "items", "data", "total", "count", "next_cursor", "nextCursor", "page"].includes(key))) || object.found === false) return "empty";
    return "ok";
  }
  if (Array.isArray(parsed)) return parsed.length === 0 ? "empty" : "ok";
  if (parsed === undefined && FAILURE_TEXT.test(result)) return NOT_FOUND_TEXT.test(result) ? "empty" : "failed";
  return "ok";
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseObject(text: string): JsonObject | undefined {
  const parsed = parseJson(text);
  return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as JsonObject) : undefined;
}

const READ_VERB = /^(get|list|search|find|read|lookup|look_up|view|show|check|fetch|query|open|describe|count|browse|retrieve|inspect|directory|compute|calculate|estimate|quote|preview|validate|verify)(_|$)|_(info|details|status_check)$/i;

/** A call that changes something: the tool is not marked read-only and its name is not a look-up verb. */
export function isChangeCall(call: Pick<CallView, "name">, tools: readonly TrajectoryTool[]): boolean {
  const tool = tools.find((candidate) => candidate.name === call.name);
  if (tool?.annotations?.readOnlyHint === true) return false;
  return !READ_VERB.test(call.name.replace(/([a-z])([A-Z])/g, "$1_$2"));
}

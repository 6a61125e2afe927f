import type { EpisodeRecord } from "../domain/episode.js";
import type { ToolSpec } from "../domain/tool.js";
import { prepareConversation, type ExportMessage, type ExportRecordOptions } from "./conversation.js";
import { parseArgumentsObject } from "./parse-arguments.js";

export type ShareGptRole = "system" | "human" | "gpt" | "function_call" | "observation";

export interface ShareGptTurn {
  from: ShareGptRole;
  value: string;
}

/** One ShareGPT record, as LLaMA-Factory's `sharegpt` formatting reads it (with `tools` as a column). */
export interface ShareGptRecord {
  conversations: ShareGptTurn[];
  /** The tools as a JSON string: a list of `{name, description, parameters}`. */
  tools: string;
}

/** How LLaMA-Factory joins the results of parallel calls into one observation. */
export const OBSERVATION_SEPARATOR = "\n</tool_response>\n<tool_response>\n";

/**
 * An episode in the ShareGPT tool-use convention (LLaMA-Factory's): system → `system`, user → `human`,
 * assistant text → `gpt`, tool calls → one `function_call` whose value is `{"name", "arguments"}` (a list of
 * them for parallel calls; arguments as objects), the results of those calls → one `observation` (joined with
 * LLaMA-Factory's separator). Human/observation and gpt/function_call alternate and it ends on `gpt`. Text an
 * assistant wrote beside its tool calls has no place in this convention and is left out; reasoning, when
 * kept, leads the value as `<think>…</think>`.
 */
export function toShareGptRecord(episode: EpisodeRecord, tools: readonly ToolSpec[], options: ExportRecordOptions): ShareGptRecord {
  const conversations: ShareGptTurn[] = [];
  let results: string[] = [];
  const flushResults = (): void => {
    if (results.length) conversations.push({ from: "observation", value: results.join(OBSERVATION_SEPARATOR) });
    results = [];
  };
  for (const message of prepareConversation(episode, options)) {
    if (message.role === "tool") {
      results.push(message.content);
      continue;
    }
    flushResults();
    appendTurn(conversations, toTurn(message));
  }
  flushResults();
  return { conversations, tools: JSON.stringify(tools.map((tool) => ({ name: tool.name, description: tool.description, parameters: tool.inputSchema }))) };
}

function toTurn(message: Exclude<ExportMessage, { role: "tool" }>): ShareGptTurn {
  if (message.role !== "assistant") return { from: message.role === "system" ? "system" : "human", value: message.content };
  const thought = message.reasoning_content ? `<think>\n${message.reasoning_content}\n</think>\n\n` : "";
  if (!message.tool_calls?.length) return { from: "gpt", value: `${thought}${message.content ?? ""}` };
  const calls = message.tool_calls.map((call) => ({ name: call.function.name, arguments: parseArgumentsObject(call) }));
  return { from: "function_call", value: `${thought}${JSON.stringify(calls.length === 1 ? calls[0] : calls)}` };
}

/** Consecutive human turns (or gpt turns) become one, so the roles keep alternating. */
function appendTurn(conversations: ShareGptTurn[], turn: ShareGptTurn): void {
  const previous = conversations.at(-1);
  if (previous && previous.from === turn.from && (turn.from === "human" || turn.from === "gpt")) previous.value = `${previous.value}\n\n${turn.value}`;
  else conversations.push(turn);
}

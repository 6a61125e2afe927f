import type { EpisodeRecord } from "../src/domain/episode.js";
import type { ChatMessage } from "../src/domain/message.js";
import { ID_LIKE_KEY } from "../src/judge/argument-rules.js";
import { isChangeCall, readTrajectory, type CallView, type TrajectoryTool } from "../src/judge/trajectory.js";

/*
 * Defective copies of a clean episode, one kind of defect each, for measuring the judge: each kind names the
 * reason codes that count as catching it. A kind that does not apply to an episode (no date argument to spoil,
 * no value to rename) gives no mutant.
 */

export const MUTANT_KINDS = {
  fabricated_id: ["fabricated_id"],
  success_after_error: ["success_after_failure"],
  wrong_count: ["count_mismatch"],
  changed_name: ["ungrounded_claim"],
  // A dropped call and its result: the answer is ungrounded or claims a change nothing made, or the rubric misses the call.
  dropped_tool_result: ["unperformed_change", "ungrounded_claim", "tool_not_called_as_expected"],
  open_question: ["ends_with_open_question"],
  impossible_date: ["impossible_date"],
  leaked_path: ["private_data_leak"],
  premature_stop: ["no_final_answer", "ends_with_open_question", "unanswered_call"],
} as const satisfies Record<string, readonly string[]>;
export type MutantKind = keyof typeof MUTANT_KINDS;

export interface MutationContext {
  tools: readonly TrajectoryTool[];
  /** A directory of the machine that made the data (the leaked path goes under it). */
  localDirectory: string;
}

type Mutate = (episode: EpisodeRecord, context: MutationContext) => EpisodeRecord | undefined;

/** A final answer that refuses or says nothing was changed. */
const REFUSAL = /\b(not able to|unable to|can(no|')t)\b[^.]*\b(make|do|process|refund|cancel|change|assign|exception)|haven't made any change|no change was made/i;

export const MUTATIONS: Record<MutantKind, Mutate> = {
  fabricated_id: (episode) => {
    const view = readTrajectory({ messages: episode.messages, tools: [] });
    for (const call of view.calls) {
      const entry = Object.entries(call.args ?? {}).find(([key, value]) => ID_LIKE_KEY.test(key) && typeof value === "string" && /\d/.test(value));
      if (!entry) continue;
      const [key, value] = entry as [string, string];
      const invented = value.replace(/\d/g, (digit) => String((Number(digit) + 7) % 10));
      return replaceCallArguments(episode, call, { ...call.args, [key]: invented });
    }
    return undefined;
  },
  success_after_error: (episode, context) => {
    const view = readTrajectory({ messages: episode.messages, tools: context.tools });
    // A refusal claims no success: spoiling one of its calls makes no "success after an error".
    if (!view.finalAnswer || REFUSAL.test(view.finalAnswer.text)) return undefined;
    const ok = view.calls.filter((call) => call.status === "ok" && call.resultIndex !== undefined);
    const target = ok.filter((call) => isChangeCall(call, context.tools)).pop() ?? ok.pop();
    if (!target || target.resultIndex === undefined) return undefined;
    const errors = [JSON.stringify({ error: "internal_error", message: "The service could not process the request." }), "Error: the service is unavailable (503). Try again later.", JSON.stringify({ success: false, message: "Request rejected by the upstream system." })];
    const copy = replaceMessage(episode, target.resultIndex, { role: "tool", tool_call_id: target.id, content: errors[episode.seed % errors.length] ?? "" });
    copy.steps = copy.steps.map((step) => (step.tool?.toolCallId === target.id ? { ...step, tool: { ...step.tool, outcome: "tool_error", stateDiff: [] } } : step));
    return copy;
  },
  wrong_count: (episode) => {
    const view = readTrajectory({ messages: episode.messages, tools: [] });
    const last = view.calls[view.calls.length - 1];
    if (!view.finalAnswer || !last) return undefined;
    const count = view.calls.filter((call) => call.name === last.name).length;
    const wrong = Math.max(count, view.calls.length) + 1 + (episode.seed % 2);
    const phrasings = [`I tried ${wrong} times before it went through.`, `It took ${wrong} attempts.`, `I looked it up ${wrong} times to be sure.`, `The search returned ${wrong + 20} results.`];
    return appendToAnswer(episode, view.finalAnswer.index, phrasings[episode.seed % phrasings.length] ?? "");
  },
  changed_name: (episode) => {
    const view = readTrajectory({ messages: episode.messages, tools: [] });
    if (!view.finalAnswer) return undefined;
    const answer = view.finalAnswer.text;
    const candidates = view.calls.flatMap((call) => collectStrings(parseJson(call.result))).filter((value) => (/^[A-Z][a-z]{2,}/.test(value) || value.includes("@")) && answer.includes(value));
    const original = candidates.sort((a, b) => b.length - a.length)[0];
    if (!original) return undefined;
    const renamed = original.includes("@") ? original.replace(/^[^@]+/, "morgan.quill") : `${REPLACEMENT_NAMES[episode.seed % REPLACEMENT_NAMES.length]}${original.includes(" ") ? ` ${original.split(" ").slice(1).join(" ")}` : ""}`;
    return replaceMessage(episode, view.finalAnswer.index, { role: "assistant", content: answer.split(original).join(renamed) });
  },
  dropped_tool_result: (episode, context) => {
    const view = readTrajectory({ messages: episode.messages, tools: context.tools });
    if (!view.finalAnswer) return undefined;
    const target = view.calls.filter((call) => call.status === "ok" && isChangeCall(call, context.tools)).pop() ?? soleSource(view.calls, view.finalAnswer.text, episode.messages);
    if (!target) return undefined;
    const copy = removeCall(episode, target);
    copy.worldState = { initial: episode.worldState.initial, final: episode.worldState.initial };
    return copy;
  },
  open_question: (episode) => {
    const view = readTrajectory({ messages: episode.messages, tools: [] });
    if (!view.finalAnswer) return undefined;
    const questions = ["Could you confirm the details once more so I can continue?", "Which one do you mean — could you give me the exact reference?", "Before I go on, what would you like me to do next?"];
    return replaceMessage(episode, view.finalAnswer.index, { role: "assistant", content: questions[episode.seed % questions.length] ?? "" });
  },
  impossible_date: (episode) => {
    const view = readTrajectory({ messages: episode.messages, tools: [] });
    for (const call of view.calls) {
      const entry = Object.entries(call.args ?? {}).find(([, value]) => typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value));
      if (!entry) continue;
      const [key, value] = entry as [string, string];
      const spoiled = [`${value.slice(0, 4)}-13-45`, "6083-64-34", `${value.slice(0, 4)}-02-30`][episode.seed % 3] ?? "";
      return replaceCallArguments(episode, call, { ...call.args, [key]: spoiled + value.slice(10) });
    }
    return undefined;
  },
  leaked_path: (episode, context) => {
    const view = readTrajectory({ messages: episode.messages, tools: [] });
    if (!view.finalAnswer) return undefined;
    return appendToAnswer(episode, view.finalAnswer.index, `A copy of the details is saved at ${context.localDirectory}/exports/summary.txt.`);
  },
  premature_stop: (episode, context) => {
    const view = readTrajectory({ messages: episode.messages, tools: context.tools });
    const target = view.calls.filter((call) => isChangeCall(call, context.tools)).pop() ?? view.calls[view.calls.length - 1];
    if (!target) return undefined;
    const copy = structuredClone(episode);
    copy.messages = copy.messages.slice(0, target.messageIndex);
    copy.steps = copy.steps.slice(0, target.messageIndex);
    copy.worldState = { initial: episode.worldState.initial, final: episode.worldState.initial };
    return copy.messages.length > 1 ? copy : undefined;
  },
};

const REPLACEMENT_NAMES = ["Bartholomew", "Wilhelmina", "Percival", "Genevieve", "Thaddeus"];

/** The ok call whose result alone holds a value the final answer states (so dropping it leaves the value unsourced). */
function soleSource(calls: readonly CallView[], answer: string, messages: readonly ChatMessage[]): CallView | undefined {
  for (const call of [...calls].reverse()) {
    if (call.status !== "ok" || call.result === undefined) continue;
    const others = messages.filter((message, index) => index !== call.resultIndex && (message.role === "user" || message.role === "system" || message.role === "tool")).map((message) => message.content ?? "").join("\n");
    if (collectStrings(parseJson(call.result)).some((value) => value.length >= 3 && answer.includes(value) && !others.includes(value))) return call;
  }
  return undefined;
}

function collectStrings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(collectStrings);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(collectStrings);
  return [];
}

function parseJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return text;
  }
}

function replaceMessage(episode: EpisodeRecord, index: number, message: ChatMessage): EpisodeRecord {
  const copy = structuredClone(episode);
  copy.messages[index] = message;
  return copy;
}

function appendToAnswer(episode: EpisodeRecord, index: number, sentence: string): EpisodeRecord {
  const message = episode.messages[index];
  return replaceMessage(episode, index, { role: "assistant", content: `${message?.role === "assistant" ? (message.content ?? "") : ""} ${sentence}`.trim() });
}

function replaceCallArguments(episode: EpisodeRecord, call: CallView, args: Record<string, unknown>): EpisodeRecord {
  const copy = structuredClone(episode);
  const message = copy.messages[call.messageIndex];
  if (message?.role === "assistant") message.tool_calls = message.tool_calls?.map((each) => (each.id === call.id ? { ...each, function: { ...each.function, arguments: JSON.stringify(args) } } : each));
  return copy;
}

/** The episode without a call and its result (and without the assistant message when the call was all it held). */
function removeCall(episode: EpisodeRecord, call: CallView): EpisodeRecord {
  const copy = structuredClone(episode);
  const drop = new Set<number>(call.resultIndex !== undefined ? [call.resultIndex] : []);
  const message = copy.messages[call.messageIndex];
  if (message?.role === "assistant") {
    const rest = (message.tool_calls ?? []).filter((each) => each.id !== call.id);
    if (rest.length === 0 && !message.content?.trim()) drop.add(call.messageIndex);
    else if (rest.length === 0) delete message.tool_calls;
    else message.tool_calls = rest;
  }
  copy.messages = copy.messages.filter((_, index) => !drop.has(index));
  copy.steps = copy.steps.filter((_, index) => !drop.has(index)).map((step, index) => ({ ...step, index }));
  return copy;
}

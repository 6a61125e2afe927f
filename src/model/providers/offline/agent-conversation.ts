import type { JsonObject, JsonValue } from "../../../domain/common.js";
import type { ChatMessage } from "../../../domain/message.js";
import { asObject } from "./schema-values.js";

/*
 * The agent's reading of the transcript: the system prompt, the user's messages of the current request,
 * every tool call with its parsed arguments and result, and the assistant's last words. The agent keeps
 * no memory between turns; everything it knows is rebuilt from the messages here.
 */

export interface CallRecord {
  id: string;
  name: string;
  args: JsonObject | undefined;
  result: JsonValue | undefined;
  ok: boolean;
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
  /** The answer came back cut short (marked `truncated`, as APIs mark a partial response). */
  truncated?: boolean | undefined;
  /** Index of the assistant message that made the call. */
  turnIndex: number;
}

export interface ConversationView {
  systemPrompt: string;
  /** User messages of the current request, oldest first. */
  userTexts: string[];
  /** The same, with the index of each message, to tell what was said after what. */
  userTurns: Array<{ text: string; index: number }>;
  goalText: string;
  lastUserText: string;
  /** Tool calls of the current request, in order. */
  calls: CallRecord[];
  /** The calls whose results are the latest messages (empty when a user or assistant spoke last). */
  lastBatch: CallRecord[];
  /** The assistant's latest text message of the current request and whether a user spoke after it. */
  lastAssistantText?: { text: string; answered: boolean } | undefined;
  usedCallIds: Set<string>;
  /** Questions the assistant asked during the current request. */
  questionsAsked: number;
  /** The assistant's text messages of the current request, oldest first. */
  assistantTexts: string[];
  /** Index of the message the current request starts at. */
  requestStart: number;
  /** User messages before the current request, oldest first (details given then still count). */
  earlierUserTexts: string[];
  /** Ids earlier requests called tools on: a new request is about something else. */
  earlierCallIds: Set<string>;
}

const CLOSING = /(anything else|something else|else i can help)/i;
/** Statements that end a request the agent could not carry out (no tool answered it), or answered without one. */
const CLOSED = /(i don't want to guess|please come back once|i still can't find|please (try|check) again (a little )?later|i can't access any systems|i don't have access to any tools|under our (rules|policy)|i haven't (changed|made) (anything|any change))/i;
/** A user message that asks for something (a first request, or "one more thing: …"), not only answers. */
const REQUEST_CUE = /\b(i'd like|i would like|i want|i need|could you|can you|would you|please|i'd rather|let's|could i|also|one more|next)\b/i;
/** A text answer that is an error report. */
const ERROR_TEXT = /^\s*(error\b|E[A-Z]{3,}: |access denied|permission denied|[^\n]{0,80}: no such file or directory)/i;
/** A user message that questions a refusal rather than asking for something new. */
const PUSH_BACK = /(way around|make an exception|anything you can do)/i;

/** Read the current request (or, with `whole`, the whole transcript, as a judge does). */
export function readConversation(messages: readonly ChatMessage[], whole = false): ConversationView {
  const systemPrompt = messages.filter((message) => message.role === "system").map((message) => message.content).join("\n");
  const start = whole ? 0 : findRequestStart(messages);
  const earlierUserTexts: string[] = [];
  const earlierCallIds = new Set<string>();
  const calls = new Map<string, CallRecord>();
  const userTexts: string[] = [];
  const userTurns: Array<{ text: string; index: number }> = [];
  const usedCallIds = new Set<string>();
  let lastAssistantText: ConversationView["lastAssistantText"];
  let lastBatch: CallRecord[] = [];
  let questionsAsked = 0;
  const assistantTexts: string[] = [];
  messages.forEach((message, index) => {
    if (message.role === "assistant") message.tool_calls?.forEach((call) => usedCallIds.add(call.id));
    if (index < start) {
      if (message.role === "user") earlierUserTexts.push(message.content);
      for (const call of message.role === "assistant" ? (message.tool_calls ?? []) : []) {
        for (const value of Object.values(parseArguments(call.function.arguments) ?? {})) if (typeof value === "string") earlierCallIds.add(value);
      }
      return;
    }
    if (message.role === "user") {
      userTexts.push(message.content);
      userTurns.push({ text: message.content, index });
      if (lastAssistantText) lastAssistantText.answered = true;
      lastBatch = [];
    } else if (message.role === "assistant") {
      if (message.content && message.content.trim() !== "" && !message.tool_calls?.length) {
        lastAssistantText = { text: message.content, answered: false };
        assistantTexts.push(message.content);
        if (message.content.includes("?")) questionsAsked++;
      }
      lastBatch = [];
      for (const call of message.tool_calls ?? []) {
        const record: CallRecord = { id: call.id, name: call.function.name, args: parseArguments(call.function.arguments), result: undefined, ok: false, turnIndex: index };
        calls.set(call.id, record);
        lastBatch.push(record);
      }
    } else if (message.role === "tool") {
      const record = calls.get(message.tool_call_id);
      if (record) fillResult(record, message.content);
    }
  });
  const lastMessage = messages[messages.length - 1];
  return {
    systemPrompt,
    userTexts,
    userTurns,
    goalText: userTexts[0] ?? "",
    lastUserText: userTexts[userTexts.length - 1] ?? "",
    calls: [...calls.values()],
    lastBatch: lastMessage?.role === "tool" ? lastBatch.filter((call) => call.result !== undefined) : [],
    lastAssistantText,
    usedCallIds,
    questionsAsked,
    assistantTexts,
    requestStart: start,
    earlierUserTexts,
    earlierCallIds,
  };
}

/** A new request starts with the first user message after the assistant wrapped up an earlier one. */
function findRequestStart(messages: readonly ChatMessage[]): number {
  let start = 0;
  let sawTool = false;
  let wrappedUp = false;
  messages.forEach((message, index) => {
    if (message.role === "tool") sawTool = true;
    if (message.role === "assistant" && !message.tool_calls?.length && message.content) {
      wrappedUp = (sawTool && !message.content.includes("?")) || CLOSING.test(message.content) || CLOSED.test(message.content);
    }
    if (message.role === "user" && wrappedUp && REQUEST_CUE.test(message.content) && !PUSH_BACK.test(message.content)) {
      start = index;
      sawTool = false;
      wrappedUp = false;
    }
  });
  return start;
}

function parseArguments(text: string): JsonObject | undefined {
  try {
    return asObject(JSON.parse(text || "{}") as JsonValue);
  } catch {
    return undefined;
  }
}

function fillResult(record: CallRecord, content: string): void {
  let result: JsonValue;
  try {
    result = JSON.parse(content) as JsonValue;
  } catch {
    result = content.trim() === "" ? "" : { text: content };
  }
  record.result = result;
  const object = asObject(result);
  const error = object?.error;
  if (isEmptyAnswer(result)) {
    record.ok = false;
    record.errorCode = "empty_response";
    record.errorMessage = "the service returned an empty response";
  } else if (error !== undefined && error !== null && error !== false) {
    record.ok = false;
    record.errorCode = typeof error === "string" ? error : "error";
    record.errorMessage = typeof object?.message === "string" ? object.message : typeof error === "string" ? error : JSON.stringify(error);
  } else if (typeof object?.text === "string" && ERROR_TEXT.test(object.text)) {
    // A tool that answers in text says it failed in words ("ENOENT: no such file or directory, …").
    record.ok = false;
    record.errorCode = /no such file|not found|ENOENT/i.test(object.text) ? "not_found" : "error";
    record.errorMessage = object.text.split("\n")[0]?.slice(0, 200) ?? object.text;
  } else {
    record.ok = true;
    record.truncated = object?.truncated === true;
  }
}

/** Nothing at all in the answer: `{}`, `[]`, `""` or null (an empty list inside a result is an answer). */
function isEmptyAnswer(result: JsonValue): boolean {
  if (result === null || result === "") return true;
  if (Array.isArray(result)) return result.length === 0;
  return typeof result === "object" && Object.keys(result).length === 0;
}

import { randomUUID } from "node:crypto";
import type { TokenUsage } from "../../../domain/common.js";
import type { ToolCall } from "../../../domain/message.js";
import type { FinishReason } from "../../language-model.js";
import { isObject } from "../../../support/is-object.js";

/*
 * Chat-completions answers → our response parts. OpenAI-compatible servers differ in details (where
 * reasoning goes, missing ids, finish reasons), so the answer is read as untrusted data, not as the
 * openai package's types claim it is.
 */

/** What one answer contributes to a ModelResponse (the model ref and latency are added by the caller). */
export interface CompletionParts {
  content: string | null;
  toolCalls: ToolCall[];
  reasoning?: string;
  finishReason: FinishReason;
  usage: TokenUsage;
}

/** The endpoint answered 200, but not with a chat completion (e.g. an HTML page at a wrong base URL). */
export class MalformedResponseError extends Error {}

/** A streamed answer carried an error instead of (the rest of) the completion. */
export class StreamErrorEvent extends Error {}

type Data = Record<string, unknown>;

export function fromChatCompletion(completion: unknown): CompletionParts {
  if (!isObject(completion)) throw new MalformedResponseError("the answer is not a chat completion JSON object");
  const choice = Array.isArray(completion.choices) ? completion.choices[0] : undefined;
  if (!isObject(choice)) throw new MalformedResponseError("the answer has no choices");
  const message = choice.message;
  if (!isObject(message)) throw new MalformedResponseError("the answer's first choice has no message");
  const toolCalls = readToolCalls(message.tool_calls);
  const reasoning = readReasoning(message);
  return {
    content: typeof message.content === "string" ? message.content : null,
    toolCalls,
    ...(reasoning !== undefined ? { reasoning } : {}),
    finishReason: mapFinishReason(choice.finish_reason, toolCalls.length > 0),
    usage: readUsage(completion.usage),
  };
}

/** `arguments` is kept exactly as sent, even when it is not valid JSON: the simulation reports that to the agent. */
function readToolCalls(value: unknown): ToolCall[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).flatMap((call) => {
    const fn = call.function;
    if (!isObject(fn)) return [];
    return [{ id: readId(call.id), type: "function" as const, function: { name: stringOr(fn.name, ""), arguments: readArguments(fn.arguments) } }];
  });
}

/** Some local servers leave the id out; the conversation still needs one to pair tool results with calls. */
function readId(value: unknown): string {
  return typeof value === "string" && value !== "" ? value : `call_${randomUUID().replace(/-/g, "").slice(0, 24)}`;
}

function readArguments(value: unknown): string {
  if (typeof value === "string") return value;
  return value === undefined || value === null ? "" : JSON.stringify(value);
}

/**
 * Kimi/Moonshot, DeepSeek and vLLM send `reasoning_content`; OpenRouter and newer vLLM send `reasoning`
 * (some versions both, with the same text), so one of them is taken, preferring a non-empty one.
 */
function readReasoning(message: Data): string | undefined {
  const candidates = [message.reasoning_content, message.reasoning].filter((value): value is string => typeof value === "string");
  return candidates.find((text) => text !== "") ?? candidates[0];
}

/**
 * Some servers (older vLLM, Ollama) report "stop" for an answer that calls tools; the tool calls are
 * what matters to the caller, so such an answer counts as "tool_calls".
 */
export function mapFinishReason(raw: unknown, hasToolCalls: boolean): FinishReason {
  switch (raw) {
    case "tool_calls":
    case "function_call":
      return "tool_calls";
    case "length":
      return "length";
    case "content_filter":
      return "content_filter";
    case "stop":
      return hasToolCalls ? "tool_calls" : "stop";
    default:
      return hasToolCalls ? "tool_calls" : "other";
  }
}

function readUsage(value: unknown): TokenUsage {
  if (!isObject(value)) return { inputTokens: 0, outputTokens: 0 };
  return { inputTokens: readCount(value.prompt_tokens), outputTokens: readCount(value.completion_tokens) };
}

function readCount(value: unknown): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : 0;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}

interface PartialToolCall {
  id?: string;
  name?: string;
  argumentPieces: string[];
}

/** Builds one answer from streamed chunks: text and reasoning deltas concatenated, tool calls merged by index. */
export class StreamAccumulator {
  private readonly contentPieces: string[] = [];
  private readonly reasoningPieces: string[] = [];
  private sawReasoning = false;
  private readonly toolCalls = new Map<number, PartialToolCall>();
  private finishReason: unknown = null;
  private usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };

  add(chunk: unknown): void {
    if (!isObject(chunk)) return;
    if (isObject(chunk.usage)) this.usage = readUsage(chunk.usage);
    const choices = Array.isArray(chunk.choices) ? chunk.choices.filter(isObject) : [];
    const choice = choices.find((candidate) => (candidate.index ?? 0) === 0);
    if (!choice) return;
    if (isObject(choice.delta)) this.addDelta(choice.delta);
    if (typeof choice.finish_reason === "string") this.finishReason = choice.finish_reason;
  }

  result(): CompletionParts {
    const content = this.contentPieces.join("");
    const toolCalls = [...this.toolCalls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, call]): ToolCall => ({
        id: readId(call.id),
        type: "function",
        function: { name: call.name ?? "", arguments: call.argumentPieces.join("") },
      }));
    return {
      content: content === "" ? null : content,
      toolCalls,
      ...(this.sawReasoning ? { reasoning: this.reasoningPieces.join("") } : {}),
      finishReason: mapFinishReason(this.finishReason, toolCalls.length > 0),
      usage: this.usage,
    };
  }

  private addDelta(delta: Data): void {
    if (typeof delta.content === "string") this.contentPieces.push(delta.content);
    // One of the two per delta: some servers send the same text under both names.
    const reasoning = readReasoning(delta);
    if (reasoning !== undefined) {
      this.sawReasoning = true;
      this.reasoningPieces.push(reasoning);
    }
    if (Array.isArray(delta.tool_calls)) delta.tool_calls.forEach((entry, position) => this.addToolCallDelta(entry, position));
  }

  private addToolCallDelta(entry: unknown, position: number): void {
    if (!isObject(entry)) return;
    const index = typeof entry.index === "number" ? entry.index : position;
    const call = this.toolCalls.get(index) ?? { argumentPieces: [] };
    this.toolCalls.set(index, call);
    if (typeof entry.id === "string" && entry.id !== "" && call.id === undefined) call.id = entry.id;
    const fn = entry.function;
    if (!isObject(fn)) return;
    // The name comes whole in the first delta of a call; later deltas may repeat it, so it is not concatenated.
    if (typeof fn.name === "string" && fn.name !== "" && call.name === undefined) call.name = fn.name;
    if (typeof fn.arguments === "string") call.argumentPieces.push(fn.arguments);
  }
}

/**
 * Reads a server-sent-events body as it arrives: each `data:` line of an event is a JSON chunk for the
 * accumulator, `[DONE]` ends it, and a chunk (or an `event: error`) carrying an `error` throws StreamErrorEvent.
 */
export class SseReader {
  #buffer = "";
  #event = "";

  constructor(private readonly accumulator: StreamAccumulator) {}

  push(text: string): void {
    this.#buffer += text;
    let newline: number;
    while ((newline = this.#buffer.indexOf("\n")) !== -1) {
      const line = this.#buffer.slice(0, newline).replace(/\r$/, "");
      this.#buffer = this.#buffer.slice(newline + 1);
      this.#line(line);
    }
  }

  #line(line: string): void {
    if (line === "") {
      this.#event = "";
      return;
    }
    if (line.startsWith("event:")) {
      this.#event = line.slice(6).trim();
      return;
    }
    if (!line.startsWith("data:")) return;
    const data = line.slice(5).trim();
    if (data === "[DONE]") return;
    const chunk: unknown = JSON.parse(data);
    if (this.#event === "error" || (isObject(chunk) && chunk.error !== undefined && chunk.error !== null)) {
      const error = isObject(chunk) ? chunk.error : undefined;
      const message = isObject(error) && typeof error.message === "string" ? error.message : JSON.stringify(chunk);
      throw new StreamErrorEvent(message);
    }
    this.accumulator.add(chunk);
  }
}

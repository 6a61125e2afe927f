import { createHash, type Hash } from "node:crypto";
import { z } from "zod";
import type { TokenUsage } from "../domain/common.js";
import type { ChatMessage } from "../domain/message.js";
import type { FunctionTool } from "../domain/tool.js";
import { ModelOutputError } from "../errors/model-output-error.js";
import { formatIssues } from "../errors/format-issues.js";
import { stableStringify } from "../support/hash.js";
import type { LanguageModel, ModelRequest, ModelResponse, ResponseFormat } from "./language-model.js";

export interface TextResult {
  response: ModelResponse;
  /** Hash of what was sent (messages, tools, response format), for provenance. */
  promptHash: string;
}

/** Separates the fields of the hashed prompt (no JSON text or tool name contains it). */
const SEPARATOR = "\u0000";
const digests = new WeakMap<object, string>();

/** A digest of a value that is sent again and again unchanged (a tool, a response format), computed once per object. */
function digestOnce(value: FunctionTool | ResponseFormat): string {
  let digest = digests.get(value);
  if (digest === undefined) {
    digest = createHash("sha256").update(stableStringify(value)).digest("hex");
    digests.set(value, digest);
  }
  return digest;
}

function hashMessage(hash: Hash, message: ChatMessage): void {
  hash.update(message.role).update(SEPARATOR).update(message.content ?? "").update(SEPARATOR);
  if (message.role === "tool") hash.update(message.tool_call_id).update(SEPARATOR);
  if (message.role !== "assistant") return;
  for (const call of message.tool_calls ?? []) hash.update(call.id).update(SEPARATOR).update(call.function.name).update(SEPARATOR).update(call.function.arguments).update(SEPARATOR);
  if (message.reasoning_content !== undefined) hash.update("reasoning").update(SEPARATOR).update(message.reasoning_content).update(SEPARATOR);
}

/**
 * A short hash of what a request sends (messages, tools, response format), streamed field by field: no copy of the
 * conversation is made or sorted; tools and formats, sent unchanged request after request, are digested once.
 */
export function hashPrompt(request: ModelRequest): string {
  const hash = createHash("sha256");
  hash.update(`messages:${request.messages.length}${SEPARATOR}`);
  for (const message of request.messages) hashMessage(hash, message);
  hash.update(`tools:${request.tools?.length ?? 0}${SEPARATOR}`);
  for (const tool of request.tools ?? []) hash.update(digestOnce(tool));
  hash.update(`format${SEPARATOR}`);
  if (request.responseFormat) hash.update(digestOnce(request.responseFormat));
  return hash.digest("hex").slice(0, 16);
}

/** Throws (and counts) a ModelOutputError when an answer was cut at the output-token limit even after the provider's retry. */
function rejectTruncated(model: LanguageModel, request: ModelRequest, response: ModelResponse, what: string): void {
  if (response.finishReason !== "length") return;
  model.recordFailure?.(request.purpose, "truncated");
  throw new ModelOutputError(`${request.purpose}: the model's ${what} was cut at the output-token limit, even after a retry with twice the limit; raise maxOutputTokens for this role or switch its thinking off`, {
    purpose: request.purpose,
    problems: ["finish_reason: length"],
    output: (response.content ?? "").slice(0, 2000),
    kind: "truncated",
  });
}

/** Ask for a free-form answer (text and/or tool calls). An answer cut at the token limit throws ModelOutputError (truncated). */
export async function generateText(model: LanguageModel, request: ModelRequest): Promise<TextResult> {
  const response = await model.generate(request);
  rejectTruncated(model, request, response, "answer");
  return { response, promptHash: hashPrompt(request) };
}

export interface ObjectResult<T> {
  object: T;
  promptHash: string;
  usage: TokenUsage;
  latencyMs: number;
  attempts: number;
  response: ModelResponse;
}

const formats = new WeakMap<z.ZodType, Map<string, ResponseFormat>>();

/**
 * The response format of a zod schema under a name, built once: `z.toJSONSchema` walks the whole schema, and the
 * same few schemas are asked for on every structured request.
 */
export function responseFormatOf(schema: z.ZodType, name: string): ResponseFormat {
  let byName = formats.get(schema);
  if (!byName) {
    byName = new Map();
    formats.set(schema, byName);
  }
  let format = byName.get(name);
  if (!format) {
    format = { type: "json_schema", name, schema: z.toJSONSchema(schema, { io: "input" }) as Record<string, unknown> };
    byName.set(name, format);
  }
  return format;
}

/**
 * Ask for JSON matching a zod schema (sent as a JSON-schema response format). Invalid output gets one
 * repair attempt that shows the model its mistakes; after that a ModelOutputError (invalid_output) is thrown.
 * An answer cut at the token limit is not repaired: ModelOutputError (truncated).
 */
export async function generateObject<S extends z.ZodType>(
  model: LanguageModel,
  request: Omit<ModelRequest, "responseFormat"> & { schema: S; schemaName: string },
): Promise<ObjectResult<z.infer<S>>> {
  const { schema, schemaName, ...rest } = request;
  const first: ModelRequest = { ...rest, responseFormat: responseFormatOf(schema, schemaName) };
  const promptHash = hashPrompt(first);
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  let latencyMs = 0;
  let current = first;
  for (let attempt = 1; ; attempt++) {
    const response = await model.generate(current);
    usage.inputTokens += response.usage.inputTokens;
    usage.outputTokens += response.usage.outputTokens;
    latencyMs += response.latencyMs;
    rejectTruncated(model, current, response, `${schemaName} answer`);
    const parsed = parseStructured(schema, response.content);
    if (parsed.ok) return { object: parsed.value, promptHash, usage, latencyMs, attempts: attempt, response };
    if (attempt >= 2) {
      model.recordFailure?.(request.purpose, "invalid_output");
      throw new ModelOutputError(
        `${request.purpose}: the model's answer did not match ${schemaName} after a repair attempt`,
        { purpose: request.purpose, problems: parsed.problems, output: (response.content ?? "").slice(0, 2000), kind: "invalid_output" },
      );
    }
    current = {
      ...first,
      messages: [
        ...first.messages,
        { role: "assistant", content: response.content ?? "" },
        {
          role: "user",
          content: `That answer is not valid ${schemaName} JSON:\n${parsed.problems.map((p) => `- ${p}`).join("\n")}\nReply again with only the corrected JSON object.`,
        },
      ],
    };
  }
}

type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

export function parseStructured<S extends z.ZodType>(schema: S, content: string | null): Parsed<z.infer<S>> {
  if (!content || content.trim() === "") return { ok: false, problems: ["the answer was empty"] };
  let json: unknown;
  try {
    json = JSON.parse(stripFences(content));
  } catch (error) {
    return { ok: false, problems: [`not JSON: ${(error as Error).message}`] };
  }
  const result = schema.safeParse(json);
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: formatIssues(result.error.issues) };
}

function stripFences(text: string): string {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n```$/.exec(trimmed);
  return fenced?.[1] ?? trimmed;
}

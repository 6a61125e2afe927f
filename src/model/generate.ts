import { z } from "zod";
import { ModelOutputError } from "../errors/model-output-error.js";
import { formatIssues } from "../errors/format-issues.js";
import { hashValue } from "../support/hash.js";
import type { TokenUsage } from "../domain/common.js";
import type { LanguageModel, ModelRequest, ModelResponse } from "./language-model.js";

export interface TextResult {
  response: ModelResponse;
  /** Hash of what was sent (messages, tools, response format), for provenance. */
  promptHash: string;
}

export function hashPrompt(request: ModelRequest): string {
  return hashValue({ messages: request.messages, tools: request.tools ?? [], responseFormat: request.responseFormat ?? null });
}

/** Ask for a free-form answer (text and/or tool calls). */
export async function generateText(model: LanguageModel, request: ModelRequest): Promise<TextResult> {
  const response = await model.generate(request);
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

/**
 * Ask for JSON matching a zod schema (sent as a JSON-schema response format). Invalid output gets one
 * repair attempt that shows the model its mistakes; after that a ModelOutputError is thrown.
 */
export async function generateObject<S extends z.ZodType>(
  model: LanguageModel,
  request: Omit<ModelRequest, "responseFormat"> & { schema: S; schemaName: string },
): Promise<ObjectResult<z.infer<S>>> {
  const { schema, schemaName, ...rest } = request;
  const first: ModelRequest = {
    ...rest,
    responseFormat: { type: "json_schema", name: schemaName, schema: z.toJSONSchema(schema, { io: "input" }) as Record<string, unknown> },
  };
  const promptHash = hashPrompt(first);
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  let latencyMs = 0;
  let current = first;
  for (let attempt = 1; ; attempt++) {
    const response = await model.generate(current);
    usage.inputTokens += response.usage.inputTokens;
    usage.outputTokens += response.usage.outputTokens;
    latencyMs += response.latencyMs;
    const parsed = parseStructured(schema, response.content);
    if (parsed.ok) return { object: parsed.value, promptHash, usage, latencyMs, attempts: attempt, response };
    if (attempt >= 2) {
      throw new ModelOutputError(
        `${request.purpose}: the model's answer did not match ${schemaName} after a repair attempt`,
        { purpose: request.purpose, problems: parsed.problems, output: (response.content ?? "").slice(0, 2000) },
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

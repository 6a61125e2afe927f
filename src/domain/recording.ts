import { z } from "zod";
import { IdSchema, JsonObjectSchema, JsonValueSchema, recordBase } from "./common.js";

/**
 * A real tool call and the live server's answer, kept so the tool simulator can learn from real examples
 * (few-shot) and so `replay` can answer a call with the same arguments without calling the server again.
 */
export const RecordingRecordSchema = z.object({
  ...recordBase,
  kind: z.literal("recording"),
  toolId: IdSchema,
  toolName: z.string().describe("the portable tool name the agent used"),
  serverName: z.string().describe("the server's entry name in mcp.json"),
  originalName: z.string().describe("the tool name on the server"),
  arguments: JsonObjectSchema,
  argumentsKey: z.string().describe("hash of the canonical arguments, to match replays"),
  result: JsonValueSchema.describe("what the agent was shown: structured content, else the parsed or raw text content"),
  isError: z.boolean(),
  latencyMs: z.number().nonnegative(),
  episodeId: IdSchema.optional(),
});
export type RecordingRecord = z.infer<typeof RecordingRecordSchema>;

/** A live tool's answer: the text the agent sees (its content blocks) and the value a recording keeps. */
export const ToolAnswerSchema = RecordingRecordSchema.pick({ result: true, isError: true }).extend({ content: z.string() });
export type ToolAnswer = z.infer<typeof ToolAnswerSchema>;

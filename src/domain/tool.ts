import { z } from "zod";
import { IdSchema, JsonSchemaSchema, TimestampSchema, recordBase } from "./common.js";
import { ToolAuditSchema, ToolEffectSchema, type ToolEffect } from "./effect.js";

/** Tool names every provider accepts. */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
export const ToolNameSchema = z.string().regex(TOOL_NAME_PATTERN, "a tool name of 1-64 characters from [a-zA-Z0-9_-]");

export const ToolSourceSchema = z.enum(["real", "synthetic", "imported"]);
export type ToolSource = z.infer<typeof ToolSourceSchema>;
/** A source agents may be built from, or `all` of them (`run --tool-source`, `run_pipeline`). */
export const ToolSourceChoiceSchema = z.enum([...ToolSourceSchema.options, "all"]);
export type ToolSourceChoice = z.infer<typeof ToolSourceChoiceSchema>;

/** MCP tool annotations (hints, as the MCP spec defines them). */
export const ToolAnnotationsSchema = z
  .object({
    title: z.string().optional(),
    readOnlyHint: z.boolean().optional(),
    destructiveHint: z.boolean().optional(),
    idempotentHint: z.boolean().optional(),
    openWorldHint: z.boolean().optional(),
  })
  .loose();
export type ToolAnnotations = z.infer<typeof ToolAnnotationsSchema>;

/** The portable part of a tool: what an agent model sees. */
export const ToolSpecSchema = z.object({
  name: ToolNameSchema,
  description: z.string(),
  inputSchema: JsonSchemaSchema,
  outputSchema: JsonSchemaSchema.optional(),
  annotations: ToolAnnotationsSchema.optional(),
});
export type ToolSpec = z.infer<typeof ToolSpecSchema>;

/** Where a tool came from beyond the generic provenance. */
export const ToolOriginSchema = z.object({
  originalName: z.string().describe("The name as the source spelled it; restored when a real server is called"),
  serverId: IdSchema.optional().describe("Tool server record, for real and imported tools"),
  serverName: z.string().optional(),
  serverVersion: z.string().optional(),
  protocolVersion: z.string().optional(),
  transport: z.string().optional(),
  configName: z.string().optional().describe("The server's entry name in mcp.json, for real tools"),
  category: z.string().optional().describe("The catalog category, for tools imported from a server catalog"),
  syncedAt: TimestampSchema.optional().describe("When a server sync last saw this tool, for real tools"),
  file: z.string().optional().describe("Import file, for imported tools"),
  format: z.string().optional().describe("Import format, for imported tools"),
  importedAt: TimestampSchema.optional(),
});
export type ToolOrigin = z.infer<typeof ToolOriginSchema>;

export const ToolRecordSchema = z.object({
  ...recordBase,
  kind: z.literal("tool"),
  ...ToolSpecSchema.shape,
  source: ToolSourceSchema,
  domainId: IdSchema.optional(),
  effect: ToolEffectSchema.optional().describe("the declared effect on the domain's entities, for synthetic tools the environment executes"),
  audit: ToolAuditSchema.optional().describe("the tool exercised on a sample state before use; a tool that failed is not given to agents"),
  origin: ToolOriginSchema,
  stale: z.boolean().default(false),
});
export type ToolRecord = z.infer<typeof ToolRecordSchema>;

export const ToolServerTransportSchema = z.enum(["stdio", "streamable-http", "sse"]);
export type ToolServerTransport = z.infer<typeof ToolServerTransportSchema>;

/** A third-party MCP server that real tools come from. Secrets are never stored: only variable names. */
export const ToolServerRecordSchema = z.object({
  ...recordBase,
  kind: z.literal("tool-server"),
  name: z.string().min(1),
  transport: ToolServerTransportSchema,
  command: z.string().optional(),
  args: z.array(z.string()).default([]),
  url: z.string().optional(),
  cwd: z.string().optional(),
  envKeys: z.array(z.string()).default([]).describe("names of the environment variables set for a stdio server (never their values)"),
  headerKeys: z.array(z.string()).default([]).describe("names of the HTTP headers sent to a remote server (never their values)"),
  configFile: z.string().optional().describe("the mcp.json the entry came from"),
  serverName: z.string().optional(),
  serverVersion: z.string().optional(),
  protocolVersion: z.string().optional(),
  status: z.enum(["unknown", "connected", "error", "removed"]).default("unknown"),
  toolCount: z.number().int().nonnegative().default(0),
  lastError: z.string().optional(),
  lastSyncedAt: TimestampSchema.optional(),
});
export type ToolServerRecord = z.infer<typeof ToolServerRecordSchema>;

/** What the agent model is given: the OpenAI function-tool shape. */
export interface FunctionTool {
  type: "function";
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export function toFunctionTool(tool: ToolSpec): FunctionTool {
  return { type: "function", function: { name: tool.name, description: tool.description, parameters: tool.inputSchema } };
}

/** Whether agents may be given the tool: it is not stale, and it did not fail its audit. */
export function isUsableTool(tool: Pick<ToolRecord, "stale" | "audit">): boolean {
  return !tool.stale && tool.audit?.passed !== false;
}

/** The portable spec of a stored tool (no ids or timestamps: what a model is shown). */
export function toToolSpec(tool: ToolSpec): ToolSpec {
  const spec: ToolSpec = { name: tool.name, description: tool.description, inputSchema: tool.inputSchema };
  if (tool.outputSchema) spec.outputSchema = tool.outputSchema;
  if (tool.annotations) spec.annotations = tool.annotations;
  return spec;
}

/** A tool as a generator is shown it: the portable spec and, for a tool the environment executes, its declared effect. */
export type ToolWithEffect = ToolSpec & { effect?: ToolEffect | undefined };

export function toToolWithEffect(tool: ToolSpec & { effect?: ToolEffect | undefined }): ToolWithEffect {
  return tool.effect ? { ...toToolSpec(tool), effect: tool.effect } : toToolSpec(tool);
}

import type { McpServer, ToolCallback } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { CallToolResult, ServerNotification, ServerRequest, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import { formatIssues } from "../errors/format-issues.js";
import type { ProgressListener } from "../model/stage-env.js";
import { describeToolError } from "./error-text.js";
import { strictInput } from "./strict-input.js";
import type { ListedTool } from "./tool-list.js";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** What a tool handler gets besides its arguments. */
export interface ToolContext {
  /** Aborted when the client cancels the request. */
  signal: AbortSignal;
  /** Sends `notifications/progress` when the client asked for progress (a no-op otherwise). */
  onProgress: ProgressListener;
}

/** A handler's answer: the structured result, and a short text rendering for hosts that read only `content`. */
export interface ToolReply<T> {
  structured: T;
  text: string;
}

export interface ToolDefinition<I extends z.ZodObject, O extends z.ZodObject> {
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
}

/** Annotations of a tool that only reads the store. */
export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };

/**
 * Register a tool whose arguments are checked strictly (an unknown one is named, with the accepted ones), whose
 * result is validated against its output schema before it is sent, and whose errors become isError results
 * that say what was wrong and how to fix it.
 */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(
  server: McpServer,
  name: string,
  definition: ToolDefinition<I, O>,
  handler: (args: z.output<I>, context: ToolContext) => Promise<ToolReply<z.input<O>>>,
): void {
  const callback = async (args: z.output<I>, extra: Extra): Promise<CallToolResult> => {
    try {
      const reply = await handler(args, { signal: extra.signal, onProgress: createProgressSender(extra) });
      return toolResult(definition.output, reply);
    } catch (error) {
      return errorResult(error);
    }
  };
  const input = strictInput(definition.input, name);
  getDefinedTools(server).push({ name, title: definition.title, description: definition.description, input, output: definition.output, annotations: definition.annotations });
  server.registerTool(
    name,
    { title: definition.title, description: definition.description, inputSchema: input, outputSchema: definition.output, annotations: definition.annotations },
    // The SDK's callback type is a conditional type over the schema, which TypeScript cannot resolve for a generic I.
    callback as unknown as ToolCallback<I>,
  );
}

const toolsOfServer = new WeakMap<McpServer, ListedTool[]>();

/** The tools defined on a server so far, in the order they were defined (what tools/list lists). */
export function getDefinedTools(server: McpServer): ListedTool[] {
  let tools = toolsOfServer.get(server);
  if (!tools) toolsOfServer.set(server, (tools = []));
  return tools;
}

function toolResult<O extends z.ZodObject>(output: O, reply: ToolReply<z.input<O>>): CallToolResult {
  const parsed = output.safeParse(reply.structured);
  if (!parsed.success) return errorResult(new Error(`the result does not match the tool's output schema: ${formatIssues(parsed.error.issues).join("; ")}`));
  return { content: [{ type: "text", text: reply.text }], structuredContent: parsed.data as Record<string, unknown> };
}

export function errorResult(error: unknown): CallToolResult {
  return { content: [{ type: "text", text: describeToolError(error) }], isError: true };
}

/** Progress notifications for the request's progress token; values only ever increase, as the spec asks. */
function createProgressSender(extra: Extra): ProgressListener {
  const token = extra._meta?.progressToken;
  if (token === undefined) return () => undefined;
  let last = Number.NEGATIVE_INFINITY;
  return ({ done, total, message }) => {
    if (done <= last || extra.signal.aborted) return;
    last = done;
    extra
      .sendNotification({ method: "notifications/progress", params: { progressToken: token, progress: done, total, ...(message ? { message } : {}) } })
      .catch(() => undefined);
  };
}

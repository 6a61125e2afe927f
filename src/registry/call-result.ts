import type { CallToolResult, ContentBlock } from "@modelcontextprotocol/sdk/types.js";
import type { JsonValue } from "../domain/common.js";
import type { ToolAnswer } from "../domain/recording.js";
import type { McpServerEntry } from "./mcp-config.js";
import { redactJson, redactText } from "../support/redact.js";

/**
 * What a host shows a model of an MCP tool result: the text of its content blocks (Kimi CLI reads only
 * those). The recorded value is the structured content when the tool gives one, else the text parsed as
 * JSON when it is JSON, else the text.
 */
export function answerOfCallResult(result: CallToolResult): ToolAnswer {
  const content = result.content.map(describeBlock).join("\n");
  const structured = result.structuredContent as JsonValue | undefined;
  return { content, result: structured ?? parseJson(content) ?? content, isError: result.isError === true };
}

function describeBlock(block: ContentBlock): string {
  switch (block.type) {
    case "text":
      return block.text;
    case "image":
    case "audio":
      return `[${block.type} ${block.mimeType}, ${Math.round((block.data.length * 3) / 4)} bytes]`;
    case "resource":
      return "text" in block.resource ? block.resource.text : `[resource ${block.resource.uri}]`;
    case "resource_link":
      return `[resource link ${block.uri}${block.name ? ` (${block.name})` : ""}]`;
  }
}

function parseJson(text: string): JsonValue | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return undefined;
  try {
    return JSON.parse(trimmed) as JsonValue;
  } catch {
    return undefined;
  }
}

/** The values of a server's entry that are secrets (see McpServerEntry.secrets). */
export function secretValuesOf(entry: McpServerEntry): string[] {
  return entry.secrets;
}

/** The answer with every secret value replaced by `[redacted]`, so a server that echoes one cannot leak it into episodes. */
export function redactAnswer(answer: ToolAnswer, secrets: readonly string[]): ToolAnswer {
  if (secrets.length === 0) return answer;
  return { ...answer, content: redactText(answer.content, secrets), result: redactJson(answer.result, secrets) };
}

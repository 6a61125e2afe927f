import type { JsonObject } from "../../../domain/common.js";

/** A tool call the offline agent decided to make. */
export interface PlannedCall {
  name: string;
  args: JsonObject;
}

/** What the offline agent does on its turn: say something, call tools, or both. */
export interface AgentDecision {
  content: string | null;
  calls: PlannedCall[];
}

/** A turn that only speaks. */
export function say(content: string): AgentDecision {
  return { content, calls: [] };
}

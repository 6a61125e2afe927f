import { AgentsynthError, type ErrorCode } from "../errors/agentsynth-error.js";
import { NotFoundError } from "../errors/not-found-error.js";

/** Where a host finds valid ids of each kind of record. */
const LOOKUP_HINTS: Record<string, string> = {
  tool: "call list_tools for tool names and ids, or import_tools / synthesize_tools to add tools",
  domain: "domain ids come back from evolve_domains and appear as domainId in list_tools results",
  agent: "list agents as resources (agentsynth://agents/…), or create one with create_agent",
  task: "list tasks as resources (agentsynth://tasks/…), or create one with create_task",
  episode: "call list_episodes for episode ids",
  "live episode": "start an interactive episode with start_episode; an episode already ended is read with get_episode",
  dataset: "list datasets as resources (agentsynth://datasets/…), or make one with filter",
  judgment: "judge the episode first",
  run: "run ids come back from simulate, judge, the generators and run_pipeline (get_stats counts them)",
};

const CODE_HINTS: Partial<Record<ErrorCode, string>> = {
  CONFIG_INVALID: "Fix the config file and call again.",
  MODEL_REQUEST_FAILED: "The model endpoint failed after its retries; what finished is stored and the run is marked failed. Check the endpoint, key and model name, then call again.",
  MODEL_UNAVAILABLE: "No request to this endpoint can succeed (a rejected key, no access, no such model, or most recent requests failed); what finished is stored and the run is marked failed. Fix the endpoint, key or model name, then call again: run_pipeline takes the run up where it stopped.",
  BUDGET_REACHED: "What finished is stored and the run is marked failed; call again (with a higher cap if needed): run_pipeline takes the run up where it stopped, without paying again for what was done.",
  MODEL_OUTPUT_INVALID: "The model's answer was invalid even after a repair attempt; call again, or configure a stronger model for this role.",
  CANCELLED: "What finished stays in the store; the run is marked cancelled.",
};

/**
 * The text of an isError tool result: what was wrong and how to fix it, never a stack trace. Errors
 * agentsynth raises on purpose carry their code; anything else is reported as an internal error.
 */
export function describeToolError(error: unknown): string {
  if (error instanceof NotFoundError) {
    const hint = LOOKUP_HINTS[error.collection];
    return `NOT_FOUND: ${error.message}.${hint ? ` To fix: ${hint}.` : ""}`;
  }
  if (error instanceof AgentsynthError) {
    const hint = CODE_HINTS[error.code];
    return `${error.code}: ${error.message}${hint ? `\n${hint}` : ""}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `INTERNAL_ERROR: ${firstLine(message)}\nNothing was left half-written and the server keeps serving; if this repeats, report it with the arguments you sent.`;
}

function firstLine(text: string): string {
  return text.split("\n")[0]?.slice(0, 500) ?? "";
}

import type { JsonObject, JsonValue } from "../domain/common.js";
import { specOfDomain } from "../domain/domain.js";
import { toToolSpec, type ToolRecord } from "../domain/tool.js";
import { applyStateOperations } from "../domain/world-state.js";
import { ModelOutputError } from "../errors/model-output-error.js";
import { generateObject } from "../model/generate.js";
import { ToolSimulationOutputSchema, type ToolSimulationContext, type ToolSimulationOutput } from "../model/request-context.js";
import { describeDomain } from "../domain/describe.js";
import type { ChatMessage } from "../domain/message.js";
import type { StageEnv } from "../model/stage-env.js";
import { validateJsonSchema } from "../support/json-schema.js";
import type { ExecuteToolCallOptions, ToolExecution } from "./tool-execution.js";
import { checkWorldConsistency } from "./world-consistency.js";
import { findToolDomain } from "./environment-call.js";
import { isObject } from "../support/is-object.js";

const HISTORY_WINDOW = 12;
const EXAMPLE_LIMIT = 5;

/**
 * Answer a valid call with the tool simulator: a world model that sees the spec, the arguments, the state,
 * recent history and recorded real calls of the tool. An answer that misses the output schema or breaks the
 * world-state rules gets one retry with the problems in the prompt; if the retry still breaks them, it is
 * used and the step is labelled (`output_schema_mismatch`, `state_inconsistent`).
 */
export async function simulateToolCall(env: StageEnv, options: ExecuteToolCallOptions, tool: ToolRecord, args: JsonObject): Promise<ToolExecution> {
  const history = options.history.slice(-HISTORY_WINDOW);
  const examples = (options.examples ?? []).slice(0, EXAMPLE_LIMIT);
  const spec = toToolSpec(tool);
  const domain = findToolDomain(tool, options.domains);
  const usage = { inputTokens: 0, outputTokens: 0 };
  let latencyMs = 0;
  let feedback: string[] = [];
  for (let attempt = 1; attempt <= 2; attempt++) {
    let output;
    try {
      const request = buildToolSimulationRequest({
        purpose: "tool-simulation",
        tool: spec,
        arguments: args,
        state: options.state,
        history,
        ...(examples.length > 0 ? { examples } : {}),
        ...(domain ? { domain: specOfDomain(domain) } : {}),
        ...(feedback.length > 0 ? { feedback } : {}),
      });
      output = await generateObject(env.models.toolSimulator, { purpose: "tool-simulation", schema: ToolSimulationOutputSchema, schemaName: "tool_result", signal: env.signal, seed: options.seed, ...request });
    } catch (error) {
      if (!(error instanceof ModelOutputError)) throw error;
      return unusableAnswer(options, tool, args, error.message, usage, latencyMs);
    }
    usage.inputTokens += output.usage.inputTokens;
    usage.outputTokens += output.usage.outputTokens;
    latencyMs += output.latencyMs;
    const review = reviewAnswer(tool, args, options, output.object);
    if (review.problems.length > 0 && attempt === 1) {
      feedback = review.problems;
      continue;
    }
    return acceptAnswer(options, tool, args, output.object, review.labels, usage, latencyMs);
  }
  throw new Error("unreachable: the tool simulation loop always returns");
}

/**
 * The tool simulator's prompt, rendered from its context alone: the tool, its domain and entities, the arguments,
 * the state, recent calls, recorded real answers, and what was wrong with a rejected answer.
 */
export function buildToolSimulationRequest(context: ToolSimulationContext): { messages: ChatMessage[]; context: ToolSimulationContext } {
  const { tool, domain, examples = [], feedback = [] } = context;
  const system = [
    `You are the tool "${tool.name}" of a live system${domain ? ` at ${domain.organization}` : ""}. You keep the system's state consistent: records live at state.entities.<entity>.<id>; what was created can be read back by its id; what was deleted is gone and answers not found; ids you create are new and unique.`,
    `An id that is not in the state is not found: answer with isError true and result {"error": "not_found", "message": ...}; never invent a record for it. Every record you return must be persisted through the state update: a record you create or change is set at its path. Use realistic values (real-looking names, dates, amounts, addresses, codes) and the values the call gives, never placeholders such as "string", "example", "N/A", "TBD" or "lorem". A pure function (a calculation that names no record) computes its answer from its arguments and needs no id.`,
    `Given the call, the current state and recent calls, return JSON {"result": <the tool's response${tool.outputSchema ? ", matching its output schema" : ""}>, "isError": <true when the call fails, with result {"error": code, "message": text}>, "stateUpdate": [{"op":"set"|"delete","path":[...],"value":...}]}.`,
    examples.length > 0 ? `Recorded answers of the real tool are given: answer in the same shape and style, and with the same answer when the arguments are the same.` : "",
  ].filter((line) => line !== "");
  const user = [
    ...(domain ? [`${describeDomain(domain)}\nThe domain in full: ${JSON.stringify(domain)}`] : []),
    `Tool spec: ${JSON.stringify(tool)}`,
    `Arguments: ${JSON.stringify(context.arguments)}`,
    `Current state: ${JSON.stringify(context.state)}`,
    `Recent calls: ${JSON.stringify(context.history)}`,
    ...(examples.length > 0 ? [`Recorded real calls of this tool: ${JSON.stringify(examples)}`] : []),
    ...(feedback.length > 0 ? [`\nYour previous result was rejected: ${feedback.join("; ")}. Answer again without these problems.`] : []),
  ];
  return {
    messages: [
      { role: "system", content: system.join(" ") },
      { role: "user", content: user.join("\n") },
    ],
    context,
  };
}

interface Review {
  problems: string[];
  labels: string[];
}

function reviewAnswer(tool: ToolRecord, args: JsonObject, options: ExecuteToolCallOptions, answer: ToolSimulationOutput): Review {
  const problems: string[] = [];
  const labels: string[] = [];
  const schema = !answer.isError && tool.outputSchema ? validateJsonSchema(tool.outputSchema, answer.result) : { valid: true, errors: [] };
  if (!schema.valid) {
    problems.push(`it does not match the output schema: ${schema.errors.join("; ")}`);
    labels.push("output_schema_mismatch");
  }
  const consistency = checkWorldConsistency({ args, state: options.state, result: answer.result, isError: answer.isError, stateUpdate: answer.stateUpdate, deletedIds: options.deletedIds ?? new Set() });
  if (consistency.length > 0) {
    problems.push(`it contradicts the world state: ${consistency.join("; ")}`);
    labels.push("state_inconsistent");
  }
  return { problems, labels };
}

function acceptAnswer(options: ExecuteToolCallOptions, tool: ToolRecord, args: JsonObject, answer: ToolSimulationOutput, labels: string[], usage: ToolExecution["usage"], latencyMs: number): ToolExecution {
  const { result, isError, stateUpdate } = answer;
  const applied = applyStateOperations(options.state, stateUpdate);
  return {
    content: JSON.stringify(result),
    step: {
      toolCallId: options.call.id,
      toolName: tool.name,
      toolId: tool.id,
      execution: "simulated",
      outcome: isError ? "tool_error" : "ok",
      ...(isError ? { error: errorText(result) } : {}),
      stateDiff: applied.applied,
    },
    state: applied.state,
    record: { tool: tool.name, arguments: args, result },
    usage,
    latencyMs,
    labels,
    simulated: true,
  };
}

function unusableAnswer(options: ExecuteToolCallOptions, tool: ToolRecord, args: JsonObject, reason: string, usage: ToolExecution["usage"], latencyMs: number): ToolExecution {
  const result = { error: "tool_unavailable", message: "The service did not return a usable response. Try again later." };
  return {
    content: JSON.stringify(result),
    step: { toolCallId: options.call.id, toolName: tool.name, toolId: tool.id, execution: "simulated", outcome: "tool_error", error: reason, stateDiff: [] },
    state: options.state,
    record: { tool: tool.name, arguments: args, result },
    usage,
    latencyMs,
    labels: ["tool_simulator_invalid_output"],
    simulated: true,
  };
}

function errorText(result: JsonValue): string {
  if (isObject(result)) {
    const message = result.message ?? result.error;
    if (typeof message === "string") return message;
  }
  return JSON.stringify(result).slice(0, 200);
}

import type { JsonObject, JsonValue } from "../domain/common.js";
import { specOfDomain } from "../domain/domain.js";
import { toToolSpec, type ToolRecord } from "../domain/tool.js";
import { applyStateOperations } from "../domain/world-state.js";
import { ModelOutputError } from "../errors/model-output-error.js";
import { generateObject } from "../model/generate.js";
import { ToolSimulationOutputSchema } from "../model/request-context.js";
import type { StageEnv } from "../model/stage-env.js";
import { validateJsonSchema } from "../support/json-schema.js";
import type { ExecuteToolCallOptions, ToolExecution } from "./tool-executor.js";

const HISTORY_WINDOW = 12;

/** Answer a valid call with the tool simulator: a world model that sees the spec, the arguments, the state and recent history. */
export async function simulateToolCall(env: StageEnv, options: ExecuteToolCallOptions, tool: ToolRecord, args: JsonObject): Promise<ToolExecution> {
  const history = options.history.slice(-HISTORY_WINDOW);
  const spec = toToolSpec(tool);
  const labels: string[] = [];
  const usage = { inputTokens: 0, outputTokens: 0 };
  let latencyMs = 0;
  let feedback: string | undefined;
  for (let attempt = 1; attempt <= 2; attempt++) {
    let output;
    try {
      output = await generateObject(env.models.toolSimulator, {
        purpose: "tool-simulation",
        schema: ToolSimulationOutputSchema,
        schemaName: "tool_result",
        signal: env.signal,
        seed: options.seed,
        messages: [
          {
            role: "system",
            content: `You are the tool "${tool.name}" of a live system. You keep the system's state consistent: what was created can be read back by id, what was deleted is gone, ids are unique. Given the call, the current state and recent calls, return JSON {"result": <the tool's response${tool.outputSchema ? ", matching its output schema" : ""}>, "isError": <true when the call fails, with result {"error": code, "message": text}>, "stateUpdate": [{"op":"set"|"delete","path":[...],"value":...}]}.`,
          },
          {
            role: "user",
            content: `Tool spec: ${JSON.stringify(spec)}\nArguments: ${JSON.stringify(args)}\nCurrent state: ${JSON.stringify(options.state)}\nRecent calls: ${JSON.stringify(history)}${feedback ? `\n\nYour previous result was rejected: ${feedback}` : ""}`,
          },
        ],
        context: { purpose: "tool-simulation", tool: spec, arguments: args, state: options.state, history, ...(options.domain ? { domain: specOfDomain(options.domain) } : {}) },
      });
    } catch (error) {
      if (!(error instanceof ModelOutputError)) throw error;
      const result = { error: "tool_unavailable", message: "The service did not return a usable response. Try again later." };
      return {
        content: JSON.stringify(result),
        step: { toolCallId: options.call.id, toolName: tool.name, toolId: tool.id, execution: "simulated", outcome: "tool_error", error: error.message, stateDiff: [] },
        state: options.state,
        record: { tool: tool.name, arguments: args, result },
        usage,
        latencyMs,
        labels: ["tool_simulator_invalid_output"],
        simulated: true,
      };
    }
    usage.inputTokens += output.usage.inputTokens;
    usage.outputTokens += output.usage.outputTokens;
    latencyMs += output.latencyMs;
    const { result, isError, stateUpdate } = output.object;
    const mismatch = !isError && tool.outputSchema ? validateJsonSchema(tool.outputSchema, result) : { valid: true, errors: [] };
    if (!mismatch.valid && attempt === 1) {
      feedback = `it does not match the output schema: ${mismatch.errors.join("; ")}`;
      continue;
    }
    if (!mismatch.valid) labels.push("output_schema_mismatch");
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
  throw new Error("unreachable: the tool simulation loop always returns");
}

function errorText(result: JsonValue): string {
  if (result && typeof result === "object" && !Array.isArray(result)) {
    const message = result.message ?? result.error;
    if (typeof message === "string") return message;
  }
  return JSON.stringify(result).slice(0, 200);
}

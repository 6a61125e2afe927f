import type { ModelRef } from "../../../domain/common.js";
import type { ToolCall } from "../../../domain/message.js";
import { throwIfAborted } from "../../../support/concurrency.js";
import { hashValue, seedFrom } from "../../../support/hash.js";
import { createRandom, type Random } from "../../../support/random.js";
import type { LanguageModel, ModelRequest, ModelResponse } from "../../language-model.js";
import type { RequestContext } from "../../request-context.js";
import { decideAgentTurn } from "./agent-policy.js";
import { generateAgent } from "./generator-agents.js";
import { evolveDomains } from "./generator-domains.js";
import { generateTasks } from "./generator-tasks.js";
import { synthesizeTools } from "./generator-tools.js";
import { judgeHeuristically } from "./judge-heuristic.js";
import { simulateTool } from "./tool-world.js";
import { simulateUserTurn } from "./user-simulator.js";

/*
 * The offline provider: a deterministic, seeded engine that plays every role (generator, agent, user
 * simulator, tool simulator, judge) from what each request carries, with no key and no network.
 * A request's randomness comes from the engine seed, the request seed, the purpose and a hash of the
 * request's content, so identical requests get identical answers whatever the order or concurrency.
 */

export const OFFLINE_MODEL_REF: ModelRef = { provider: "offline", model: "offline-engine-v1" };

export interface OfflineModelOptions {
  seed: number;
}

export function createOfflineModel(options: OfflineModelOptions): LanguageModel {
  return {
    ref: OFFLINE_MODEL_REF,
    async generate(request: ModelRequest): Promise<ModelResponse> {
      throwIfAborted(request.signal);
      const random = createRandom(computeRequestSeed(options.seed, request));
      if (request.purpose === "agent-turn") return answerAgentTurn(request, random);
      const content = JSON.stringify(answerStructured(request, random));
      return buildResponse(request, content, [], "stop");
    },
  };
}

export function computeRequestSeed(engineSeed: number, request: ModelRequest): number {
  const content = hashValue({ messages: request.messages, tools: request.tools ?? [], context: request.context ?? null, toolChoice: request.toolChoice ?? null });
  return seedFrom(engineSeed, request.seed ?? null, request.purpose, content);
}

function answerStructured(request: ModelRequest, random: Random): unknown {
  switch (request.purpose) {
    case "domain-evolution":
      return evolveDomains(requireContext(request, "domain-evolution"), random);
    case "tool-synthesis":
      return synthesizeTools(requireContext(request, "tool-synthesis"), random);
    case "agent-generation":
      return generateAgent(requireContext(request, "agent-generation"), random);
    case "task-generation":
      return generateTasks(requireContext(request, "task-generation"), random);
    case "user-turn":
      return simulateUserTurn(requireContext(request, "user-turn"), random);
    case "tool-simulation":
      return simulateTool(requireContext(request, "tool-simulation"), random);
    case "judge":
      return judgeHeuristically(requireContext(request, "judge"));
    case "agent-turn":
      throw new Error("offline model: agent-turn requests are not structured");
  }
}

/** The request's context for `purpose`; a missing or mismatched context is a programming error. */
export function requireContext<P extends RequestContext["purpose"]>(request: ModelRequest, purpose: P): Extract<RequestContext, { purpose: P }> {
  const context = request.context;
  if (!context) throw new Error(`offline model: a "${purpose}" request needs its structured context (request.context with purpose "${purpose}"), but none was sent`);
  if (context.purpose !== purpose) throw new Error(`offline model: a "${purpose}" request came with a "${context.purpose}" context`);
  return context as Extract<RequestContext, { purpose: P }>;
}

function answerAgentTurn(request: ModelRequest, random: Random): ModelResponse {
  const decision = decideAgentTurn(request, random.fork("policy"));
  if (decision.calls.length === 0) return buildResponse(request, decision.content ?? "", [], "stop");
  const taken = new Set(request.messages.flatMap((message) => (message.role === "assistant" ? (message.tool_calls ?? []).map((call) => call.id) : [])));
  const ids = random.fork("call-ids");
  const toolCalls: ToolCall[] = decision.calls.map((call) => ({
    id: nextCallId(ids, taken),
    type: "function",
    function: { name: call.name, arguments: JSON.stringify(call.args) },
  }));
  return buildResponse(request, decision.content, toolCalls, "tool_calls");
}

function nextCallId(random: Random, taken: Set<string>): string {
  for (;;) {
    const id = `call_${Array.from({ length: 12 }, () => random.int(0, 15).toString(16)).join("")}`;
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

function buildResponse(request: ModelRequest, content: string | null, toolCalls: ToolCall[], finishReason: ModelResponse["finishReason"]): ModelResponse {
  const input = JSON.stringify(request.messages).length + JSON.stringify(request.tools ?? []).length;
  const output = (content ?? "").length + toolCalls.reduce((sum, call) => sum + call.function.name.length + call.function.arguments.length, 0);
  return {
    content,
    toolCalls,
    finishReason,
    usage: { inputTokens: Math.ceil(input / 4), outputTokens: Math.ceil(output / 4) },
    model: OFFLINE_MODEL_REF,
    latencyMs: 0,
  };
}

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import type { JsonObject, JsonValue } from "../../../../src/domain/common.js";
import { TaxonomySchema, type DomainSpec, type Taxonomy } from "../../../../src/domain/domain.js";
import type { StateOperation } from "../../../../src/domain/episode.js";
import type { ChatMessage } from "../../../../src/domain/message.js";
import type { HiddenFact, TaskShape } from "../../../../src/domain/task.js";
import { toFunctionTool, type ToolWithEffect } from "../../../../src/domain/tool.js";
import { composeSystemPrompt } from "../../../../src/generate/generate-agents.js";
import { executeEffect, findEffectEntity } from "../../../../src/world/execute-effect.js";
import { generateObject } from "../../../../src/model/generate.js";
import type { LanguageModel, ModelPurpose, ModelRequest } from "../../../../src/model/language-model.js";
import {
  AgentGenerationOutputSchema,
  TaskGenerationOutputSchema,
  ToolSimulationOutputSchema,
  ToolSynthesisOutputSchema,
  UserTurnOutputSchema,
  type AgentGenerationOutput,
  type ConversationTurn,
  type RequestContext,
  type TaskDraft,
  type ToolCallRecord,
  type UserTurnContext,
} from "../../../../src/model/request-context.js";
import { isPrematureStop } from "../../../../src/simulate/user-turn-guard.js";

/** Shared set-up for the offline engine's tests: the taxonomy, typed requests and a small episode loop. */

export function loadTaxonomy(): Taxonomy {
  const path = fileURLToPath(new URL("../../../../fixtures/taxonomy.json", import.meta.url));
  return TaxonomySchema.parse(JSON.parse(readFileSync(path, "utf8")));
}

export function taxonomyDomains(): DomainSpec[] {
  return loadTaxonomy().categories.flatMap((category) => category.domains.map((domain) => ({ ...domain, category: category.name })));
}

export function findDomain(name: string): DomainSpec {
  const domain = taxonomyDomains().find((candidate) => candidate.name === name);
  if (!domain) throw new Error(`no domain ${name} in the taxonomy`);
  return domain;
}

/** Ask the model for a structured answer through the real stage helper, validated by the purpose's schema. */
export async function ask<S extends z.ZodType>(model: LanguageModel, purpose: ModelPurpose, schema: S, context: RequestContext, seed = 1): Promise<z.infer<S>> {
  const result = await generateObject(model, {
    purpose,
    schema,
    schemaName: purpose.replace(/-/g, "_"),
    seed,
    messages: [
      { role: "system", content: `You answer ${purpose} requests with JSON.` },
      { role: "user", content: JSON.stringify(context).slice(0, 4000) },
    ],
    context,
  });
  return result.object;
}

/** A structured request as a stage would send it (prompt text abbreviated; the engine reads the context). */
export function structuredRequest(context: RequestContext, seed = 1): ModelRequest {
  return {
    purpose: context.purpose,
    seed,
    messages: [
      { role: "system", content: `You answer ${context.purpose} requests with JSON.` },
      { role: "user", content: JSON.stringify(context).slice(0, 2000) },
    ],
    context,
  };
}

export interface Scenario {
  domain: DomainSpec;
  tools: ToolWithEffect[];
  /** The agent as the stage stores it: its system prompt ends with its rules. */
  agent: AgentGenerationOutput;
  tasks: TaskDraft[];
}

export async function buildScenario(model: LanguageModel, domain: DomainSpec, options: { toolCount: number; taskCount: number; seed?: number; shapes?: TaskShape[] }): Promise<Scenario> {
  const synthesized = await ask(model, "tool-synthesis", ToolSynthesisOutputSchema, { purpose: "tool-synthesis", domain, count: options.toolCount, existingToolNames: [] }, options.seed);
  const tools: ToolWithEffect[] = synthesized.tools;
  const written = await ask(model, "agent-generation", AgentGenerationOutputSchema, { purpose: "agent-generation", domain, tools }, options.seed);
  const agent = { ...written, systemPrompt: composeSystemPrompt(written.systemPrompt, written.rules) };
  const generated = await ask(
    model,
    "task-generation",
    TaskGenerationOutputSchema,
    { purpose: "task-generation", domain, agent: { name: agent.name, systemPrompt: agent.systemPrompt }, tools, count: options.taskCount, existingGoals: [], ...(options.shapes ? { shapes: options.shapes } : {}) },
    options.seed,
  );
  return { domain, tools, agent, tasks: generated.tasks };
}

export interface EpisodeResult {
  messages: ChatMessage[];
  state: JsonObject;
  userStopped: boolean;
  /** Stops right after a confirmation request that the guard (as the episode session has it) sent back. */
  prematureStops: number;
  calls: Array<{ name: string; args: JsonObject; result: JsonValue; isError: boolean }>;
}

/** A small episode loop: the engine plays the user, the agent and the tool simulator; a premature stop is sent back once, as the session's guard does. */
export interface EpisodeOptions {
  maxTurns?: number;
  seed?: number;
  /** Replace the answer to the n-th tool call (0-based) with a fault result, as the executor's fault injection does. */
  fault?: (callIndex: number) => JsonObject | undefined;
}

export async function runEpisode(model: LanguageModel, scenario: Scenario, task: TaskDraft, options: EpisodeOptions = {}): Promise<EpisodeResult> {
  const maxTurns = options.maxTurns ?? 8;
  const seed = options.seed ?? 3;
  const toolsByName = new Map(scenario.tools.map((tool) => [tool.name, tool]));
  const messages: ChatMessage[] = [{ role: "system", content: scenario.agent.systemPrompt }];
  const history: ToolCallRecord[] = [];
  const calls: EpisodeResult["calls"] = [];
  let state: JsonObject = structuredClone(task.initialState);
  let prematureStops = 0;
  for (let turn = 0; turn < maxTurns; turn++) {
    let user = await ask(model, "user-turn", UserTurnOutputSchema, userContext(task, messages, turn, maxTurns), seed + turn);
    if (isPrematureStop(messages, user)) {
      prematureStops++;
      user = await ask(model, "user-turn", UserTurnOutputSchema, { ...userContext(task, messages, turn, maxTurns), stopRejected: true }, seed + turn + 1000);
    }
    if (user.stop) return { messages, state, userStopped: true, calls, prematureStops };
    messages.push({ role: "user", content: user.message });
    for (let round = 0; round < 8; round++) {
      const response = await model.generate({
        purpose: "agent-turn",
        messages,
        tools: scenario.tools.map(toFunctionTool),
        toolChoice: "auto",
        parallelToolCalls: scenario.agent.behavior.parallelToolCalls,
        seed: seed * 100 + turn * 10 + round,
      });
      messages.push({ role: "assistant", content: response.content, ...(response.toolCalls.length ? { tool_calls: response.toolCalls } : {}) });
      if (response.toolCalls.length === 0) break;
      for (const call of response.toolCalls) {
        const tool = toolsByName.get(call.function.name);
        if (!tool) throw new Error(`the agent called an unknown tool ${call.function.name}`);
        const args = JSON.parse(call.function.arguments) as JsonObject;
        const fault = options.fault?.(calls.length);
        if (fault) {
          calls.push({ name: tool.name, args, result: fault, isError: true });
          messages.push({ role: "tool", tool_call_id: call.id, content: JSON.stringify(fault) });
          continue;
        }
        const simulated = tool.effect
          ? executeEffect({ tool: { ...tool, effect: tool.effect }, entity: findEffectEntity(tool.effect, scenario.domain.entities), state, arguments: args })
          : await ask(model, "tool-simulation", ToolSimulationOutputSchema, { purpose: "tool-simulation", tool, arguments: args, state, history, domain: scenario.domain }, seed);
        state = applyOperations(state, simulated.stateUpdate);
        history.push({ tool: tool.name, arguments: args, result: simulated.result });
        calls.push({ name: tool.name, args, result: simulated.result, isError: simulated.isError });
        messages.push({ role: "tool", tool_call_id: call.id, content: JSON.stringify(simulated.result) });
      }
    }
  }
  return { messages, state, userStopped: false, calls, prematureStops };
}

export function userContext(task: { goal: string; scenario?: string | undefined; persona: TaskDraft["persona"]; hiddenFacts: HiddenFact[] }, messages: readonly ChatMessage[], turn: number, maxTurns: number): UserTurnContext {
  const conversation: ConversationTurn[] = messages.flatMap((message): ConversationTurn[] => {
    if (message.role === "user") return [{ speaker: "user", text: message.content }];
    if (message.role === "assistant" && message.content) return [{ speaker: "agent", text: message.content }];
    return [];
  });
  return { purpose: "user-turn", scenario: task.scenario ?? `Why you are contacting the assistant: ${task.goal}`, persona: task.persona, hiddenFacts: task.hiddenFacts, conversation, turn, maxTurns };
}

/** Apply state operations to a copy (the test's own, so it depends only on the contract). */
export function applyOperations(state: JsonObject, operations: readonly StateOperation[]): JsonObject {
  const next = structuredClone(state);
  for (const operation of operations) {
    let node: JsonObject = next;
    for (const key of operation.path.slice(0, -1)) {
      const child = node[key];
      if (child === null || typeof child !== "object" || Array.isArray(child)) node[key] = {};
      node = node[key] as JsonObject;
    }
    const last = operation.path[operation.path.length - 1] as string;
    if (operation.op === "set") node[last] = structuredClone(operation.value);
    else delete node[last];
  }
  return next;
}

/** The conversation as lines for eyeballing. */
export function renderTranscript(messages: readonly ChatMessage[]): string {
  return messages
    .map((message) => {
      if (message.role === "system") return `SYSTEM: ${message.content}`;
      if (message.role === "user") return `USER: ${message.content}`;
      if (message.role === "tool") return `  TOOL[${message.tool_call_id}] → ${message.content}`;
      const calls = (message.tool_calls ?? []).map((call) => `  CALL ${call.function.name}(${call.function.arguments}) [${call.id}]`);
      return [message.content ? `ASSISTANT: ${message.content}` : undefined, ...calls].filter(Boolean).join("\n");
    })
    .join("\n");
}

/** Run actions on a state with the environment executor, as a blueprint's final state is computed. */
export function runActions(scenario: Scenario, actions: ReadonlyArray<{ tool: string; arguments: JsonObject }>, initialState: JsonObject): { state: JsonObject; writes: number; failure?: string } {
  let state = structuredClone(initialState);
  let writes = 0;
  for (const action of actions) {
    const tool = scenario.tools.find((candidate) => candidate.name === action.tool);
    if (!tool?.effect) return { state, writes, failure: `${action.tool} has no effect` };
    const answer = executeEffect({ tool: { ...tool, effect: tool.effect }, entity: findEffectEntity(tool.effect, scenario.domain.entities), state, arguments: action.arguments });
    if (answer.isError) return { state, writes, failure: `${action.tool}: ${JSON.stringify(answer.result)}` };
    if (answer.stateUpdate.length > 0) writes++;
    state = answer.state;
  }
  return { state, writes };
}

import type { AgentRecord } from "../domain/agent.js";
import { describeDomain, describeTools } from "../domain/describe.js";
import { specOfDomain, type DomainRecord } from "../domain/domain.js";
import type { ChatMessage } from "../domain/message.js";
import type { Rubric, RubricCriterion } from "../domain/rubric.js";
import type { TaskGateTally } from "../domain/run.js";
import type { TaskRecord, TaskShape } from "../domain/task.js";
import { toToolWithEffect, type ToolRecord } from "../domain/tool.js";
import type { TaskShapeMix } from "../domain/config.js";
import { generateObject } from "../model/generate.js";
import { TaskGenerationOutputSchema, type TaskDraft, type TaskGenerationContext, type ToolCallRecord } from "../model/request-context.js";
import { generatedRecordHeader, loseItem, type StageEnv } from "../model/stage-env.js";
import { mapConcurrent } from "../support/concurrency.js";
import { toBlueprintTools, type BlueprintTool } from "../world/blueprint.js";
import { gateTask } from "./task-gate.js";
import { assignShapes, dealShapes } from "./task-shapes.js";

/** Tasks asked for in one request: enough to see the variety, few enough to keep one answer manageable. */
const TASKS_PER_REQUEST = 6;

export interface GenerateTasksOptions {
  agents: readonly AgentRecord[];
  domains: readonly DomainRecord[];
  tools: readonly ToolRecord[];
  count: number;
  concurrency: number;
  /** The mix of task shapes (default: a spread over all nine). */
  shapes?: TaskShapeMix | undefined;
  /** Tasks already stored: their goals are shown to the generator, which writes different ones. */
  existingTasks?: readonly TaskRecord[] | undefined;
  /** Recorded answers of live (real) tools that relate to a toolset, so tasks can name things that exist. */
  liveExamples?: ((tools: readonly ToolRecord[]) => ToolCallRecord[]) | undefined;
}

export interface GeneratedTasks {
  tasks: TaskRecord[];
  /** What the gate before simulation did with the drafts. */
  gate: TaskGateTally;
}

/**
 * Split `count` tasks over the agents in proportion to their weights (the size of their toolsets: more tools,
 * more to test), the largest remainders rounding up, earlier agents first on ties.
 */
export function splitTaskCounts(count: number, weights: readonly number[]): number[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (total <= 0) return weights.map(() => 0);
  const shares = weights.map((weight) => (count * weight) / total);
  const counts = shares.map(Math.floor);
  const order = shares.map((share, index) => ({ index, rest: share - Math.floor(share) })).sort((a, b) => b.rest - a.rest || a.index - b.index);
  for (const { index } of order.slice(0, count - counts.reduce((sum, value) => sum + value, 0))) counts[index] = (counts[index] ?? 0) + 1;
  return counts;
}

/**
 * Tasks (goal, scenario, persona, hidden facts, initial world, blueprint, rubric) written by the generator model per
 * agent, each through the gate before simulation (its blueprint's final state computed by executing its actions).
 * The drafts that fail are asked for once more, told why; a rewrite that fails again is dropped.
 */
export async function generateTasks(env: StageEnv, options: GenerateTasksOptions): Promise<GeneratedTasks> {
  const counts = splitTaskCounts(options.count, options.agents.map((agent) => agent.toolIds.length));
  const shapes = dealShapes(assignShapes(options.shapes, options.count), counts);
  const toolsById = new Map(options.tools.map((tool) => [tool.id, tool]));
  const domainsById = new Map(options.domains.map((domain) => [domain.id, domain]));
  const gate: TaskGateTally = { checked: 0, passed: 0, regenerated: 0, dropped: 0, rejected: {} };
  let done = 0;
  const perAgent = await mapConcurrent(
    options.agents.map((agent, index) => ({ agent, count: counts[index] ?? 0, shapes: shapes[index] ?? [] })).filter((entry) => entry.count > 0),
    options.concurrency,
    async ({ agent, count, shapes: agentShapes }) => {
      const tools = agent.toolIds.map((id) => toolsById.get(id)).filter((tool): tool is ToolRecord => tool !== undefined);
      const domain = agent.domainId ? domainsById.get(agent.domainId) : undefined;
      if (!domain) throw new Error(`agent ${agent.id} has no known domain`);
      const liveExamples = options.liveExamples?.(tools) ?? [];
      const blueprintTools = toBlueprintTools(tools, options.domains);
      const related = agent.domainIds.filter((id) => id !== domain.id).flatMap((id) => domainsById.get(id) ?? []);
      const base: TaskGenerationContext = {
        purpose: "task-generation",
        domain: specOfDomain(domain),
        ...(related.length ? { relatedDomains: related.map(specOfDomain) } : {}),
        agent: { name: agent.name, systemPrompt: agent.systemPrompt },
        tools: tools.map(toToolWithEffect),
        count,
        existingGoals: (options.existingTasks ?? []).filter((task) => task.agentId === agent.id).map((task) => task.goal),
        ...(liveExamples.length ? { liveExamples } : {}),
      };
      const kept: TaskRecord[] = [];
      // In batches, each shown the goals written before it (stored ones and this run's).
      for (let start = 0; start < count; start += TASKS_PER_REQUEST) {
        const batch = agentShapes.slice(start, start + TASKS_PER_REQUEST);
        const context: TaskGenerationContext = { ...base, count: batch.length, shapes: batch, existingGoals: [...base.existingGoals, ...kept.map((task) => task.goal)] };
        // A batch whose request failed for good is lost (reported to env.onItemFailure); the next batch and the other agents' go on.
        const first = await writeGatedTasks(env, context, { agent, tools, blueprintTools, gate }).catch((error: unknown) => loseItem(env, `a batch of ${batch.length} tasks for ${agent.name}`, error));
        if (!first) continue;
        kept.push(...first.passed);
        if (first.failed.length > 0) {
          gate.regenerated += first.failed.length;
          const retry = await writeGatedTasks(
            env,
            { ...context, count: first.failed.length, shapes: first.failed.map((failure) => failure.shape), existingGoals: [...base.existingGoals, ...kept.map((task) => task.goal)], rejected: first.failed.map(({ goal, problems }) => ({ goal, problems })) },
            { agent, tools, blueprintTools, gate },
          ).catch((error: unknown) => loseItem(env, `the rewrite of ${first.failed.length} tasks for ${agent.name}`, error));
          gate.dropped += retry?.failed.length ?? first.failed.length;
          for (const failure of retry?.failed ?? []) env.onWarning?.(`task "${failure.goal.slice(0, 60)}" for ${agent.name} was dropped: it failed the gate twice (${failure.problems.join("; ")})`);
          kept.push(...(retry?.passed ?? []).slice(0, first.failed.length));
        }
      }
      env.onProgress?.({ done: (done += count), total: options.count, message: agent.name });
      return kept;
    },
    env.signal,
  );
  return { tasks: perAgent.flat(), gate };
}

/** Ask for `context.count` tasks and put each through the gate: the records that pass, and the drafts that fail with why. */
async function writeGatedTasks(
  env: StageEnv,
  context: TaskGenerationContext,
  parts: { agent: AgentRecord; tools: readonly ToolRecord[]; blueprintTools: readonly BlueprintTool[]; gate: TaskGateTally },
): Promise<{ passed: TaskRecord[]; failed: Array<{ goal: string; shape: TaskShape; problems: string[] }> }> {
  const request = buildTaskGenerationRequest(context);
  const result = await generateObject(env.models.generator, { purpose: "task-generation", schema: TaskGenerationOutputSchema, schemaName: "tasks", signal: env.signal, seed: env.seed, ...request });
  const passed: TaskRecord[] = [];
  const failed: Array<{ goal: string; shape: TaskShape; problems: string[] }> = [];
  for (const [index, written] of result.object.tasks.slice(0, context.count).entries()) {
    // The shape asked for, when the model did not say which it wrote.
    const requested = context.shapes?.[index];
    const draft: TaskDraft = written.shape || !requested ? written : { ...written, shape: requested };
    parts.gate.checked++;
    const gated = gateTask(draft, parts.blueprintTools);
    if (gated.verdict.passed && gated.blueprint) {
      parts.gate.passed++;
      passed.push({ ...toTaskRecord(env, parts.agent, parts.tools, draft, result.promptHash), blueprint: gated.blueprint });
      continue;
    }
    for (const problem of gated.verdict.problems) parts.gate.rejected[problem.reason] = (parts.gate.rejected[problem.reason] ?? 0) + 1;
    failed.push({ goal: draft.goal, shape: draft.shape ?? requested ?? "lookup", problems: gated.verdict.problems.map((problem) => `${problem.reason}: ${problem.detail}`) });
  }
  return { passed, failed };
}

const TASK_INSTRUCTIONS = [
  "You write evaluation tasks for tool-using assistants: conversations people actually bring, each checked by running its blueprint.",
  'Each task has: a one-line "goal" (a summary for graders); a "scenario" for the simulated user, in the second person, in labelled lines as tau2-bench writes them — "Why you are contacting <organisation>: You want to <first request>. Then you also want to <second request>." (a condition goes in the first sentence: "You want to X; but if <condition>, you want to Y instead."), "What you know: …", "What you don\'t know: …", "Constraints: …", "How to behave: …" (e.g. "When the assistant asks you to confirm, change your mind: you want to Z instead.", "If the assistant says it cannot do what you ask, ask once whether there is any way around it; then accept its answer and end the conversation.", "If the assistant finds more than one <record>, tell it which one you mean from what you know."); never put a fact\'s value in the scenario;',
  "the shape (one of the shapes below); a persona (name, style, expertise, language, patience); hidden facts the user knows and reveals only when asked (key = the tool parameter they fill, or what they describe, e.g. email); an initial world state {\"entities\": {\"<entity>\": {\"<id>\": {...}}}} holding the records the task is about, a few records of other people, and every record a hidden fact names;",
  'a blueprint {"actions": [{"tool", "arguments"}], "answerFacts": [...]}: the calls a correct assistant makes, in order, following its rules (look a record up before changing it, look it up again after when the rules say so), valid against the tools\' schemas and succeeding on the initial state (mind each tool\'s effect and its preconditions), and the values a correct final answer states (required for a look-up); the final state is computed by running the actions, do not write it;',
  "a rubric with at least one rule criterion (checks: tool_called, tool_not_called, call_order, args_valid, no_fabricated_ids, final_state, final_state_matches, no_call_after_stop, answer_mentions) and at least one llm criterion; a difficulty; and the expected tools.",
  "Shapes: lookup (one look-up; answerFacts are the values asked for); chained (the user lacks an id: a search result gives the id a later call uses); multi_intent (two requests in one conversation, the second after the first is done); conditional (a preference that depends on a record's value: \"if its total is over 100, cancel it instead\"); ambiguous (two of the user's records match: the assistant must ask which one); infeasible (the request is against one of the assistant's rules or impossible: the blueprint writes nothing and the rubric expects a refusal with the reason); no_tool (a question the rules answer, no tool fits: no actions); change_of_mind (the user changes their request mid-conversation: the blueprint does only the final one); parallel (independent look-ups of several records, done together).",
  "Answer with JSON only.",
].join(" ");

/** The task generation prompt, rendered from its context alone. */
export function buildTaskGenerationRequest(context: TaskGenerationContext): { messages: ChatMessage[]; context: TaskGenerationContext } {
  const related = context.relatedDomains ?? [];
  const relatedText = related.length ? `\n\nRelated domains the assistant also serves:\n${related.map((domain) => `${describeDomain(domain)}\nIn full: ${JSON.stringify(domain)}`).join("\n\n")}` : "";
  const liveText = context.liveExamples?.length
    ? `\n\nWhat the live tools answered when called (name things that exist here: real paths, names and ids):\n${context.liveExamples.map((example) => `- ${example.tool}(${JSON.stringify(example.arguments)}) → ${JSON.stringify(example.result).slice(0, 600)}`).join("\n")}`
    : "";
  const existingText = context.existingGoals.length ? `\n\nGoals already written for this assistant (write different ones):\n${context.existingGoals.map((goal) => `- ${goal}`).join("\n")}` : "";
  const rejectedText = context.rejected?.length
    ? `\n\nThese tasks were refused by the checks before simulation; write others that avoid their problems:\n${context.rejected.map((task) => `- "${task.goal}": ${task.problems.join("; ")}`).join("\n")}`
    : "";
  const shapesText = context.shapes?.length ? `, with these shapes in this order: ${context.shapes.join(", ")} (if the tools cannot support one, write another shape and say which)` : "";
  return {
    messages: [
      { role: "system", content: TASK_INSTRUCTIONS },
      {
        role: "user",
        content: `${describeDomain(context.domain)}\n\nThe domain in full:\n${JSON.stringify(context.domain)}${relatedText}\n\nAssistant: ${context.agent.name}\n${context.agent.systemPrompt}\n\nTools (with their effects on the records):\n${describeTools(context.tools)}${liveText}${existingText}${rejectedText}\n\nWrite ${context.count} different tasks${shapesText}. Return {"tasks": [...]}.`,
      },
    ],
    context,
  };
}

function toTaskRecord(env: StageEnv, agent: AgentRecord, tools: readonly ToolRecord[], draft: TaskDraft, promptHash: string): TaskRecord {
  const toolNames = new Set(tools.map((tool) => tool.name));
  return {
    ...generatedRecordHeader(env, "tsk", "generate:tasks", promptHash),
    kind: "task",
    agentId: agent.id,
    goal: draft.goal,
    ...(draft.scenario ? { scenario: draft.scenario } : {}),
    ...(draft.shape ? { shape: draft.shape } : {}),
    persona: draft.persona,
    hiddenFacts: draft.hiddenFacts,
    initialState: draft.initialState,
    difficulty: draft.difficulty,
    expectedTools: draft.expectedTools.filter((name) => toolNames.has(name)),
    rubric: completeRubric(draft.rubric, toolNames, (message) => env.onWarning?.(`task "${draft.goal.slice(0, 60)}": ${message}`)),
  };
}

/**
 * Keep only criteria that can be checked with this toolset, and make sure the rubric has at least one
 * rule criterion and one LLM criterion.
 */
export function completeRubric(rubric: Rubric, toolNames: ReadonlySet<string>, warn: (message: string) => void): Rubric {
  const criteria = rubric.criteria.filter((criterion) => {
    const unknown = referencedTools(criterion).filter((name) => !toolNames.has(name));
    if (unknown.length) warn(`dropped criterion ${criterion.id}: unknown tool ${unknown.join(", ")}`);
    return unknown.length === 0;
  });
  const ids = new Set(criteria.map((criterion) => criterion.id));
  if (!criteria.some((criterion) => criterion.kind === "rule")) {
    criteria.push({ id: uniqueId("args-valid", ids), kind: "rule", description: "Every tool call's arguments are valid against the tool's schema.", weight: 1, required: true, check: { type: "args_valid" } });
  }
  if (!criteria.some((criterion) => criterion.kind === "llm")) {
    criteria.push({ id: uniqueId("goal-achieved", ids), kind: "llm", description: "The assistant achieved the user's goal and told the user the outcome.", weight: 2, required: false });
  }
  return { ...rubric, criteria };
}

/** Tool names a rubric criterion refers to. */
export function referencedTools(criterion: RubricCriterion): string[] {
  if (criterion.kind !== "rule") return [];
  const check = criterion.check;
  if (check.type === "tool_called" || check.type === "tool_not_called") return [check.tool];
  if (check.type === "call_order") return check.tools;
  return [];
}

function uniqueId(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

import type { AgentRecord } from "../domain/agent.js";
import { describeDomain, describeTools } from "../domain/describe.js";
import { specOfDomain, type DomainRecord } from "../domain/domain.js";
import type { ChatMessage } from "../domain/message.js";
import type { Rubric, RubricCriterion } from "../domain/rubric.js";
import type { TaskGateTally } from "../domain/run.js";
import type { TaskRecord } from "../domain/task.js";
import { toToolSpec, type ToolRecord } from "../domain/tool.js";
import { generateObject } from "../model/generate.js";
import { TaskGenerationOutputSchema, type TaskDraft, type TaskGenerationContext, type ToolCallRecord } from "../model/request-context.js";
import { generatedRecordHeader, type StageEnv } from "../model/stage-env.js";
import { mapConcurrent } from "../support/concurrency.js";
import { toBlueprintTools, type BlueprintTool } from "../world/blueprint.js";
import { gateTask } from "./task-gate.js";

export interface GenerateTasksOptions {
  agents: readonly AgentRecord[];
  domains: readonly DomainRecord[];
  tools: readonly ToolRecord[];
  count: number;
  concurrency: number;
  /** Recorded answers of live (real) tools that relate to a toolset, so tasks can name things that exist. */
  liveExamples?: ((tools: readonly ToolRecord[]) => ToolCallRecord[]) | undefined;
}

export interface GeneratedTasks {
  tasks: TaskRecord[];
  /** What the gate before simulation did with the drafts. */
  gate: TaskGateTally;
}

/** Split `count` tasks over the agents as evenly as possible, earlier agents first. */
export function splitTaskCounts(count: number, agents: number): number[] {
  return Array.from({ length: agents }, (_, index) => Math.floor(count / agents) + (index < count % agents ? 1 : 0));
}

/**
 * Tasks (goal, scenario, persona, hidden facts, initial world, blueprint, rubric) written by the generator model per
 * agent, each through the gate before simulation (its blueprint's final state computed by executing its actions).
 * The drafts that fail are asked for once more, told why; a rewrite that fails again is dropped.
 */
export async function generateTasks(env: StageEnv, options: GenerateTasksOptions): Promise<GeneratedTasks> {
  const counts = splitTaskCounts(options.count, options.agents.length);
  const toolsById = new Map(options.tools.map((tool) => [tool.id, tool]));
  const domainsById = new Map(options.domains.map((domain) => [domain.id, domain]));
  const gate: TaskGateTally = { checked: 0, passed: 0, regenerated: 0, dropped: 0, rejected: {} };
  let done = 0;
  const perAgent = await mapConcurrent(
    options.agents.map((agent, index) => ({ agent, count: counts[index] ?? 0 })).filter((entry) => entry.count > 0),
    options.concurrency,
    async ({ agent, count }) => {
      const tools = agent.toolIds.map((id) => toolsById.get(id)).filter((tool): tool is ToolRecord => tool !== undefined);
      const domain = agent.domainId ? domainsById.get(agent.domainId) : undefined;
      if (!domain) throw new Error(`agent ${agent.id} has no known domain`);
      const liveExamples = options.liveExamples?.(tools) ?? [];
      const blueprintTools = toBlueprintTools(tools, options.domains);
      const base: TaskGenerationContext = { purpose: "task-generation", domain: specOfDomain(domain), agent: { name: agent.name, systemPrompt: agent.systemPrompt }, tools: tools.map(toToolSpec), count, existingGoals: [], ...(liveExamples.length ? { liveExamples } : {}) };
      const first = await writeGatedTasks(env, base, { agent, tools, blueprintTools, gate });
      const kept = [...first.passed];
      if (first.failed.length > 0) {
        gate.regenerated += first.failed.length;
        const retry = await writeGatedTasks(env, { ...base, count: first.failed.length, existingGoals: kept.map((task) => task.goal), rejected: first.failed }, { agent, tools, blueprintTools, gate });
        gate.dropped += retry.failed.length;
        for (const failure of retry.failed) env.onWarning?.(`task "${failure.goal.slice(0, 60)}" for ${agent.name} was dropped: it failed the gate twice (${failure.problems.join("; ")})`);
        kept.push(...retry.passed.slice(0, first.failed.length));
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
): Promise<{ passed: TaskRecord[]; failed: Array<{ goal: string; problems: string[] }> }> {
  const request = buildTaskGenerationRequest(context);
  const result = await generateObject(env.models.generator, { purpose: "task-generation", schema: TaskGenerationOutputSchema, schemaName: "tasks", signal: env.signal, seed: env.seed, ...request });
  const passed: TaskRecord[] = [];
  const failed: Array<{ goal: string; problems: string[] }> = [];
  for (const draft of result.object.tasks.slice(0, context.count)) {
    parts.gate.checked++;
    const gated = gateTask(draft, parts.blueprintTools);
    if (gated.verdict.passed && gated.blueprint) {
      parts.gate.passed++;
      passed.push({ ...toTaskRecord(env, parts.agent, parts.tools, draft, result.promptHash), blueprint: gated.blueprint });
      continue;
    }
    for (const problem of gated.verdict.problems) parts.gate.rejected[problem.reason] = (parts.gate.rejected[problem.reason] ?? 0) + 1;
    failed.push({ goal: draft.goal, problems: gated.verdict.problems.map((problem) => `${problem.reason}: ${problem.detail}`) });
  }
  return { passed, failed };
}

/** The task generation prompt, rendered from its context alone. */
export function buildTaskGenerationRequest(context: TaskGenerationContext): { messages: ChatMessage[]; context: TaskGenerationContext } {
  const liveText = context.liveExamples?.length
    ? `\n\nWhat the live tools answered when called (name things that exist here: real paths, names and ids):\n${context.liveExamples.map((example) => `- ${example.tool}(${JSON.stringify(example.arguments)}) → ${JSON.stringify(example.result).slice(0, 600)}`).join("\n")}`
    : "";
  const existingText = context.existingGoals.length ? `\n\nGoals already written for this assistant (write different ones):\n${context.existingGoals.map((goal) => `- ${goal}`).join("\n")}` : "";
  const rejectedText = context.rejected?.length
    ? `\n\nThese tasks were refused by the checks before simulation; write others that avoid their problems:\n${context.rejected.map((task) => `- "${task.goal}": ${task.problems.join("; ")}`).join("\n")}`
    : "";
  return {
    messages: [
      {
        role: "system",
        content:
          'You write evaluation tasks for tool-using assistants. Each task has: a goal in the user\'s own words that needs several of the tools; a persona (name, style, expertise, language, patience); hidden facts the user knows and reveals only when asked (key = the tool parameter they fill); an initial world state {"entities": {"<entity>": {"<id>": {...}}}} holding the records the task is about (every record a hidden fact names must be in it); a blueprint {"actions": [{"tool", "arguments"}], "answerFacts": [...]}: the calls a correct assistant makes, in order, valid against the tools\' schemas and succeeding on the initial state, and the values a correct final answer states (required for a look-up); a rubric with at least one rule criterion (checks: tool_called, tool_not_called, call_order, args_valid, no_fabricated_ids, final_state, final_state_matches, no_call_after_stop, answer_mentions) and at least one llm criterion; a difficulty; and the expected tools. Answer with JSON only.',
      },
      {
        role: "user",
        content: `${describeDomain(context.domain)}\n\nThe domain in full:\n${JSON.stringify(context.domain)}\n\nAssistant: ${context.agent.name}\n${context.agent.systemPrompt}\n\nTools:\n${describeTools(context.tools)}${liveText}${existingText}${rejectedText}\n\nWrite ${context.count} different tasks. Return {"tasks": [...]}.`,
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

import { AgentBehaviorSchema, type AgentBehavior, type AgentRecord } from "../domain/agent.js";
import { SCHEMA_VERSION } from "../domain/common.js";
import { DomainInputSchema, type DomainRecord, type DomainSpec } from "../domain/domain.js";
import { BlueprintDraftSchema, TaskInputSchema, TaskRecordSchema, type BlueprintDraft, type TaskGateVerdict, type TaskRecord } from "../domain/task.js";
import type { ToolRecord } from "../domain/tool.js";
import { formatIssues } from "../errors/format-issues.js";
import { InputError } from "../errors/input-error.js";
import { NotFoundError } from "../errors/not-found-error.js";
import { referencedTools } from "../generate/generate-tasks.js";
import { gateTask } from "../generate/task-gate.js";
import { toBlueprintTools } from "../world/blueprint.js";
import type { Store } from "../store/types.js";
import type { WorkspaceContext } from "./workspace-context.js";

export interface CreateAgentInput {
  name: string;
  systemPrompt: string;
  /** Tool ids or names from the registry. */
  tools: string[];
  /** The agent's domain; by default the domain all its tools share, if they share one. */
  domainId?: string | undefined;
  behavior?: Partial<AgentBehavior> | undefined;
}

/** A hand-authored agent: a system prompt and a toolset from the registry. */
export async function createAgent(context: WorkspaceContext, input: CreateAgentInput): Promise<AgentRecord> {
  const tools = await resolveTools(context.store, input.tools);
  if (input.domainId !== undefined && !(await context.store.domains.get(input.domainId))) throw new NotFoundError("domain", input.domainId);
  const domainIds = new Set(tools.map((tool) => tool.domainId));
  const inferred = domainIds.size === 1 ? [...domainIds][0] : undefined;
  const domainId = input.domainId ?? inferred;
  const behavior = AgentBehaviorSchema.safeParse(input.behavior ?? {});
  if (!behavior.success) throw new InputError("the agent's behavior is invalid:", formatIssues(behavior.error.issues).map((problem) => `behavior.${problem}`));
  const agent: AgentRecord = {
    id: context.ids.next("agt"),
    kind: "agent",
    createdAt: context.clock.now().toISOString(),
    schemaVersion: SCHEMA_VERSION,
    provenance: { source: "authored", models: {}, promptHashes: [] },
    name: input.name,
    ...(domainId ? { domainId } : {}),
    domainIds: [...domainIds].filter((id): id is string => id !== undefined),
    systemPrompt: input.systemPrompt,
    rules: [],
    toolIds: tools.map((tool) => tool.id),
    behavior: behavior.data,
  };
  await context.store.agents.put(agent);
  return agent;
}

/**
 * A domain from the user, outside the taxonomy (category, name, title, description, organisation, entities),
 * validated by the domain schema; tools can then be synthesized for it, or imported into it.
 */
export async function createDomain(context: WorkspaceContext, input: unknown): Promise<DomainRecord> {
  const spec = parseDomainSpec(input);
  const existing = await context.store.domains.all();
  const taken = existing.find((domain) => domain.name === spec.name);
  if (taken) throw new InputError(`there is a domain named "${spec.name}" already (${taken.id}: ${taken.title}); choose another name`);
  if (spec.parent !== undefined && !existing.some((domain) => domain.name === spec.parent)) {
    throw new InputError(`parent: there is no domain named "${spec.parent}"; name a stored domain, or leave parent out`);
  }
  const domain: DomainRecord = {
    id: context.ids.next("dom"),
    kind: "domain",
    createdAt: context.clock.now().toISOString(),
    schemaVersion: SCHEMA_VERSION,
    provenance: { source: "authored", models: {}, promptHashes: [] },
    ...spec,
  };
  await context.store.domains.put(domain);
  return domain;
}

/** A domain spec the user wrote, validated (unknown fields refused); an InputError lists every problem with its path. */
export function parseDomainSpec(input: unknown): DomainSpec {
  const parsed = DomainInputSchema.safeParse(input);
  if (!parsed.success) throw new InputError("the domain is invalid:", formatIssues(parsed.error.issues));
  return parsed.data;
}

/** The fields of a hand-authored task; defaults as in TaskSpecSchema (a blueprint gives its actions and answer facts only). */
export type CreateTaskInput = Record<string, unknown> & { agentId: string };

/** A stored task and the gate's verdict on it. */
export interface AuthoredTask {
  task: TaskRecord;
  gate: TaskGateVerdict;
}

/**
 * A hand-authored task (goal, scenario, persona, hidden facts, initial world, blueprint, rubric) for an agent. A
 * blueprint goes through the gate before simulation, its final state computed by executing its actions: a blueprint
 * that fails it is refused with every problem (nothing is stored). A task without a blueprint is stored, and the
 * verdict says its episodes cannot be verified.
 */
export async function createTask(context: WorkspaceContext, input: CreateTaskInput): Promise<AuthoredTask> {
  const parsed = TaskInputSchema.safeParse(input);
  if (!parsed.success) throw new InputError("the task is invalid:", formatIssues(parsed.error.issues));
  const { blueprint, ...spec } = parsed.data;
  const task: TaskRecord = {
    id: context.ids.next("tsk"),
    kind: "task",
    createdAt: context.clock.now().toISOString(),
    schemaVersion: SCHEMA_VERSION,
    provenance: { source: "authored", models: {}, promptHashes: [] },
    ...spec,
  };
  const authored = await gateAuthoredTask(context.store, task, blueprint);
  await context.store.tasks.put(authored.task);
  return authored;
}

/**
 * Change fields of a task (goal, scenario, persona, hidden facts, blueprint, rubric, …); what is not given stays.
 * The task goes through the gate again (its blueprint's final state recomputed); a change it refuses is not stored.
 */
export async function updateTask(context: WorkspaceContext, taskId: string, changes: Record<string, unknown>): Promise<AuthoredTask> {
  const current = await context.store.tasks.require(taskId);
  const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  if (Object.keys(defined).length === 0) throw new InputError("nothing to update: give at least one field to change (goal, scenario, shape, persona, hiddenFacts, blueprint, rubric, initialState, difficulty, expectedTools, agentId)");
  const { blueprint: changedBlueprint, ...rest } = defined;
  const blueprintInput = changedBlueprint ?? (current.blueprint ? { actions: current.blueprint.actions, answerFacts: current.blueprint.answerFacts } : undefined);
  const { blueprint: _stored, ...unchanged } = current;
  const parsed = TaskRecordSchema.safeParse({ ...unchanged, ...rest, id: current.id, kind: "task" });
  const blueprint = blueprintInput === undefined ? undefined : BlueprintDraftSchema.safeParse(blueprintInput);
  const issues = [...(parsed.success ? [] : formatIssues(parsed.error.issues)), ...(blueprint && !blueprint.success ? formatIssues(blueprint.error.issues).map((issue) => `blueprint.${issue}`) : [])];
  if (!parsed.success || (blueprint && !blueprint.success)) throw new InputError("the updated task is invalid:", issues);
  const authored = await gateAuthoredTask(context.store, parsed.data, blueprint?.data);
  await context.store.tasks.put(authored.task);
  return authored;
}

/** Check the task's tools, then put it through the gate: the task with its computed blueprint, or an InputError listing what fails. */
async function gateAuthoredTask(store: Store, task: TaskRecord, blueprint: BlueprintDraft | undefined): Promise<AuthoredTask> {
  const { tools, domains } = await checkTaskTools(store, task);
  const gated = gateTask({ ...task, blueprint }, toBlueprintTools(tools, domains));
  if (blueprint && !gated.verdict.passed) {
    throw new InputError("the task fails the gate before simulation (nothing was stored):", gated.verdict.problems.map((problem) => `${problem.reason}: ${problem.detail}`));
  }
  return { task: { ...task, ...(gated.blueprint ? { blueprint: gated.blueprint } : {}) }, gate: gated.verdict };
}

async function resolveTools(store: Store, references: readonly string[]): Promise<ToolRecord[]> {
  if (references.length === 0) throw new InputError("an agent needs at least one tool: give tool ids or names (see list_tools)");
  const all = await store.tools.all();
  const unknown: string[] = [];
  const tools: ToolRecord[] = [];
  for (const reference of references) {
    const tool = all.find((candidate) => candidate.id === reference) ?? all.find((candidate) => candidate.name === reference);
    if (!tool) unknown.push(reference);
    else if (!tools.includes(tool)) tools.push(tool);
  }
  if (unknown.length) throw new InputError(`no tool with these ids or names: ${unknown.join(", ")}; call list_tools to see the registry, or import_tools to add them`);
  return tools;
}

/** A task may only refer to tools its agent has: in expectedTools and in rubric criteria. Returns the agent's tools and their domains. */
async function checkTaskTools(store: Store, task: TaskRecord): Promise<{ tools: ToolRecord[]; domains: DomainRecord[] }> {
  const agent = await store.agents.require(task.agentId);
  const tools = (await Promise.all(agent.toolIds.map((id) => store.tools.get(id)))).filter((tool): tool is ToolRecord => tool !== undefined);
  const names = new Set(tools.map((tool) => tool.name));
  const problems = [
    ...task.expectedTools.filter((name) => !names.has(name)).map((name) => `expectedTools: "${name}" is not a tool of agent ${agent.id}`),
    ...task.rubric.criteria.flatMap((criterion) =>
      referencedTools(criterion)
        .filter((name) => !names.has(name))
        .map((name) => `rubric.criteria.${criterion.id}: "${name}" is not a tool of agent ${agent.id}`),
    ),
  ];
  if (problems.length) throw new InputError(`the task refers to tools its agent does not have (the agent's tools: ${[...names].join(", ")}):`, problems);
  const domainIds = new Set(tools.map((tool) => tool.domainId));
  return { tools, domains: await store.domains.find((domain) => domainIds.has(domain.id)) };
}

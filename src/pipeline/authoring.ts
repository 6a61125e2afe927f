import { AgentBehaviorSchema, type AgentBehavior, type AgentRecord } from "../domain/agent.js";
import { SCHEMA_VERSION } from "../domain/common.js";
import { DomainInputSchema, type DomainRecord, type DomainSpec } from "../domain/domain.js";
import { TaskRecordSchema, TaskSpecSchema, type TaskRecord } from "../domain/task.js";
import type { ToolRecord } from "../domain/tool.js";
import { formatIssues } from "../errors/format-issues.js";
import { InputError } from "../errors/input-error.js";
import { NotFoundError } from "../errors/not-found-error.js";
import { referencedTools } from "../generate/generate-tasks.js";
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

/** The fields of a hand-authored task; defaults as in TaskSpecSchema. */
export type CreateTaskInput = Record<string, unknown> & { agentId: string };

/** A hand-authored task (goal, persona, hidden facts, rubric) for an agent. */
export async function createTask(context: WorkspaceContext, input: CreateTaskInput): Promise<TaskRecord> {
  const parsed = TaskSpecSchema.safeParse(input);
  if (!parsed.success) throw new InputError("the task is invalid:", formatIssues(parsed.error.issues));
  const task: TaskRecord = {
    id: context.ids.next("tsk"),
    kind: "task",
    createdAt: context.clock.now().toISOString(),
    schemaVersion: SCHEMA_VERSION,
    provenance: { source: "authored", models: {}, promptHashes: [] },
    ...parsed.data,
  };
  await checkTaskTools(context.store, task);
  await context.store.tasks.put(task);
  return task;
}

/** Change fields of a task (goal, persona, hidden facts, rubric, …); what is not given stays. */
export async function updateTask(context: WorkspaceContext, taskId: string, changes: Record<string, unknown>): Promise<TaskRecord> {
  const current = await context.store.tasks.require(taskId);
  const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  if (Object.keys(defined).length === 0) throw new InputError("nothing to update: give at least one field to change (goal, persona, hiddenFacts, rubric, initialState, difficulty, expectedTools, agentId)");
  const parsed = TaskRecordSchema.safeParse({ ...current, ...defined, id: current.id, kind: "task" });
  if (!parsed.success) throw new InputError("the updated task is invalid:", formatIssues(parsed.error.issues));
  await checkTaskTools(context.store, parsed.data);
  await context.store.tasks.put(parsed.data);
  return parsed.data;
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

/** A task may only refer to tools its agent has: in expectedTools and in rubric criteria. */
async function checkTaskTools(store: Store, task: TaskRecord): Promise<void> {
  const agent = await store.agents.require(task.agentId);
  const tools = await Promise.all(agent.toolIds.map((id) => store.tools.get(id)));
  const names = new Set(tools.flatMap((tool) => (tool ? [tool.name] : [])));
  const problems = [
    ...task.expectedTools.filter((name) => !names.has(name)).map((name) => `expectedTools: "${name}" is not a tool of agent ${agent.id}`),
    ...task.rubric.criteria.flatMap((criterion) =>
      referencedTools(criterion)
        .filter((name) => !names.has(name))
        .map((name) => `rubric.criteria.${criterion.id}: "${name}" is not a tool of agent ${agent.id}`),
    ),
  ];
  if (problems.length) throw new InputError(`the task refers to tools its agent does not have (the agent's tools: ${[...names].join(", ")}):`, problems);
}

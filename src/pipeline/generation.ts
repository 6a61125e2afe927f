import type { AgentRecord } from "../domain/agent.js";
import type { DomainRecord } from "../domain/domain.js";
import { isUsableTool } from "../domain/tool.js";
import { InputError } from "../errors/input-error.js";
import { evolveDomains as evolveDomainsStage } from "../generate/evolve-domains.js";
import { generateAgents as generateAgentsStage } from "../generate/generate-agents.js";
import { generateTasks as generateTasksStage } from "../generate/generate-tasks.js";
import { synthesizeTools as synthesizeToolsStage } from "../registry/synthesize-tools.js";
import { loadTaxonomy } from "./load-config.js";
import { requireAll } from "./require-records.js";
import { summarizeAgent, summarizeDomain, summarizeTask, summarizeTool } from "./summaries.js";
import type { AgentSummary, DomainSummary, TaskSummary, ToolSummary } from "../domain/summaries.js";
import { runTracked } from "./tracked-run.js";
import { tallyToolChecks } from "./tool-checks.js";
import type { OperationOptions } from "./operation-options.js";
import { chooseSeed, describeRunContext, type WorkspaceContext } from "./workspace-context.js";

export interface GenerationResult<T> {
  runId: string;
  items: T[];
}

/** Add `count` domains: unused taxonomy domains first, then ones the generator evolves from them. */
export async function evolveDomains(context: WorkspaceContext, input: { count: number; seed?: number | undefined }, options: OperationOptions): Promise<GenerationResult<DomainSummary>> {
  const existing = await context.store.domains.all();
  const seed = chooseSeed(context, input.seed, "domains", existing.length);
  const taxonomy = await loadTaxonomy(context.config, context.configDirectory);
  return runTracked(describeRunContext(context, { stage: "domains", source: "workspace:evolve-domains", seed }, options), async (run) => {
    const domains = await evolveDomainsStage(run.env, { taxonomy, count: input.count, existing });
    await context.store.domains.putMany(domains);
    run.counts.domains = domains.length;
    options.onProgress?.({ done: domains.length, total: domains.length });
    return { runId: run.id, items: domains.map(summarizeDomain) };
  });
}

/** Grow domains into synthetic tools; by default every domain that has no tools yet. */
export async function synthesizeTools(
  context: WorkspaceContext,
  input: { domainIds?: string[] | undefined; perDomain?: number | undefined; seed?: number | undefined },
  options: OperationOptions,
): Promise<GenerationResult<ToolSummary>> {
  const tools = await context.store.tools.all();
  const domains = input.domainIds
    ? await requireAll(context.store.domains, "domain", input.domainIds)
    : await context.store.domains.find((domain) => !tools.some((tool) => tool.domainId === domain.id));
  if (domains.length === 0) throw new InputError("there is no domain to synthesize tools for: every domain has tools already; call evolve_domains first, or name domainIds explicitly");
  const seed = chooseSeed(context, input.seed, "tools", tools.length);
  return runTracked(describeRunContext(context, { stage: "tools", source: "workspace:synthesize-tools", seed }, options), async (run) => {
    const synthesis = await synthesizeToolsStage(run.env, {
      domains,
      perDomain: input.perDomain ?? context.config.tools.perDomain,
      concurrency: context.config.simulation.concurrency,
      existingToolNames: tools.map((tool) => tool.name),
    });
    const created = synthesis.tools;
    await context.store.tools.putMany(created);
    run.counts.tools = created.length;
    await run.save({ toolChecks: tallyToolChecks(synthesis) });
    return { runId: run.id, items: created.map(summarizeTool) };
  });
}

/** Agents with a generated system prompt over a toolset sampled from one domain's tools. */
export async function generateAgents(
  context: WorkspaceContext,
  input: { count: number; domainIds?: string[] | undefined; minTools?: number | undefined; maxTools?: number | undefined; seed?: number | undefined },
  options: OperationOptions,
): Promise<GenerationResult<AgentSummary>> {
  const domains = input.domainIds ? await requireAll(context.store.domains, "domain", input.domainIds) : await context.store.domains.all();
  const tools = await context.store.tools.all();
  const minTools = input.minTools ?? context.config.agents.minTools;
  const maxTools = input.maxTools ?? Math.max(minTools, context.config.agents.maxTools);
  if (minTools > maxTools) throw new InputError(`minTools (${minTools}) must not exceed maxTools (${maxTools})`);
  if (!domains.some((domain) => tools.some((tool) => tool.domainId === domain.id && isUsableTool(tool)))) {
    throw new InputError("no chosen domain has tools: call synthesize_tools (or import_tools with a domain) first");
  }
  const seed = chooseSeed(context, input.seed, "agents", await context.store.agents.count());
  return runTracked(describeRunContext(context, { stage: "agents", source: "workspace:generate-agents", seed }, options), async (run) => {
    const agents: AgentRecord[] = await generateAgentsStage(run.env, { domains, tools, count: input.count, minTools, maxTools, maxDomains: context.config.agents.maxDomains, concurrency: context.config.simulation.concurrency });
    await context.store.agents.putMany(agents);
    run.counts.agents = agents.length;
    return { runId: run.id, items: agents.map(summarizeAgent) };
  });
}

/** Tasks (goal, persona, hidden facts, initial world, rubric) for agents; by default for every agent that has a domain. */
export async function generateTasks(
  context: WorkspaceContext,
  input: { count: number; agentIds?: string[] | undefined; seed?: number | undefined },
  options: OperationOptions,
): Promise<GenerationResult<TaskSummary>> {
  const agents = input.agentIds ? await requireAll(context.store.agents, "agent", input.agentIds) : await context.store.agents.find((agent) => agent.domainId !== undefined);
  if (agents.length === 0) throw new InputError("there is no agent to write tasks for: call generate_agents or create_agent (with a domainId) first");
  const domains: DomainRecord[] = await context.store.domains.all();
  const withoutDomain = agents.filter((agent) => !domains.some((domain) => domain.id === agent.domainId));
  if (withoutDomain.length) {
    throw new InputError(`tasks are generated from an agent's domain, and these agents have none: ${withoutDomain.map((agent) => agent.id).join(", ")}; give them a domainId, or author their tasks with create_task`);
  }
  const seed = chooseSeed(context, input.seed, "tasks", await context.store.tasks.count());
  return runTracked(describeRunContext(context, { stage: "tasks", source: "workspace:generate-tasks", seed }, options), async (run) => {
    const agentIds = new Set(agents.map((agent) => agent.id));
    const existingTasks = await context.store.tasks.find((task) => agentIds.has(task.agentId));
    const { tasks, gate } = await generateTasksStage(run.env, {
      agents,
      domains,
      tools: await context.store.tools.all(),
      count: input.count,
      shapes: context.config.tasks.shapes,
      existingTasks,
      concurrency: context.config.simulation.concurrency,
    });
    await context.store.tasks.putMany(tasks);
    run.counts.tasks = tasks.length;
    await run.save({ taskGate: gate });
    return { runId: run.id, items: tasks.map(summarizeTask) };
  });
}

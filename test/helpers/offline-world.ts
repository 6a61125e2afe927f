import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { AgentRecord } from "../../src/domain/agent.js";
import { TaxonomySchema, type DomainRecord } from "../../src/domain/domain.js";
import type { TaskRecord } from "../../src/domain/task.js";
import type { ToolRecord } from "../../src/domain/tool.js";
import { evolveDomains } from "../../src/generate/evolve-domains.js";
import { generateAgents } from "../../src/generate/generate-agents.js";
import { generateTasks } from "../../src/generate/generate-tasks.js";
import type { StageEnv } from "../../src/model/stage-env.js";
import { synthesizeTools } from "../../src/registry/synthesize-tools.js";

export interface OfflineWorld {
  domains: DomainRecord[];
  tools: ToolRecord[];
  agents: AgentRecord[];
  tasks: TaskRecord[];
}

/** Domains from the built-in taxonomy, grown into tools, agents and tasks by the generator stages (offline engine in tests). */
export async function buildOfflineWorld(env: StageEnv, options: { domains: readonly string[]; toolsPerDomain?: number; tasks?: number }): Promise<OfflineWorld> {
  const path = fileURLToPath(new URL("../../fixtures/taxonomy.json", import.meta.url));
  const taxonomy = TaxonomySchema.parse(JSON.parse(readFileSync(path, "utf8")));
  const wanted = new Set(options.domains);
  const chosen = { ...taxonomy, categories: taxonomy.categories.map((category) => ({ ...category, domains: category.domains.filter((domain) => wanted.has(domain.name)) })).filter((category) => category.domains.length > 0) };
  const domains = await evolveDomains(env, { taxonomy: chosen, count: wanted.size });
  const { tools } = await synthesizeTools(env, { domains, perDomain: options.toolsPerDomain ?? 7, concurrency: 1 });
  const agents = await generateAgents(env, { domains, tools, count: domains.length, minTools: 5, maxTools: 8, concurrency: 1 });
  const { tasks } = await generateTasks(env, { agents, domains, tools, count: options.tasks ?? domains.length * 4, concurrency: 1 });
  return { domains, tools, agents, tasks };
}

/** What an episode of `task` needs from the world: its agent, the agent's tools and their domains. */
export function episodeParts(world: OfflineWorld, task: TaskRecord): { agent: AgentRecord; tools: ToolRecord[]; domains: DomainRecord[] } {
  const agent = world.agents.find((candidate) => candidate.id === task.agentId);
  if (!agent) throw new Error(`no agent ${task.agentId}`);
  const tools = world.tools.filter((tool) => agent.toolIds.includes(tool.id));
  return { agent, tools, domains: world.domains.filter((domain) => tools.some((tool) => tool.domainId === domain.id)) };
}

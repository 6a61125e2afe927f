import type { AgentRecord } from "../domain/agent.js";
import { describeDomain, describeTools } from "../domain/describe.js";
import { specOfDomain, type DomainRecord } from "../domain/domain.js";
import { isUsableTool, toToolSpec, type ToolRecord } from "../domain/tool.js";
import { generateObject } from "../model/generate.js";
import { AgentGenerationOutputSchema } from "../model/request-context.js";
import { generatedRecordHeader, loseItem, type StageEnv } from "../model/stage-env.js";
import { mapConcurrent } from "../support/concurrency.js";
import { createRandom } from "../support/random.js";

export interface GenerateAgentsOptions {
  domains: readonly DomainRecord[];
  tools: readonly ToolRecord[];
  count: number;
  minTools: number;
  maxTools: number;
  concurrency: number;
}

/** Choose each agent's domain (round-robin) and a toolset of related tools from it, in registry order. */
export function planToolsets(options: GenerateAgentsOptions, seed: number): Array<{ domain: DomainRecord; tools: ToolRecord[] }> {
  const usable = options.domains
    .map((domain) => ({ domain, tools: options.tools.filter((tool) => tool.domainId === domain.id && isUsableTool(tool)) }))
    .filter((entry) => entry.tools.length > 0);
  if (usable.length === 0) return [];
  return Array.from({ length: options.count }, (_, index) => {
    const entry = usable[index % usable.length] as (typeof usable)[number];
    const random = createRandom(seed).fork(`agent-toolset:${index}`);
    const size = Math.min(entry.tools.length, random.int(options.minTools, options.maxTools));
    const chosen = new Set(random.sample(entry.tools, size));
    return { domain: entry.domain, tools: entry.tools.filter((tool) => chosen.has(tool)) };
  });
}

/** Agents: a system prompt written by the generator model for a toolset of 3–8 related tools. */
export async function generateAgents(env: StageEnv, options: GenerateAgentsOptions): Promise<AgentRecord[]> {
  const plans = planToolsets(options, env.seed);
  if (plans.length < options.count) env.onWarning?.("no domain has tools: no agents were generated");
  let done = 0;
  const agents = await mapConcurrent(
    plans,
    options.concurrency,
    async ({ domain, tools }, index): Promise<AgentRecord | undefined> => {
      if (tools.length < options.minTools) env.onWarning?.(`domain ${domain.name} has only ${tools.length} tools; its agent gets all of them`);
      const result = await generateObject(env.models.generator, {
        purpose: "agent-generation",
        schema: AgentGenerationOutputSchema,
        schemaName: "agent",
        signal: env.signal,
        seed: env.seed,
        messages: [
          {
            role: "system",
            content:
              "You write system prompts for tool-using customer-facing AI assistants. A good prompt states the role and organisation, what the assistant can do with its tools, and its policies (verify ids, confirm before changes, never invent data, summarise results). Answer with JSON only.",
          },
          { role: "user", content: `${describeDomain(domain)}\n\nTools:\n${describeTools(tools)}\n\nWrite the assistant's name, system prompt and behaviour profile.` },
        ],
        context: { purpose: "agent-generation", domain: specOfDomain(domain), tools: tools.map(toToolSpec) },
      }).catch((error: unknown) => loseItem(env, `agent ${index + 1} of ${plans.length} (domain ${domain.name})`, error));
      if (!result) return undefined;
      env.onProgress?.({ done: ++done, total: plans.length, message: result.object.name });
      const agent: AgentRecord = {
        ...generatedRecordHeader(env, "agt", "generate:agents", result.promptHash),
        kind: "agent",
        name: result.object.name,
        domainId: domain.id,
        domainIds: [domain.id],
        systemPrompt: result.object.systemPrompt,
        rules: [],
        toolIds: tools.map((tool) => tool.id),
        behavior: result.object.behavior,
      };
      return agent;
    },
    env.signal,
  );
  // An agent whose request failed for good is left out (reported to env.onItemFailure); the others go on.
  return agents.filter((agent): agent is AgentRecord => agent !== undefined);
}

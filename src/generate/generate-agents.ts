import type { AgentRecord } from "../domain/agent.js";
import { describeDomain, describeTools } from "../domain/describe.js";
import { specOfDomain, type DomainRecord } from "../domain/domain.js";
import { isUsableTool, toToolWithEffect, type ToolRecord } from "../domain/tool.js";
import { generateObject } from "../model/generate.js";
import { AgentGenerationOutputSchema, type AgentGenerationContext } from "../model/request-context.js";
import { generatedRecordHeader, loseItem, type StageEnv } from "../model/stage-env.js";
import { mapConcurrent } from "../support/concurrency.js";
import { createRandom } from "../support/random.js";

export interface GenerateAgentsOptions {
  domains: readonly DomainRecord[];
  tools: readonly ToolRecord[];
  count: number;
  minTools: number;
  maxTools: number;
  /** How many related domains (one category) an agent may span (default 3). */
  maxDomains?: number | undefined;
  concurrency: number;
}

export interface ToolsetPlan {
  /** The agent's domains, its main one first. */
  domains: DomainRecord[];
  tools: ToolRecord[];
}

interface UsableDomain {
  domain: DomainRecord;
  tools: ToolRecord[];
}

/**
 * Groups of related domains an agent can span: synthetic domains of one category, at most `maxDomains` to a
 * group (a larger category is split evenly); a domain of real or imported tools stands alone, its category
 * being where the tools came from rather than what they are about. Groups keep the order of their first domain.
 */
export function groupRelatedDomains(usable: readonly UsableDomain[], maxDomains: number): UsableDomain[][] {
  const byCategory = new Map<string, UsableDomain[]>();
  const groups: UsableDomain[][] = [];
  for (const entry of usable) {
    if (!entry.tools.every((tool) => tool.source === "synthetic")) {
      groups.push([entry]);
      continue;
    }
    const members = byCategory.get(entry.domain.category);
    if (members) members.push(entry);
    else {
      const created = [entry];
      byCategory.set(entry.domain.category, created);
      groups.push(created);
    }
  }
  return groups.flatMap((group) => {
    const parts = Math.ceil(group.length / Math.max(1, maxDomains));
    return Array.from({ length: parts }, (_, part) => group.filter((_, index) => index % parts === part));
  });
}

/**
 * Each agent's domains (a group of related ones, round-robin) and a toolset from them: every tool when they
 * fit within `maxTools`, else a sample that keeps each domain's share and its look-ups, in registry order.
 */
export function planToolsets(options: GenerateAgentsOptions, seed: number): ToolsetPlan[] {
  const usable = options.domains
    .map((domain) => ({ domain, tools: options.tools.filter((tool) => tool.domainId === domain.id && isUsableTool(tool)) }))
    .filter((entry) => entry.tools.length > 0);
  const groups = groupRelatedDomains(usable, options.maxDomains ?? 3);
  if (groups.length === 0) return [];
  return Array.from({ length: options.count }, (_, index) => {
    const group = groups[index % groups.length] as UsableDomain[];
    const random = createRandom(seed).fork(`agent-toolset:${index}`);
    const available = group.reduce((sum, entry) => sum + entry.tools.length, 0);
    const size = Math.min(available, random.int(options.minTools, options.maxTools));
    const chosen = new Set<ToolRecord>();
    for (const entry of group) {
      const share = Math.max(1, Math.round((size * entry.tools.length) / available));
      // Look-ups first (a change needs its record looked up), then the rest in a seeded order.
      const reads = entry.tools.filter((tool) => tool.annotations?.readOnlyHint === true || tool.effect?.operation === "get" || tool.effect?.operation === "search");
      const others = random.shuffle(entry.tools.filter((tool) => !reads.includes(tool)));
      for (const tool of [...reads.slice(0, Math.max(1, Math.ceil(share / 2))), ...others].slice(0, share)) chosen.add(tool);
    }
    return { domains: group.map((entry) => entry.domain), tools: options.tools.filter((tool) => chosen.has(tool)) };
  });
}

const AGENT_INSTRUCTIONS = [
  "You write system prompts for tool-using customer-facing AI assistants. A good prompt states the role and organisation (and the related services it also handles), what the assistant can do with its tools, and how it works (verify before acting, never invent data, summarise results from the tool results).",
  "Also write the business rules of its domains, 5 to 10 of them, each one sentence a customer could be told: eligibility (when a change is allowed, e.g. only while a record is in some status), limits (amounts or quantities per request), identity checks (the email on the record must match), confirmation before changes, and when to hand over to a person. Name the tool a rule governs in parentheses, e.g. \"(cancel_order)\". Ground every rule in the tools and their effects (preconditions) shown; do not contradict them.",
  "Leave the rules out of the system prompt: they are appended to it as a numbered list. Answer with JSON only.",
].join(" ");

/** Agents: a system prompt and business rules written by the generator model for a toolset over 1–3 related domains. */
export async function generateAgents(env: StageEnv, options: GenerateAgentsOptions): Promise<AgentRecord[]> {
  const plans = planToolsets(options, env.seed);
  if (plans.length < options.count) env.onWarning?.("no domain has tools: no agents were generated");
  let done = 0;
  const agents = await mapConcurrent(
    plans,
    options.concurrency,
    async ({ domains, tools }, index): Promise<AgentRecord | undefined> => {
      const [main, ...related] = domains as [DomainRecord, ...DomainRecord[]];
      if (tools.length < options.minTools) env.onWarning?.(`${domains.map((domain) => domain.name).join(", ")} ha${domains.length > 1 ? "ve" : "s"} only ${tools.length} tools; the agent gets all of them`);
      const context: AgentGenerationContext = {
        purpose: "agent-generation",
        domain: specOfDomain(main),
        ...(related.length ? { relatedDomains: related.map(specOfDomain) } : {}),
        tools: tools.map(toToolWithEffect),
      };
      const result = await generateObject(env.models.generator, {
        purpose: "agent-generation",
        schema: AgentGenerationOutputSchema,
        schemaName: "agent",
        signal: env.signal,
        seed: env.seed,
        messages: [
          { role: "system", content: AGENT_INSTRUCTIONS },
          { role: "user", content: renderAgentRequest(context) },
        ],
        context,
      }).catch((error: unknown) => loseItem(env, `agent ${index + 1} of ${plans.length} (domain ${main.name})`, error));
      if (!result) return undefined;
      const rules = result.object.rules;
      if (rules.length < 5 || rules.length > 10) env.onWarning?.(`agent "${result.object.name}" has ${rules.length} business rules (5–10 were asked for)`);
      env.onProgress?.({ done: ++done, total: plans.length, message: result.object.name });
      const agent: AgentRecord = {
        ...generatedRecordHeader(env, "agt", "generate:agents", result.promptHash),
        kind: "agent",
        name: result.object.name,
        domainId: main.id,
        domainIds: domains.map((domain) => domain.id),
        systemPrompt: composeSystemPrompt(result.object.systemPrompt, rules),
        rules,
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

function renderAgentRequest(context: AgentGenerationContext): string {
  const related = context.relatedDomains ?? [];
  return [
    describeDomain(context.domain),
    ...related.map((domain) => `Related domain the assistant also serves:\n${describeDomain(domain)}`),
    `Tools:\n${describeTools(context.tools)}`,
    "Write the assistant's name, system prompt, business rules and behaviour profile.",
  ].join("\n\n");
}

/** The system prompt an agent runs with: the written prompt, then its rules as a numbered list. */
export function composeSystemPrompt(prompt: string, rules: readonly string[]): string {
  if (rules.length === 0) return prompt;
  return `${prompt.trim()}\n\nRules:\n${rules.map((rule, index) => `${index + 1}. ${rule}`).join("\n")}`;
}

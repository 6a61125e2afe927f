import type { AgentBehavior } from "../../../domain/agent.js";
import type { DomainSpec } from "../../../domain/domain.js";
import type { AgentGenerationContext, AgentGenerationOutput } from "../../request-context.js";
import type { Random } from "../../../support/random.js";
import { writeBusinessRules, type Audience } from "./business-rules.js";
import { readSchemaEnum } from "./schema-values.js";
import { analyzeTool, findStatusParam, isIdParam, type ToolAnatomy } from "./tool-anatomy.js";
import { readToolRoles } from "./tool-roles.js";
import { humanize, joinList, pickPhrase, pluralize, addArticle } from "./text.js";

/*
 * Agent generation: a name and a system prompt composed from the domains and the toolset (role,
 * organisation, what each tool is for, how to work), the business rules of its domains (written apart:
 * the stage appends them to the prompt), and a behaviour profile the prompt agrees with.
 */

const ROLE_WORDS = ["Assistant", "Helpdesk", "Concierge", "Support Agent", "Service Desk"];

export function generateAgent(context: AgentGenerationContext, random: Random): AgentGenerationOutput {
  const behavior: AgentBehavior = {
    confirmBeforeWrite: random.chance(0.9),
    verbosity: random.pick(["terse", "normal", "normal", "detailed"] as const),
    parallelToolCalls: random.chance(0.85),
  };
  const domains = [context.domain, ...(context.relatedDomains ?? [])];
  const topic = domains.length > 1 ? context.domain.category : pickTopicWords(context.domain);
  const words = [context.domain.organization.split(" ")[0] ?? "Service", ...topic.split(" "), random.pick(ROLE_WORDS)];
  // "Memory Workspace" and the topic "Memory" give "Memory Assistant", not "Memory Memory Assistant".
  const name = words.filter((word, index) => index === 0 || word.toLowerCase() !== words[index - 1]?.toLowerCase()).join(" ");
  const audience = pickAudience(domains);
  const rules = writeBusinessRules({ domains, roles: readToolRoles(context.tools, domains), confirmBeforeWrite: behavior.confirmBeforeWrite, audience, random: random.fork("rules") });
  const systemPrompt = composeSystemPrompt(domains, context.tools, name, behavior, audience, random);
  return { name, systemPrompt, rules, behavior };
}

function pickTopicWords(domain: DomainSpec): string {
  const title = domain.title.includes(":") ? (domain.title.split(":")[1] ?? domain.title) : domain.title;
  const words = title.replace(/&/g, " ").split(/\s+/).filter((word) => word.length > 0);
  return (words.length <= 2 ? words.slice(-1) : words.slice(-2)).join(" ");
}

function pickAudience(domains: readonly DomainSpec[]): Audience {
  return domains.every((domain) => /(it|devops|work|productivity)/i.test(domain.category) || /(warehouse|inventory|project|leave|incident)/.test(domain.name)) ? "staff" : "customers";
}

function composeSystemPrompt(domains: readonly DomainSpec[], tools: AgentGenerationContext["tools"], name: string, behavior: AgentBehavior, audience: Audience, random: Random): string {
  const [main, ...related] = domains as [DomainSpec, ...DomainSpec[]];
  const anatomies = tools.map(analyzeTool);
  const person = audience === "staff" ? "colleague" : "customer";
  const topics = joinList(domains.map((domain) => domain.title.toLowerCase()));
  const values = { name, org: main.organization, people: audience, person, topic: topics };
  const sentences = [
    pickPhrase(random, ["You are {name}, the assistant {org} uses for {topic}.", "You are {name} at {org}. You help {people} with {topic}.", "You work for {org} as {name}, handling {topic} for {people}."], values),
    `Context: ${main.description}`,
    ...related.map((domain) => `You also serve ${domain.organization} (${domain.title.toLowerCase()}): ${domain.description}`),
    `With your tools you can ${joinList(anatomies.map(describeCapability))}.`,
    pickPhrase(random, [
      "Never invent IDs, amounts, dates or email addresses: if something you need is missing, ask for it in one clear question.",
      "Do not guess identifiers or values. Ask the {person} for anything you are missing, one clear question at a time.",
    ], values),
    `If a tool returns an error, explain it plainly and either retry once or ask the ${person}; never claim a change that a tool did not confirm.`,
    behavior.parallelToolCalls ? "When you need several independent look-ups, run them in parallel." : "Call one tool at a time.",
    { terse: "Keep replies short and to the point.", normal: "Be friendly and clear.", detailed: "Explain what you did in detail, mentioning the relevant fields." }[behavior.verbosity],
    pickPhrase(random, [
      "Finish with one clear summary of what was done, quoting IDs and statuses from the tool results.",
      "End with a single summary of the outcome that quotes the IDs and statuses the tools returned.",
    ], values),
  ];
  return sentences.join(" ");
}

function describeCapability(anatomy: ToolAnatomy): string {
  const noun = humanize(anatomy.entityName);
  const plural = pluralize(noun);
  const tool = `(${anatomy.name})`;
  switch (anatomy.operation) {
    case "read":
      return anatomy.idParam ? `look up ${addArticle(noun)} by its ID ${tool}` : `look up ${plural} ${tool}`;
    case "search": {
      const filters = anatomy.params.filter((param) => param.name !== "limit" && !isIdParam(param)).map((param) => humanize(param.name));
      return filters.length ? `search ${plural} by ${joinList(filters, "or")} ${tool}` : `list or count ${plural} ${tool}`;
    }
    case "create":
      return `create new ${plural} ${tool}`;
    case "update": {
      const status = findStatusParam(anatomy);
      const values = status ? (readSchemaEnum(status.schema) ?? []).slice(0, 3).map(String) : [];
      return status ? `change ${addArticle(noun)}'s status, e.g. to ${joinList(values, "or")} ${tool}` : `edit the details of ${addArticle(noun)} ${tool}`;
    }
    case "delete":
      return `${anatomy.verb} ${plural} ${tool}`;
    case "action":
      return `${humanize(anatomy.actionWords.join("_") || anatomy.verb)} ${plural} ${tool}`;
  }
}

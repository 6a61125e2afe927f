import type { AgentBehavior } from "../../../domain/agent.js";
import type { DomainSpec } from "../../../domain/domain.js";
import type { ToolSpec } from "../../../domain/tool.js";
import type { AgentGenerationContext, AgentGenerationOutput } from "../../request-context.js";
import type { Random } from "../../../support/random.js";
import { readSchemaEnum } from "./schema-values.js";
import { analyzeTool, findStatusParam, isIdParam, type ToolAnatomy } from "./tool-anatomy.js";
import { humanize, joinList, pickPhrase, pluralize, addArticle } from "./text.js";

/*
 * Agent generation: a name and a system prompt composed from the domain and the toolset (role,
 * organisation, what each tool is for, policies), with a behaviour profile the prompt agrees with.
 */

const ROLE_WORDS = ["Assistant", "Helpdesk", "Concierge", "Support Agent", "Service Desk"];

export function generateAgent(context: AgentGenerationContext, random: Random): AgentGenerationOutput {
  const behavior: AgentBehavior = {
    confirmBeforeWrite: random.chance(0.85),
    verbosity: random.pick(["terse", "normal", "normal", "detailed"] as const),
    parallelToolCalls: random.chance(0.8),
  };
  const words = [context.domain.organization.split(" ")[0] ?? "Service", ...pickTopicWords(context.domain).split(" "), random.pick(ROLE_WORDS)];
  // "Memory Workspace" and the topic "Memory" give "Memory Assistant", not "Memory Memory Assistant".
  const name = words.filter((word, index) => index === 0 || word.toLowerCase() !== words[index - 1]?.toLowerCase()).join(" ");
  const systemPrompt = composeSystemPrompt(context.domain, context.tools, name, behavior, random);
  return { name, systemPrompt, behavior };
}

function pickTopicWords(domain: DomainSpec): string {
  const title = domain.title.includes(":") ? (domain.title.split(":")[1] ?? domain.title) : domain.title;
  const words = title.replace(/&/g, " ").split(/\s+/).filter((word) => word.length > 0);
  return (words.length <= 2 ? words.slice(-1) : words.slice(-2)).join(" ");
}

function pickAudience(domain: DomainSpec): string {
  return /(it|devops|work|productivity)/i.test(domain.category) || /(warehouse|inventory|project|leave|incident)/.test(domain.name) ? "staff" : "customers";
}

function composeSystemPrompt(domain: DomainSpec, tools: readonly ToolSpec[], name: string, behavior: AgentBehavior, random: Random): string {
  const anatomies = tools.map(analyzeTool);
  const people = pickAudience(domain);
  const person = people === "staff" ? "colleague" : "customer";
  const mainNoun = humanize(anatomies.find((anatomy) => anatomy.idParam)?.entityName ?? domain.entities[0]?.name ?? "record");
  const values = { name, org: domain.organization, people, person, topic: domain.title.toLowerCase(), noun: mainNoun, description: domain.description.replace(/\.$/, "").toLowerCase() };
  const sentences = [
    pickPhrase(random, ["You are {name}, the assistant {org} uses for {topic}.", "You are {name} at {org}. You help {people} with {topic}.", "You work for {org} as {name}, handling {topic} for {people}."], values),
    `Context: ${domain.description}`,
    `With your tools you can ${joinList(anatomies.map(describeCapability))}.`,
    pickPhrase(random, [
      "Before changing anything, make sure you have the right {noun} ID from the {person} and look the record up first.",
      "Always verify the {noun} ID with the {person} and read the current record before you act on it.",
    ], values),
    behavior.confirmBeforeWrite
      ? pickPhrase(random, [
          "Confirm with the {person} before you create, change or cancel anything, and go ahead only after a clear yes.",
          "Every write or destructive action needs the {person}'s explicit confirmation first: say exactly what you will do and wait for a yes.",
        ], values)
      : "You may carry out a requested change as soon as you have the details it needs; no extra confirmation step is required.",
    pickPhrase(random, [
      "Never invent IDs, amounts, dates or email addresses: if something you need is missing, ask for it in one clear question.",
      "Do not guess identifiers or values. Ask the {person} for anything you are missing, one clear question at a time.",
    ], values),
    "If a tool returns an error, explain it plainly and either retry once with corrected details or ask the " + person + ".",
    behavior.parallelToolCalls ? "When you need several independent look-ups, run them in parallel." : "Call one tool at a time.",
    {
      terse: "Keep replies short and to the point.",
      normal: "Be friendly and clear.",
      detailed: "Explain what you did in detail, mentioning the relevant fields.",
    }[behavior.verbosity],
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

import type { DomainSpec } from "./domain.js";
import type { ToolSpec } from "./tool.js";

/** Compact, readable renderings that prompts share. */
export function describeDomain(domain: DomainSpec): string {
  const entities = domain.entities
    .map((entity) => `- ${entity.name} (ids like ${entity.idPrefix}-10042): ${entity.description}; fields: ${entity.fields.map((f) => f.name).join(", ")}${entity.actions.length ? `; actions: ${entity.actions.join(", ")}` : ""}`)
    .join("\n");
  return `Domain: ${domain.title} (${domain.category}) at ${domain.organization}\n${domain.description}\nEntities:\n${entities}`;
}

export function describeTools(tools: readonly ToolSpec[]): string {
  return tools.map((tool) => `- ${tool.name}: ${tool.description}\n  parameters: ${JSON.stringify(tool.inputSchema)}`).join("\n");
}

import type { DomainSpec } from "./domain.js";
import type { ToolEffect } from "./effect.js";
import type { ToolWithEffect } from "./tool.js";

/** Compact, readable renderings that prompts share. */
export function describeDomain(domain: DomainSpec): string {
  const entities = domain.entities
    .map((entity) => `- ${entity.name} (ids like ${entity.idPrefix}-10042): ${entity.description}; fields: ${entity.fields.map((f) => f.name).join(", ")}${entity.actions.length ? `; actions: ${entity.actions.join(", ")}` : ""}`)
    .join("\n");
  return `Domain: ${domain.title} (${domain.category}) at ${domain.organization}\n${domain.description}\nEntities:\n${entities}`;
}

/** Each tool's name, description and parameters, and its declared effect when it has one. */
export function describeTools(tools: readonly ToolWithEffect[]): string {
  return tools.map((tool) => `- ${tool.name}: ${tool.description}\n  parameters: ${JSON.stringify(tool.inputSchema)}${tool.effect ? `\n  effect: ${describeEffect(tool.effect)}` : ""}`).join("\n");
}

/** "transition booking (booking_id selects id): status → cancelled; only while status is confirmed or changed, else not_cancellable". */
export function describeEffect(effect: ToolEffect): string {
  const parts = [`${effect.operation}${effect.entity ? ` ${effect.entity}` : ""}`];
  if (effect.select.length) parts.push(`selected by ${effect.select.map((selector) => `${selector.parameter} (${selector.match} ${selector.field})`).join(", ")}`);
  if (effect.set.length) parts.push(`sets ${effect.set.map((assignment) => `${assignment.field} from ${assignment.parameter}`).join(", ")}`);
  if (effect.transition) parts.push(`moves ${effect.transition.field} to ${JSON.stringify(effect.transition.to)}`);
  for (const condition of effect.preconditions) parts.push(`only while ${condition.field} is ${condition.oneOf.map((value) => JSON.stringify(value)).join(" or ")} (else error ${condition.error})`);
  if (effect.compute) parts.push(`computes ${effect.compute.kind === "formula" ? `${effect.compute.result} = ${effect.compute.expression}` : effect.compute.kind === "sum" ? `the sum of ${effect.compute.field}` : "a count"}`);
  if (effect.errors.length) parts.push(`errors: ${effect.errors.map((error) => error.code).join(", ")}`);
  return parts.join("; ");
}

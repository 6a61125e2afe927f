import { specOfDomain, type DomainRecord } from "../domain/domain.js";
import type { ChatMessage } from "../domain/message.js";
import type { ToolRecord } from "../domain/tool.js";
import { generateObject } from "../model/generate.js";
import { ToolSynthesisOutputSchema, type ToolSynthesisContext, type ToolSynthesisOutput } from "../model/request-context.js";
import { generatedRecordHeader, type StageEnv } from "../model/stage-env.js";
import { mapConcurrent } from "../support/concurrency.js";
import { compileJsonSchema } from "../support/json-schema.js";
import { checkEffect } from "../world/check-effect.js";
import { auditTool } from "../world/tool-audit.js";
import { assignUniqueNames } from "./tool-names.js";
import { describeDomain } from "../domain/describe.js";

type SynthesizedTool = ToolSynthesisOutput["tools"][number];

/** Why a synthesized tool was not kept. */
export const TOOL_REJECTION_REASONS = ["invalid_schema", "input_not_object", "missing_effect", "effect_mismatch"] as const;
export type ToolRejectionReason = (typeof TOOL_REJECTION_REASONS)[number];

export interface RejectedTool {
  domain: string;
  name: string;
  reason: ToolRejectionReason;
  detail: string;
}

export interface SynthesizedTools {
  tools: ToolRecord[];
  rejected: RejectedTool[];
}

const EFFECT_FORMAT =
  'Every tool declares its "effect": what it does to the domain\'s entities, which a deterministic executor runs against the world state (state.entities.<entity>.<id>) instead of a model. The effect is {"entity": an entity name below, "operation": "get" | "list" | "search" | "create" | "update" | "transition" | "delete" | "compute", "select": [{"parameter", "field", "match": "equals" | "contains" | "min" | "max"}] (the parameters that select records; get, update, transition and delete select by the id parameter with field "id"), "set": [{"parameter", "field"}] (the parameters a create or update writes into fields), "transition": {"field", "to"} (the value a transition moves the field to; on a create, the starting value), "preconditions": [{"field", "oneOf": [allowed values], "error": code}] (e.g. an order is cancelled only while its status is pending), "errors": [{"code", "message" ({id} and {field} are filled in), "when": "not_found" | "precondition" | "conflict" | "invalid"}], "compute": {"kind": "count"} | {"kind": "sum", "field"} | {"kind": "formula", "expression": arithmetic over numeric parameters such as "2 * pi * radius", "result": the output field}}. Use only the entities, fields and parameters that exist; a tool that changes nothing and reads nothing is not worth having.';

/** The tool synthesis prompt, rendered from its context alone. */
export function buildToolSynthesisRequest(context: ToolSynthesisContext): { messages: ChatMessage[]; context: ToolSynthesisContext } {
  const taken = context.existingToolNames.length ? `\n\nNames already taken (choose others): ${context.existingToolNames.join(", ")}` : "";
  return {
    messages: [
      {
        role: "system",
        content: `You design realistic APIs for tool-using AI assistants. Each tool has a snake_case name, a one- or two-sentence description, a JSON Schema for its input (type object, properties with descriptions, required, additionalProperties false), a JSON Schema for its output, and MCP annotations (readOnlyHint, destructiveHint, idempotentHint). ${EFFECT_FORMAT} Answer with JSON only.`,
      },
      {
        role: "user",
        content: `${describeDomain(context.domain)}\n\nThe domain in full (entities with their fields' JSON Schemas and examples):\n${JSON.stringify(context.domain)}${taken}\n\nDesign ${context.count} tools for this domain that an assistant could chain (look-ups before changes), each with its effect. Return {"tools": [...]}.`,
      },
    ],
    context,
  };
}

/**
 * Grow each domain into `perDomain` synthetic tools with the generator model. A tool whose schemas do not
 * compile, or whose effect is missing or does not fit the domain's entities, is rejected with the reason (a
 * warning each, and the list in the result); names are made unique across all domains, in domain order. Every
 * kept tool is audited on a sample state: its record carries the audit, and one that fails is stored but not
 * given to agents.
 */
export async function synthesizeTools(
  env: StageEnv,
  options: { domains: readonly DomainRecord[]; perDomain: number; concurrency: number; existingToolNames?: readonly string[] },
): Promise<SynthesizedTools> {
  let done = 0;
  const rejected: RejectedTool[] = [];
  const perDomain = await mapConcurrent(
    options.domains,
    options.concurrency,
    async (domain) => {
      const request = buildToolSynthesisRequest({ purpose: "tool-synthesis", domain: specOfDomain(domain), count: options.perDomain, existingToolNames: [...(options.existingToolNames ?? [])] });
      const result = await generateObject(env.models.generator, { purpose: "tool-synthesis", schema: ToolSynthesisOutputSchema, schemaName: "tool_synthesis", signal: env.signal, seed: env.seed, ...request });
      env.onProgress?.({ done: ++done, total: options.domains.length, message: domain.name });
      const kept = result.object.tools.filter((tool) => {
        const problem = findToolProblem(domain, tool);
        if (!problem) return true;
        rejected.push({ domain: domain.name, name: tool.name, ...problem });
        env.onWarning?.(`dropped tool ${tool.name} of ${domain.name}: ${problem.detail}`);
        return false;
      });
      return { domain, tools: kept.slice(0, options.perDomain), promptHash: result.promptHash };
    },
    env.signal,
  );

  const all = perDomain.flatMap(({ domain, tools, promptHash }) => tools.map((tool) => ({ domain, tool, promptHash })));
  const names = assignUniqueNames(all.map(({ tool }) => tool.name), options.existingToolNames);
  const tools = all.map(({ domain, tool, promptHash }, index): ToolRecord => ({
    ...generatedRecordHeader(env, "tool", "generate:tool-synthesis", promptHash),
    kind: "tool",
    name: names[index] as string,
    description: tool.description,
    inputSchema: tool.inputSchema,
    outputSchema: tool.outputSchema,
    annotations: tool.annotations,
    source: "synthetic",
    domainId: domain.id,
    ...(tool.effect ? { effect: tool.effect, audit: auditTool({ ...tool, effect: tool.effect }, domain.entities) } : {}),
    origin: { originalName: tool.name },
    stale: false,
  }));
  for (const tool of tools) if (tool.audit && !tool.audit.passed) env.onWarning?.(`tool ${tool.name} failed its audit and is not given to agents: ${tool.audit.checks.filter((check) => !check.passed).map((check) => `${check.check}: ${check.detail}`).join("; ")}`);
  return { tools, rejected };
}

/** Why a synthesized tool cannot be kept, or undefined when it can. */
function findToolProblem(domain: DomainRecord, tool: SynthesizedTool): { reason: RejectedTool["reason"]; detail: string } | undefined {
  for (const [label, schema] of [["input", tool.inputSchema], ["output", tool.outputSchema]] as const) {
    try {
      compileJsonSchema(schema);
    } catch (error) {
      return { reason: "invalid_schema", detail: `its ${label} schema is invalid (${(error as Error).message})` };
    }
  }
  if (tool.inputSchema.type !== "object") return { reason: "input_not_object", detail: "its input schema is not of type object" };
  if (!tool.effect) return { reason: "missing_effect", detail: "it declares no effect on the domain's entities" };
  const problems = checkEffect(tool.effect, tool, domain.entities);
  if (problems.length) return { reason: "effect_mismatch", detail: `its effect does not fit the domain: ${problems.join("; ")}` };
  return undefined;
}

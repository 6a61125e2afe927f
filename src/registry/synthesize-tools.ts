import { specOfDomain, type DomainRecord } from "../domain/domain.js";
import type { ToolRecord } from "../domain/tool.js";
import { generateObject } from "../model/generate.js";
import { ToolSynthesisOutputSchema, type ToolSynthesisOutput } from "../model/request-context.js";
import { generatedRecordHeader, type StageEnv } from "../model/stage-env.js";
import { mapConcurrent } from "../support/concurrency.js";
import { compileJsonSchema } from "../support/json-schema.js";
import { assignUniqueNames } from "./tool-names.js";
import { describeDomain } from "../domain/describe.js";

type SynthesizedTool = ToolSynthesisOutput["tools"][number];

/**
 * Grow each domain into `perDomain` synthetic tools with the generator model. Tools whose schemas do not
 * compile are dropped with a warning; names are made unique across all domains, in domain order.
 */
export async function synthesizeTools(
  env: StageEnv,
  options: { domains: readonly DomainRecord[]; perDomain: number; concurrency: number; existingToolNames?: readonly string[] },
): Promise<ToolRecord[]> {
  let done = 0;
  const perDomain = await mapConcurrent(
    options.domains,
    options.concurrency,
    async (domain) => {
      const result = await generateObject(env.models.generator, {
        purpose: "tool-synthesis",
        schema: ToolSynthesisOutputSchema,
        schemaName: "tool_synthesis",
        signal: env.signal,
        seed: env.seed,
        messages: [
          {
            role: "system",
            content:
              "You design realistic APIs for tool-using AI assistants. Each tool has a snake_case name, a one- or two-sentence description, a JSON Schema for its input (type object, properties with descriptions, required, additionalProperties false), a JSON Schema for its output, and MCP annotations (readOnlyHint, destructiveHint, idempotentHint). Answer with JSON only.",
          },
          {
            role: "user",
            content: `${describeDomain(domain)}\n\nDesign ${options.perDomain} tools for this domain that an assistant could chain (look-ups before changes). Return {"tools": [...]}.`,
          },
        ],
        context: { purpose: "tool-synthesis", domain: specOfDomain(domain), count: options.perDomain, existingToolNames: [...(options.existingToolNames ?? [])] },
      });
      env.onProgress?.({ done: ++done, total: options.domains.length, message: domain.name });
      return { domain, tools: keepValidTools(env, domain, result.object.tools).slice(0, options.perDomain), promptHash: result.promptHash };
    },
    env.signal,
  );

  const all = perDomain.flatMap(({ domain, tools, promptHash }) => tools.map((tool) => ({ domain, tool, promptHash })));
  const names = assignUniqueNames(all.map(({ tool }) => tool.name), options.existingToolNames);
  return all.map(({ domain, tool, promptHash }, index) => ({
    ...generatedRecordHeader(env, "tool", "generate:tool-synthesis", promptHash),
    kind: "tool",
    name: names[index] as string,
    description: tool.description,
    inputSchema: tool.inputSchema,
    outputSchema: tool.outputSchema,
    annotations: tool.annotations,
    source: "synthetic",
    domainId: domain.id,
    origin: { originalName: tool.name },
    stale: false,
  }));
}

function keepValidTools(env: StageEnv, domain: DomainRecord, tools: SynthesizedTool[]): SynthesizedTool[] {
  return tools.filter((tool) => {
    for (const [label, schema] of [["input", tool.inputSchema], ["output", tool.outputSchema]] as const) {
      try {
        compileJsonSchema(schema);
      } catch (error) {
        env.onWarning?.(`dropped tool ${tool.name} of ${domain.name}: its ${label} schema is invalid (${(error as Error).message})`);
        return false;
      }
    }
    if (tool.inputSchema.type !== "object") {
      env.onWarning?.(`dropped tool ${tool.name} of ${domain.name}: its input schema is not of type object`);
      return false;
    }
    return true;
  });
}

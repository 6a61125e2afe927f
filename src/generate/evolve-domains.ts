import { specOfDomain, type DomainRecord, type DomainSpec, type Taxonomy } from "../domain/domain.js";
import { SCHEMA_VERSION } from "../domain/common.js";
import { generateObject } from "../model/generate.js";
import { DomainEvolutionOutputSchema, type DomainEvolutionContext } from "../model/request-context.js";
import type { ChatMessage } from "../domain/message.js";
import type { StageEnv } from "../model/stage-env.js";
import { throwIfAborted } from "../support/concurrency.js";
import { describeDomain } from "../domain/describe.js";

/** Flatten a taxonomy into domain specs, interleaving categories so a prefix covers many of them. */
export function listTaxonomyDomains(taxonomy: Taxonomy): DomainSpec[] {
  const perCategory = taxonomy.categories.map((category) => category.domains.map((domain) => ({ ...domain, category: category.name })));
  const out: DomainSpec[] = [];
  for (let i = 0; out.length < perCategory.reduce((n, list) => n + list.length, 0); i++) {
    for (const list of perCategory) {
      const domain = list[i];
      if (domain) out.push(domain);
    }
  }
  return out;
}

/** The domain evolution prompt, rendered from its context alone: the seed domains in full and how many new ones. */
export function buildDomainEvolutionRequest(context: DomainEvolutionContext): { messages: ChatMessage[]; context: DomainEvolutionContext } {
  return {
    messages: [
      { role: "system", content: "You design realistic business domains for tool-using AI assistants. Answer with JSON only." },
      {
        role: "user",
        content: `Here are existing domains:\n\n${context.seedDomains.map(describeDomain).join("\n\n")}\n\nThe same domains in full (entities with their fields' JSON Schemas and examples):\n${JSON.stringify(context.seedDomains)}\n\nEvolve ${context.count} new, more specialised sub-domains from them (set "parent" to the domain each comes from). Each needs a distinct snake_case name, a fictional organisation, and 1-3 entities with typed fields. Return {"domains": [...]} with the new domains only.`,
      },
    ],
    context,
  };
}

/**
 * Pick `count` domains from the taxonomy; when it has fewer, the generator model evolves new
 * sub-domains from them (hierarchical domain evolution). Domains named in `existing` (already in the
 * registry) are neither picked again nor evolved again; they still seed the evolution.
 */
export async function evolveDomains(env: StageEnv, options: { taxonomy: Taxonomy; count: number; existing?: readonly DomainSpec[] }): Promise<DomainRecord[]> {
  const existing = options.existing ?? [];
  const existingNames = new Set(existing.map((domain) => domain.name));
  const taxonomyDomains = listTaxonomyDomains(options.taxonomy);
  const seeds = [...taxonomyDomains, ...existing.filter((domain) => !taxonomyDomains.some((seed) => seed.name === domain.name)).map(specOfDomain)];
  const chosen = taxonomyDomains.filter((domain) => !existingNames.has(domain.name)).slice(0, options.count);
  const promptHashes: string[] = [];
  if (chosen.length < options.count) {
    throwIfAborted(env.signal);
    const request = buildDomainEvolutionRequest({ purpose: "domain-evolution", seedDomains: seeds, count: options.count - chosen.length });
    const result = await generateObject(env.models.generator, { purpose: "domain-evolution", schema: DomainEvolutionOutputSchema, schemaName: "domain_evolution", signal: env.signal, seed: env.seed, ...request });
    promptHashes.push(result.promptHash);
    const taken = new Set([...existingNames, ...chosen.map((domain) => domain.name)]);
    for (const domain of result.object.domains) {
      if (chosen.length >= options.count) break;
      if (taken.has(domain.name)) continue;
      taken.add(domain.name);
      chosen.push(domain);
    }
    if (chosen.length < options.count) env.onWarning?.(`asked for ${options.count} domains, the generator gave ${chosen.length}`);
  }
  const createdAt = env.clock.now().toISOString();
  return chosen.map((domain) => ({
    ...domain,
    id: env.ids.next("dom"),
    kind: "domain",
    createdAt,
    schemaVersion: SCHEMA_VERSION,
    provenance: {
      source: promptHashes.length && !taxonomyDomains.includes(domain) ? "generate:domain-evolution" : "taxonomy",
      models: promptHashes.length ? { generator: env.models.generator.ref } : {},
      seed: env.seed,
      promptHashes,
      ...(env.runId ? { runId: env.runId } : {}),
    },
  }));
}

import { dirname, isAbsolute, resolve } from "node:path";
import { PipelineConfigSchema, type PipelineConfig } from "../domain/config.js";
import { TaxonomySchema, type Taxonomy } from "../domain/domain.js";
import { ConfigError } from "../errors/config-error.js";
import { formatIssues } from "../errors/format-issues.js";
import { defaultTaxonomyPath } from "./package-paths.js";
import { ANY_FILE, readJsonInput, type FileAccess } from "./input-files.js";

export interface LoadedConfig {
  config: PipelineConfig;
  /** The file it came from, or undefined for the built-in default. */
  file: string | undefined;
  directory: string;
}

/**
 * Read and validate a pipeline config file; errors name the file, the field path and what was expected. A
 * config named by an MCP client is read with that client's file access (see readInputFile).
 */
export async function loadConfigFile(file: string, access: FileAccess = ANY_FILE): Promise<LoadedConfig> {
  const path = resolve(file);
  const json = await readJsonInput(path, "the config file", access, (message) => new ConfigError(message));
  return { config: parseConfig(json, path), file: path, directory: dirname(path) };
}

export function parseConfig(json: unknown, file?: string): PipelineConfig {
  const result = PipelineConfigSchema.safeParse(json);
  if (!result.success) throw new ConfigError("does not match the pipeline config schema (schemas/pipeline-config.schema.json):", { ...(file ? { file } : {}), problems: formatIssues(result.error.issues) });
  return result.data;
}

/** The taxonomy the config names (relative to the config file), or the built-in one. */
export async function loadTaxonomy(config: PipelineConfig, configDirectory: string, access: FileAccess = ANY_FILE): Promise<Taxonomy> {
  const named = config.domains.taxonomy;
  const taxonomyPath = named ? (isAbsolute(named) ? named : resolve(configDirectory, named)) : defaultTaxonomyPath();
  const json = await readJsonInput(taxonomyPath, "domains.taxonomy: the taxonomy file", named ? access : ANY_FILE, (message) => new ConfigError(message));
  const result = TaxonomySchema.safeParse(json);
  if (!result.success) throw new ConfigError("is not a valid taxonomy:", { file: taxonomyPath, problems: formatIssues(result.error.issues) });
  return result.data;
}

import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { PipelineConfigSchema, type PipelineConfig } from "../domain/config.js";
import { TaxonomySchema, type Taxonomy } from "../domain/domain.js";
import { ConfigError } from "../errors/config-error.js";
import { formatIssues } from "../errors/format-issues.js";
import { defaultTaxonomyPath } from "./package-paths.js";
import { errorCode } from "../errors/describe-error.js";

export interface LoadedConfig {
  config: PipelineConfig;
  /** The file it came from, or undefined for the built-in default. */
  file: string | undefined;
  directory: string;
}

/** Read and validate a pipeline config file; errors name the file, the field path and what was expected. */
export async function loadConfigFile(file: string): Promise<LoadedConfig> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read the config file (${errorCode(error) ?? (error as Error).message})`, { file: path, cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`is not valid JSON: ${(error as Error).message}`, { file: path, cause: error });
  }
  return { config: parseConfig(json, path), file: path, directory: dirname(path) };
}

export function parseConfig(json: unknown, file?: string): PipelineConfig {
  const result = PipelineConfigSchema.safeParse(json);
  if (!result.success) throw new ConfigError("does not match the pipeline config schema (schemas/pipeline-config.schema.json):", { ...(file ? { file } : {}), problems: formatIssues(result.error.issues) });
  return result.data;
}

/** The taxonomy the config names (relative to the config file), or the built-in one. */
export async function loadTaxonomy(config: PipelineConfig, configDirectory: string): Promise<Taxonomy> {
  const taxonomyPath = config.domains.taxonomy ? (isAbsolute(config.domains.taxonomy) ? config.domains.taxonomy : resolve(configDirectory, config.domains.taxonomy)) : defaultTaxonomyPath();
  let json: unknown;
  try {
    json = JSON.parse(await readFile(taxonomyPath, "utf8"));
  } catch (error) {
    throw new ConfigError(`domains.taxonomy: cannot read ${taxonomyPath} as JSON (${(error as Error).message})`, { cause: error });
  }
  const result = TaxonomySchema.safeParse(json);
  if (!result.success) throw new ConfigError("is not a valid taxonomy:", { file: taxonomyPath, problems: formatIssues(result.error.issues) });
  return result.data;
}

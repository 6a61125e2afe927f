import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The agentsynth package root (where package.json and fixtures/ live), from src/ or dist/src/. */
export function packageRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(directory, "package.json")) && existsSync(join(directory, "fixtures"))) return directory;
    directory = dirname(directory);
  }
  throw new Error("cannot find the agentsynth package root (package.json with fixtures/)");
}

export const defaultConfigPath = (): string => join(packageRoot(), "fixtures", "pipeline.default.json");
export const defaultTaxonomyPath = (): string => join(packageRoot(), "fixtures", "taxonomy.json");
/** The report page, its script and style (copied into every report written). */
export const reportAssetsPath = (): string => join(packageRoot(), "src", "export", "report", "assets");

import { existsSync } from "node:fs";
import { join } from "node:path";
import { SHARED_DATA, SHARED_TEMPLATE_FILES, SHARED_TEMPLATES, TAU_BENCH_FUNCTIONS, TOUCAN_CATALOG } from "./test-data.js";

/** Throw, naming what is missing, unless the third-party data of the shared suite is there (vitest.shared.config.ts calls it). */
export function requireSharedData(): void {
  const needed = [TOUCAN_CATALOG.file, TAU_BENCH_FUNCTIONS.file, ...SHARED_TEMPLATE_FILES.map((name) => join(SHARED_TEMPLATES, name))];
  const missing = needed.filter((file) => !existsSync(file));
  if (missing.length === 0) return;
  const what = existsSync(SHARED_DATA) ? `it lacks ${missing.join(", ")}` : "that folder does not exist";
  throw new Error(
    `npm run test:shared tests against third-party data in ${SHARED_DATA} (../shared/data beside the repository), and ${what}. ` +
      "It needs mcp-servers.toucan.json (the Toucan crawl of MCP servers), tools.tau-bench.json (tau-bench's tool specs) and " +
      `templates/${SHARED_TEMPLATE_FILES.join(", templates/")} (official chat templates); see "Tests" in the README. ` +
      "npm test needs none of it.",
  );
}

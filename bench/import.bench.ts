import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { median, milliseconds, type RatioResult } from "./ratio-table.js";

const run = promisify(execFile);
const REPO_ROOT = resolve(import.meta.dirname, "..", "..");
const CLI = join(REPO_ROOT, "dist", "src", "cli", "main.js");
/** The shared catalog of 870 real MCP servers (6,044 tools), beside the repository. */
const CATALOG = resolve(REPO_ROOT, "..", "shared", "data", "mcp-servers.toucan.json");
const RUNS = 3;

/** `agentsynth tools import` of the 6,044-spec catalog into an empty store against the CLI's start-up (`--version`), medians of a few runs. */
export async function benchImport(log: (line: string) => void): Promise<RatioResult> {
  const name = "import of the 6,044-spec catalog vs CLI start-up";
  if (!existsSync(CATALOG)) return { name, measured: "", ratio: 0, limit: 3, skipped: `needs ${CATALOG} (../shared/data beside the repository)` };
  const startup: number[] = [];
  const imports: number[] = [];
  for (let attempt = 0; attempt < RUNS; attempt += 1) {
    startup.push(await time([CLI, "--version"]));
    const dataDir = await mkdtemp(join(tmpdir(), "agentsynth-bench-import-"));
    try {
      imports.push(await time([CLI, "tools", "import", CATALOG, "--data-dir", dataDir, "--json"]));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  const start = median(startup);
  const imported = median(imports);
  log(`import: ${milliseconds(imported)}; CLI start-up: ${milliseconds(start)} (medians of ${RUNS})`);
  return { name, measured: `${milliseconds(imported)} / ${milliseconds(start)} (child processes)`, ratio: imported / start, limit: 3 };
}

async function time(args: string[]): Promise<number> {
  const started = performance.now();
  await run(process.execPath, args, { maxBuffer: 64 * 2 ** 20 });
  return performance.now() - started;
}

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { readCpuTime } from "./cpu-timed.js";
import { median, milliseconds, type RatioResult } from "./ratio-table.js";

const run = promisify(execFile);
const REPO_ROOT = resolve(import.meta.dirname, "..", "..");
const CLI = join(REPO_ROOT, "dist", "src", "cli", "main.js");
const CPU_TIMED = join(import.meta.dirname, "cpu-timed.js");
/** The shared catalog of 870 real MCP servers (6,044 tools), beside the repository. */
const CATALOG = resolve(REPO_ROOT, "..", "shared", "data", "mcp-servers.toucan.json");
const RUNS = 3;

interface Timing {
  wall: number;
  cpu: number;
}

/**
 * `agentsynth tools import` of the 6,044-spec catalog into an empty store against the CLI's start-up
 * (`--version`): medians of a few runs of each, compared by CPU time (wall time is shown too).
 */
export async function benchImport(log: (line: string) => void): Promise<RatioResult> {
  const name = "import of the 6,044-spec catalog vs CLI start-up";
  if (!existsSync(CATALOG)) return { name, measured: "", ratio: 0, limit: 3, skipped: `needs ${CATALOG} (../shared/data beside the repository)` };
  const startup: Timing[] = [];
  const imports: Timing[] = [];
  for (let attempt = 0; attempt < RUNS; attempt += 1) {
    startup.push(await time(["--version"]));
    const dataDir = await mkdtemp(join(tmpdir(), "agentsynth-bench-import-"));
    try {
      imports.push(await time(["tools", "import", CATALOG, "--data-dir", dataDir, "--json"]));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  const start = { cpu: median(startup.map((each) => each.cpu)), wall: median(startup.map((each) => each.wall)) };
  const imported = { cpu: median(imports.map((each) => each.cpu)), wall: median(imports.map((each) => each.wall)) };
  log(`import: ${milliseconds(imported.cpu)} CPU, ${milliseconds(imported.wall)} wall; CLI start-up: ${milliseconds(start.cpu)} CPU, ${milliseconds(start.wall)} wall (medians of ${RUNS}; wall ratio ${(imported.wall / start.wall).toFixed(2)})`);
  return { name, measured: `${milliseconds(imported.cpu)} / ${milliseconds(start.cpu)} CPU time (child processes)`, ratio: imported.cpu / start.cpu, limit: 3 };
}

async function time(args: string[]): Promise<Timing> {
  const started = performance.now();
  const { stderr } = await run(process.execPath, [CPU_TIMED, CLI, ...args], { maxBuffer: 64 * 2 ** 20 });
  return { wall: performance.now() - started, cpu: readCpuTime(stderr) };
}

#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { AgentsynthError } from "../errors/agentsynth-error.js";
import { InputError } from "../errors/input-error.js";
import { packageRoot } from "../pipeline/package-paths.js";
import { runCommand } from "./commands/run-command.js";
import type { CliIo } from "./io.js";

const HELP = `agentsynth — synthesize verified multi-turn tool-use training data

Usage:
  agentsynth run [CONFIG] [--config FILE] [--seed N] [--data-dir DIR] [--out DIR]
      Run the whole pipeline (domains → tools → agents → tasks → simulate → judge → filter → export).
      Default config: fixtures/pipeline.default.json (offline engine, no key needed).
  agentsynth --help | --version

Options:
  --config FILE    pipeline config (JSON; schema in schemas/pipeline-config.schema.json)
  --seed N         override the config's seed
  --data-dir DIR   store directory (default $AGENTSYNTH_DATA_DIR or ./.agentsynth)
  --out DIR        export directory (default ./out)

Exit codes: 0 done, 1 failed, 2 bad input (config, arguments, missing API key), 130 cancelled.`;

/** Exit code for an error: 2 for bad input, 130 for cancellation, 1 otherwise. */
export function exitCodeFor(error: unknown): number {
  if (!(error instanceof AgentsynthError)) return 1;
  if (error.code === "CONFIG_INVALID" || error.code === "INPUT_INVALID" || error.code === "MISSING_API_KEY") return 2;
  if (error.code === "CANCELLED") return 130;
  return 1;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: "string" },
        seed: { type: "string" },
        "data-dir": { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  } catch (error) {
    io.stderr.write(`agentsynth: ${(error as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.stdout.write(`${(JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    io.stdout.write(`${HELP}\n`);
    return command || values.help ? 0 : 2;
  }
  const dataDir = resolve(values["data-dir"] ?? io.env.AGENTSYNTH_DATA_DIR ?? ".agentsynth");
  try {
    switch (command) {
      case "run":
        if (rest.length > 1) throw new InputError(`run takes at most one config file, got: ${rest.join(" ")}`);
        return await runCommand({ config: values.config ?? rest[0], seed: values.seed, dataDir, out: values.out }, io);
      default:
        io.stderr.write(`agentsynth: unknown command "${command}"\n\n${HELP}\n`);
        return 2;
    }
  } catch (error) {
    const code = error instanceof AgentsynthError ? ` ${error.code}` : "";
    io.stderr.write(`agentsynth: error${code}: ${error instanceof Error ? error.message : String(error)}\n`);
    return exitCodeFor(error);
  }
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const controller = new AbortController();
  process.once("SIGINT", () => {
    process.stderr.write("\nagentsynth: cancelling (press Ctrl-C again to force)…\n");
    controller.abort();
    process.once("SIGINT", () => process.exit(130));
  });
  const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal });
  process.exitCode = code;
}

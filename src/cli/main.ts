#!/usr/bin/env node
import { readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { AgentsynthError } from "../errors/agentsynth-error.js";
import { InputError } from "../errors/input-error.js";
import { NotFoundError } from "../errors/not-found-error.js";
import { packageRoot } from "../pipeline/package-paths.js";
import { GLOBAL_FLAGS, helpOf, optionsOf, parseCommandArgs, usageOf, type CliCommand, type FlagTable } from "./command.js";
import { agentsGenerateCommand } from "./commands/agents-generate-command.js";
import { configCliCommand } from "./commands/config-command.js";
import { domainsCreateCommand } from "./commands/domains-create-command.js";
import { domainsEvolveCommand } from "./commands/domains-evolve-command.js";
import { domainsListCommand } from "./commands/domains-list-command.js";
import { exportCommand } from "./commands/export-command.js";
import { curateCommand } from "./commands/curate-command.js";
import { episodesImportCommand } from "./commands/episodes-import-command.js";
import { filterCommand } from "./commands/filter-command.js";
import { reportCommand } from "./commands/report-command.js";
import { judgeCommand } from "./commands/judge-command.js";
import { runCommand } from "./commands/run-command.js";
import { estimateCommand } from "./commands/estimate-command.js";
import { serveCliCommand } from "./commands/serve-command.js";
import { serversListCommand, serversSyncCommand } from "./commands/servers-command.js";
import { simulateCommand } from "./commands/simulate-command.js";
import { tasksGenerateCommand } from "./commands/tasks-generate-command.js";
import { toolsImportCommand, toolsListCommand } from "./commands/tools-command.js";
import { toolsSynthesizeCommand } from "./commands/tools-synthesize-command.js";
import type { CliIo } from "./io.js";

/** Every command, in the order of the pipeline (the help lists them so). */
export const COMMANDS: readonly CliCommand[] = [
  runCommand,
  estimateCommand,
  serversSyncCommand,
  serversListCommand,
  domainsEvolveCommand,
  domainsCreateCommand,
  domainsListCommand,
  toolsImportCommand,
  toolsSynthesizeCommand,
  toolsListCommand,
  agentsGenerateCommand,
  tasksGenerateCommand,
  simulateCommand,
  episodesImportCommand,
  judgeCommand,
  filterCommand,
  exportCommand,
  curateCommand,
  reportCommand,
  serveCliCommand,
  configCliCommand,
];

const EXIT_CODES = "Exit codes: 0 done, 1 failed (the run record says why), 2 bad input (nothing is written), 130 cancelled.";

export const HELP = [
  "agentsynth — synthesize verified multi-turn tool-use training data",
  "",
  "Usage:",
  ...COMMANDS.flatMap((command) => [...usageOf(command).split("\n").map((line) => `  ${line}`), ...command.description.split("\n").map((line) => `      ${line}`)]),
  "  agentsynth --help | --version",
  "",
  "Every command also takes:",
  ...Object.entries(GLOBAL_FLAGS).map(([name, spec]) => `  --${`${name}${spec.value ? ` ${spec.value}` : ""}`.padEnd(16)} ${spec.description}`),
  "Run `agentsynth COMMAND --help` for what each flag of a command means.",
  "",
  EXIT_CODES,
].join("\n");

/** Exit code for an error: 2 for bad input (a stored record named that does not exist is bad input too), 130 for cancellation, 1 otherwise. */
export function exitCodeFor(error: unknown): number {
  if (!(error instanceof AgentsynthError)) return 1;
  if (error.code === "CONFIG_INVALID" || error.code === "INPUT_INVALID" || error.code === "MISSING_API_KEY" || error.code === "NOT_FOUND") return 2;
  if (error.code === "CANCELLED") return 130;
  return 1;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  let command: CliCommand | undefined;
  try {
    const words = leadingWords(argv);
    if (words.length === 0) return topLevel(argv, io);
    command = findCommand(words);
    if (argv.includes("--help") || argv.includes("-h")) {
      io.stdout.write(`${helpOf(command)}\n`);
      return 0;
    }
    const args = parseCommandArgs(command, argv, io.env);
    return await command.run(args, io);
  } catch (error) {
    const code = error instanceof AgentsynthError ? ` ${error.code}` : "";
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`agentsynth: error${code}: ${message}${flagHint(command, error)}\n`);
    if (error instanceof UnknownCommandError) io.stderr.write(`\n${HELP}\n`);
    return exitCodeFor(error);
  }
}

/** `agentsynth`, `agentsynth --help`, `agentsynth --version`. */
function topLevel(argv: readonly string[], io: CliIo): number {
  const { values } = parseArgs({ args: [...argv], strict: false, options: { help: { type: "boolean", short: "h" }, version: { type: "boolean", short: "v" } } });
  if (values.version) {
    io.stdout.write(`${(JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version}\n`);
    return 0;
  }
  io.stdout.write(`${HELP}\n`);
  return values.help ? 0 : 2;
}

/** The positionals of argv (up to two: a command and its action), read with every command's flags so a flag's value is never taken for a word. */
function leadingWords(argv: readonly string[]): string[] {
  const table: FlagTable = Object.assign({}, GLOBAL_FLAGS, ...COMMANDS.map((command) => command.flags));
  const { tokens } = parseArgs({ args: [...argv], strict: false, allowPositionals: true, tokens: true, options: optionsOf(table) });
  return tokens.flatMap((token) => (token.kind === "positional" ? [token.value] : [])).slice(0, 2);
}

function findCommand(words: readonly string[]): CliCommand {
  const [first = "", second = ""] = words;
  const exact = COMMANDS.find((command) => command.name === `${first} ${second}`) ?? COMMANDS.find((command) => command.name === first);
  if (exact) return exact;
  const actions = COMMANDS.filter((command) => command.name.startsWith(`${first} `));
  if (actions.length > 0) {
    const expected = actions.map((command) => `"${command.name.slice(first.length + 1)}${command.positionals?.min ? ` ${command.positionals.usage}` : ""}"`).join(", ");
    throw new InputError(`${first}: expected ${expected}, got ${second ? `"${second}"` : "nothing"}; see agentsynth --help`);
  }
  throw new UnknownCommandError(first);
}

class UnknownCommandError extends InputError {
  constructor(word: string) {
    super(`unknown command "${word}"`);
  }
}

/** A stored record named on the command line that does not exist: say which flag named it. */
function flagHint(command: CliCommand | undefined, error: unknown): string {
  if (!command || !(error instanceof NotFoundError)) return "";
  return command.flags[error.collection] ? ` (--${error.collection})` : "";
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
  process.once("SIGTERM", () => controller.abort());
  const code = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal });
  process.exitCode = code;
}

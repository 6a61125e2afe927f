import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { InputError } from "../errors/input-error.js";
import type { CliIo } from "./io.js";

/** A flag of a command: a value (`--count N`) or a switch (`--json`). */
export interface FlagSpec {
  type: "string" | "boolean";
  /** The placeholder of its value in usage lines (`N`, `FILE`, `ID,…`). */
  value?: string;
  short?: string;
  /** The command cannot run without it (shown without brackets in the usage). */
  required?: boolean;
  description: string;
}

export type FlagTable = Record<string, FlagSpec>;

/** The flags every command takes. */
export const GLOBAL_FLAGS: FlagTable = {
  config: { type: "string", value: "FILE", description: "pipeline config, JSON (default: fixtures/pipeline.default.json; schema in schemas/pipeline-config.schema.json)" },
  "mcp-config": { type: "string", value: "FILE", description: "the mcpServers file of third-party MCP servers (default: <data dir>/mcp.json, else ./mcp.json, else the one agentsynth ships)" },
  "data-dir": { type: "string", value: "DIR", description: "the store directory (default: $AGENTSYNTH_DATA_DIR or ./.agentsynth)" },
  help: { type: "boolean", short: "h", description: "this command's usage and flags" },
};

/** One command of the CLI: `run`, `domains evolve`, … */
export interface CliCommand {
  /** The words that name it: `run`, `domains evolve`. */
  name: string;
  /** Positional arguments as usage shows them (`FILE`, `[NAME…]`), and how many it takes. */
  positionals?: { usage: string; min: number; max: number };
  /** Its own flags, besides the global ones. */
  flags: FlagTable;
  /** One or two lines for the help. */
  description: string;
  run(args: CommandArgs, io: CliIo): Promise<number> | number;
}

/** The global flags as every command gets them. */
export interface GlobalArgs {
  dataDir: string;
  config?: string | undefined;
  mcpConfig?: string | undefined;
}

/** A command's parsed arguments: its positionals, its flags (each checked against its table) and the global ones. */
export class CommandArgs implements GlobalArgs {
  readonly dataDir: string;
  readonly config: string | undefined;
  readonly mcpConfig: string | undefined;

  constructor(
    readonly positionals: string[],
    private readonly values: Record<string, string | boolean | undefined>,
    env: NodeJS.ProcessEnv,
  ) {
    this.dataDir = resolve(this.string("data-dir") ?? env.AGENTSYNTH_DATA_DIR ?? ".agentsynth");
    this.config = this.string("config");
    this.mcpConfig = this.string("mcp-config");
  }

  string(name: string): string | undefined {
    const value = this.values[name];
    return typeof value === "string" ? value : undefined;
  }

  /** A flag the table marks required (present once parsing succeeded). */
  required(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw new InputError(`--${name} is required`);
    return value;
  }

  boolean(name: string): boolean {
    return this.values[name] === true;
  }
}

/**
 * The usage of a command, made from its table so it never drifts from the flags it takes: required flags bare,
 * the others in brackets, a switch and its `--no-` opposite as `[--[no-]name]`; wrapped at `width` columns.
 */
export function usageOf(command: CliCommand, width = 118): string {
  const flags = Object.entries(command.flags).flatMap(([name, spec]) => {
    if (spec.type === "boolean" && name.startsWith("no-") && command.flags[name.slice(3)]?.type === "boolean") return [];
    const shown = spec.type === "boolean" && command.flags[`no-${name}`]?.type === "boolean" ? `--[no-]${name}` : `--${name}${spec.value ? ` ${spec.value}` : ""}`;
    return [spec.required ? shown : `[${shown}]`];
  });
  const lines = [["agentsynth", command.name, ...(command.positionals ? [command.positionals.usage] : [])].join(" ")];
  const indent = " ".repeat(`agentsynth ${command.name} `.length);
  for (const flag of flags) {
    const last = lines[lines.length - 1] as string;
    if (last.length + flag.length + 1 > width) lines.push(`${indent}${flag}`);
    else lines[lines.length - 1] = `${last} ${flag}`;
  }
  return lines.join("\n");
}

/** A command's help: its usage, what it does, and each of its flags. */
export function helpOf(command: CliCommand): string {
  const rows = Object.entries({ ...command.flags, ...GLOBAL_FLAGS }).map(([name, spec]) => [`--${name}${spec.value ? ` ${spec.value}` : ""}`, spec.description] as const);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [`Usage: ${usageOf(command)}`, "", command.description, "", "Flags:", ...rows.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`)].join("\n");
}

/**
 * Split argv into the command's words and its arguments. The words are the leading positionals; flags may come
 * before, between or after them. Unknown flags, a value missing or given to a switch, a flag given twice and
 * the wrong number of positionals are bad input, named.
 */
export function parseCommandArgs(command: CliCommand, argv: readonly string[], env: NodeJS.ProcessEnv): CommandArgs {
  const table: FlagTable = { ...command.flags, ...GLOBAL_FLAGS };
  const { tokens } = parseArgs({ args: [...argv], strict: false, allowPositionals: true, tokens: true, options: optionsOf(table) });
  const words = command.name.split(" ").length;
  const values: Record<string, string | boolean | undefined> = {};
  const positionals: string[] = [];
  let wordsSeen = 0;
  for (const token of tokens) {
    if (token.kind === "positional") {
      if (wordsSeen < words) wordsSeen++;
      else positionals.push(token.value);
      continue;
    }
    if (token.kind !== "option") continue;
    const spec = table[token.name];
    if (!spec) throw new InputError(`${command.name}: unknown flag ${token.rawName}; it takes ${Object.keys(command.flags).map((name) => `--${name}`).join(", ") || "no flags"} (and ${Object.keys(GLOBAL_FLAGS).map((name) => `--${name}`).join(", ")}); see agentsynth ${command.name} --help`);
    // A value that looks like a flag is the next flag, not this one's value (`--concurrency --json`): use `--flag=-x` for such a value.
    if (spec.type === "string" && (token.value === undefined || (!token.inlineValue && token.value.startsWith("-")))) throw new InputError(`${token.rawName}: expected a value (${spec.value ?? "a value"})`);
    if (spec.type === "boolean" && token.inlineValue) throw new InputError(`${token.rawName} is a switch and takes no value`);
    if (values[token.name] !== undefined) throw new InputError(`${token.rawName} is given twice`);
    values[token.name] = spec.type === "string" ? token.value : true;
  }
  const missing = Object.entries(command.flags).filter(([name, spec]) => spec.required && values[name] === undefined);
  if (missing.length) throw new InputError(`${command.name} needs ${missing.map(([name, spec]) => `--${name} ${spec.value ?? ""}`.trim()).join(" and ")}`);
  const { min, max } = command.positionals ?? { min: 0, max: 0 };
  if (positionals.length < min || positionals.length > max) {
    const expected = command.positionals ? command.positionals.usage : "no positional arguments";
    throw new InputError(`${command.name} takes ${expected}, got ${positionals.length ? positionals.map((value) => `"${value}"`).join(" ") : "none"}`);
  }
  return new CommandArgs(positionals, values, env);
}

/** parseArgs options for a flag table: which flags take a value, so the command words can be told from values. */
export function optionsOf(table: FlagTable): Record<string, { type: "string" | "boolean"; short?: string }> {
  return Object.fromEntries(Object.entries(table).map(([name, spec]) => [name, { type: spec.type, ...(spec.short ? { short: spec.short } : {}) }]));
}

#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { AgentsynthError } from "../errors/agentsynth-error.js";
import { InputError } from "../errors/input-error.js";
import { packageRoot } from "../pipeline/package-paths.js";
import { configCommand } from "./commands/config-command.js";
import { exportCommand } from "./commands/export-command.js";
import { runCommand } from "./commands/run-command.js";
import { serveCommand } from "./commands/serve-command.js";
import { serversCommand } from "./commands/servers-command.js";
import { toolsCommand } from "./commands/tools-command.js";
import { withWorkspace } from "./commands/with-workspace.js";
import type { CliIo } from "./io.js";

const HELP = `agentsynth — synthesize verified multi-turn tool-use training data

Usage:
  agentsynth run [CONFIG] [--config FILE] [--seed N] [--data-dir DIR] [--out DIR]
                 [--tool-source real|synthetic|imported|all] [--fault-rate R] [--max-steps N]
      Run the whole pipeline (servers → domains → tools → agents → tasks → simulate → judge → filter → export).
      Default config: fixtures/pipeline.default.json (offline engine, no key needed).
  agentsynth servers sync [NAME…] | servers list [--json]
      Connect to the MCP servers of the MCP config and import their tools (sync), or show them (list).
  agentsynth tools import FILE [--domain NAME] [--json] | tools list [--source real|synthetic|imported] [--domain D] [--json]
      Import tool specs (OpenAI functions, an MCP tools/list result, a server catalog) or print the registry.
  agentsynth serve [--http [--host H] [--port P] [--token T]] [--config FILE] [--data-dir DIR] [--out DIR]
      The MCP server: every stage as a tool, stored records as resources, authoring prompts.
      Over stdio by default (stdout carries only the protocol; logs go to stderr); --http serves
      Streamable HTTP at http://H:P/mcp (default 127.0.0.1:3333; port 0 picks a free one).
  agentsynth config --host claude|kimi|vscode|cursor [--config FILE] [--data-dir DIR] [--out DIR]
      Print the JSON that makes that MCP host launch \`agentsynth serve\` (absolute paths).
  agentsynth export [--dataset ID] [--format openai|hf|sharegpt] [--out DIR] [--check-templates DIR] [--data-dir DIR]
                   [--kimi-ids] [--no-system] [--reasoning] [--split RATIO] [--seed N]
      Export a stored dataset (the newest when no --dataset) as JSONL with a dataset card (README.md).
      --check-templates renders every record through each *.jinja chat template in DIR; exit 1 if any fails.
  agentsynth --help | --version

Options:
  --config FILE    pipeline config (JSON; schema in schemas/pipeline-config.schema.json)
  --mcp-config FILE  the mcpServers file of third-party MCP servers, for every command
                   (default ./mcp.json when it exists, else the one agentsynth ships)
  --tool-source S  run: which tools agents are built from: real, synthetic, imported or all (default all;
                   a comma-separated list works too)
  --fault-rate R   run: the share of tool calls that get an injected fault (spread over the configured kinds)
  --max-steps N    run: the message limit of an episode
  --source S       tools list: only real, synthetic or imported tools
  --domain D       tools import: put the tools in this domain (id or name; a new name creates it); tools list: only this domain
  --json           servers, tools: print JSON
  --seed N         run: override the config's seed; export: the seed of the validation split
  --data-dir DIR   store directory (default $AGENTSYNTH_DATA_DIR or ./.agentsynth)
  --out DIR        run, export: export directory; serve: exports must go under it (default ./out)
  --http           serve: Streamable HTTP instead of stdio
  --host H         serve --http: address to listen on (default 127.0.0.1); config: the MCP host
  --port P         serve --http: port (default 3333)
  --token T        serve --http: bearer token required on every request (default $AGENTSYNTH_TOKEN);
                   mandatory when --host is not a loopback address
  --dataset ID     export: the dataset (default: the newest)
  --format F       export: openai (default), hf or sharegpt
  --check-templates DIR  export: render every record through each *.jinja chat template in DIR
  --kimi-ids       export: tool-call ids as functions.{name}:{index}, counted across the conversation
  --no-system      export: drop the system prompt
  --reasoning      export: keep the assistant's reasoning_content
  --split RATIO    export: send that share of records to validation.jsonl (the rest to train.jsonl)

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
        "mcp-config": { type: "string" },
        "tool-source": { type: "string" },
        "fault-rate": { type: "string" },
        "max-steps": { type: "string" },
        source: { type: "string" },
        domain: { type: "string" },
        json: { type: "boolean" },
        seed: { type: "string" },
        "data-dir": { type: "string" },
        out: { type: "string" },
        http: { type: "boolean" },
        host: { type: "string" },
        port: { type: "string" },
        token: { type: "string" },
        dataset: { type: "string" },
        format: { type: "string" },
        "check-templates": { type: "string" },
        "kimi-ids": { type: "boolean" },
        "no-system": { type: "boolean" },
        reasoning: { type: "boolean" },
        split: { type: "string" },
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
        return await runCommand(
          {
            config: values.config ?? rest[0],
            mcpConfig: values["mcp-config"],
            seed: values.seed,
            toolSource: values["tool-source"],
            faultRate: values["fault-rate"],
            maxSteps: values["max-steps"],
            dataDir,
            out: values.out,
          },
          io,
        );
      case "serve":
        if (rest.length > 0) throw new InputError(`serve takes no positional arguments, got: ${rest.join(" ")}`);
        return await serveCommand({ http: values.http ?? false, host: values.host, port: values.port, token: values.token, dataDir, config: values.config, mcpConfig: values["mcp-config"], out: values.out }, io);
      case "servers":
      case "tools": {
        const [action, ...args] = rest;
        return await withWorkspace({ dataDir, config: values.config, mcpConfig: values["mcp-config"] }, io, (workspace) =>
          command === "servers"
            ? serversCommand(workspace, { action, args, json: values.json ?? false }, io)
            : toolsCommand(workspace, { action, args, source: values.source, domain: values.domain, json: values.json ?? false }, io),
        );
      }
      case "config":
        if (rest.length > 0) throw new InputError(`config takes no positional arguments, got: ${rest.join(" ")}`);
        return configCommand({ host: values.host, dataDir, config: values.config, mcpConfig: values["mcp-config"], out: values.out }, io);
      case "export":
        if (rest.length > 0) throw new InputError(`export takes no positional arguments, got: ${rest.join(" ")}`);
        return await exportCommand(
          {
            dataDir,
            dataset: values.dataset,
            format: values.format,
            out: values.out,
            checkTemplates: values["check-templates"],
            kimiIds: values["kimi-ids"] ?? false,
            noSystem: values["no-system"] ?? false,
            reasoning: values.reasoning ?? false,
            split: values.split,
            seed: values.seed,
          },
          io,
        );
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
  process.once("SIGTERM", () => controller.abort());
  const code = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal });
  process.exitCode = code;
}

import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { InputError } from "../errors/input-error.js";
import { parseServerEntry, type McpServerEntry } from "./mcp-config-entry.js";
import type { ConfigIssue } from "../domain/summaries.js";
import { isObject } from "../support/is-object.js";
import { errorCode } from "../errors/describe-error.js";

export type { McpServerEntry, McpTransport } from "./mcp-config-entry.js";

/** The servers of an `mcpServers` config: the usable ones, warnings (ignored fields, skipped entries) and broken entries. */
export interface McpConfig {
  file?: string;
  servers: McpServerEntry[];
  warnings: string[];
  /** Entries that cannot be used, by server name. */
  errors: ConfigIssue[];
}

export interface McpConfigOptions {
  /** The config file: named in messages, and the default working directory of stdio servers is its folder. */
  file?: string;
  /** Where `${VAR}` is looked up after `variables` (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Variables that take precedence over the environment, e.g. AGENTSYNTH_DATA_DIR. */
  variables?: Record<string, string>;
}

const EXPECTED_SHAPE = 'expected {"mcpServers": {"<name>": {"command", "args", "env", "cwd"} or {"url", "headers", "type"}}}';

/**
 * Read the standard `mcpServers` config (Claude Desktop, Cursor, Kimi CLI). `${VAR}` and `${VAR:-default}` are
 * expanded in command, args, env values, cwd, url and header values. A broken entry is reported by name and
 * the others still load; a document without an `mcpServers` object is an InputError.
 */
export function parseMcpConfig(document: unknown, options: McpConfigOptions = {}): McpConfig {
  const file = options.file === undefined ? undefined : resolve(options.file);
  const where = file === undefined ? "the MCP config" : `the MCP config ${file}`;
  if (!isObject(document)) throw new InputError(`${where} is not a JSON object; ${EXPECTED_SHAPE}`);
  const servers = document.mcpServers;
  if (!isObject(servers)) throw new InputError(`${where} has no "mcpServers" object${"servers" in document ? ' (it has "servers", the VS Code shape: rename it to "mcpServers")' : ""}; ${EXPECTED_SHAPE}`);

  const config: McpConfig = { ...(file !== undefined ? { file } : {}), servers: [], warnings: [], errors: [] };
  const source = { variables: options.variables ?? {}, env: options.env ?? process.env };
  const warn = (message: string): void => void config.warnings.push(message);
  for (const [name, value] of Object.entries(servers)) {
    if (name.trim() === "") {
      config.errors.push({ name, message: "a server has an empty name" });
      continue;
    }
    const result = parseServerEntry(name, value, { file, source, warn });
    if (result.kind === "server") config.servers.push(result.entry);
    else if (result.kind === "error") config.errors.push({ name, message: `server "${name}" ${result.message}` });
  }
  return config;
}

/**
 * Load an `mcpServers` config file. A missing file is an InputError unless `missingOk` (then the config is
 * empty); an unreadable file, invalid JSON or a document without `mcpServers` is an InputError naming the file.
 */
export async function loadMcpConfig(file: string, options: Omit<McpConfigOptions, "file"> & { missingOk?: boolean } = {}): Promise<McpConfig> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = errorCode(error);
    if (code === "ENOENT" && options.missingOk) return { file: path, servers: [], warnings: [], errors: [] };
    if (code === "ENOENT") throw new InputError(`the MCP config ${path} does not exist; ${EXPECTED_SHAPE}`);
    throw new InputError(`the MCP config ${path} cannot be read (${code ?? (error as Error).message})`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new InputError(`the MCP config ${path} is not valid JSON (${(error as Error).message}); ${EXPECTED_SHAPE}`);
  }
  return parseMcpConfig(document, { ...options, file: path });
}

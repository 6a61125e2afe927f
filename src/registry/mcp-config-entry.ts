import { dirname, isAbsolute, resolve } from "node:path";
import type { ToolServerTransport } from "../domain/tool.js";
import { expandVariables, type VariableSource } from "./config-variables.js";
import { isObject } from "../support/is-object.js";

/** How agentsynth talks to a server: the transports a stored server record names. */
export type McpTransport = ToolServerTransport;

/** One usable server of an `mcpServers` config. `env` and `headers` hold secrets: never store or print their values. */
export interface McpServerEntry {
  name: string;
  transport: McpTransport;
  /** Expanded: what the process is started with. */
  command?: string;
  /** As written, unexpanded: what may be stored. */
  commandTemplate?: string;
  /** Expanded: what the process is started with. */
  args: string[];
  /** As written, unexpanded: what may be stored. */
  argsTemplate: string[];
  /** Expanded values: secret, never store. */
  env: Record<string, string>;
  envKeys: string[];
  /** Expanded and resolved (stored with the secrets redacted). */
  cwd?: string;
  /** Expanded. */
  url?: string;
  /** As written, unexpanded: what may be stored. */
  urlTemplate?: string;
  /** Expanded values: secret, never store. */
  headers: Record<string, string>;
  headerKeys: string[];
  /** `"trusted": true` in the config: the server's tool annotations are believed (the `auto` policy runs its read-only tools live). */
  trusted: boolean;
  /**
   * Values never to be stored, logged or exported, longest first: every value read from the environment by a
   * `${VAR}` reference, every header value and every env value whose name says it is a secret.
   */
  secrets: string[];
}

/** Variable names that say their value is a secret. */
const SECRET_NAME = /key|token|secret|password|passwd|pass|auth|credential|cookie|session/i;
/** Shorter values are not redacted: they would blank out ordinary words and numbers. */
const MIN_SECRET_LENGTH = 4;

export type EntryResult = { kind: "server"; entry: McpServerEntry } | { kind: "skipped" } | { kind: "error"; message: string };

export interface EntryContext {
  file?: string | undefined;
  source: VariableSource;
  warn(message: string): void;
}

const TRANSPORT_NAMES: Readonly<Record<string, McpTransport>> = {
  stdio: "stdio",
  http: "streamable-http",
  "streamable-http": "streamable-http",
  streamable_http: "streamable-http",
  streamableHttp: "streamable-http",
  sse: "sse",
};
const STDIO_FIELDS = new Set(["command", "args", "env", "cwd"]);
const REMOTE_FIELDS = new Set(["url", "headers"]);
const SHARED_FIELDS = new Set(["type", "transport", "disabled", "trusted"]);
/** Fields other MCP hosts (Claude Desktop, Cline, Cursor, Kimi CLI, Gemini CLI) define that agentsynth does not use. */
const HOST_FIELDS = new Set(["autoApprove", "alwaysAllow", "timeout", "description", "disabledTools", "trust", "includeTools", "excludeTools", "envFile", "oauth", "enabled"]);

/** Parse one entry of `mcpServers`: a usable server, a disabled one, or the reason it cannot be used. */
export function parseServerEntry(name: string, value: unknown, context: EntryContext): EntryResult {
  if (!isObject(value)) return fail('is not an object; expected {"command", "args", "env"} or {"url", "headers"}');
  if (value.disabled === true) {
    context.warn(`server "${name}" is disabled ("disabled": true) and was skipped`);
    return { kind: "skipped" };
  }
  const transport = readTransport(value);
  if (typeof transport !== "string") return fail(transport.error);
  warnAboutFields(name, value, transport, context);
  try {
    const entry = transport === "stdio" ? stdioEntry(name, value, context) : remoteEntry(name, value, transport, context.source);
    return { kind: "server", entry };
  } catch (error) {
    if (error instanceof EntryProblem) return fail(error.message);
    throw error;
  }
}

function fail(message: string): EntryResult {
  return { kind: "error", message };
}

class EntryProblem extends Error {}

function readTransport(value: Record<string, unknown>): McpTransport | { error: string } {
  const declared = [value.type, value.transport].filter((each) => each !== undefined);
  if (declared.some((each) => typeof each !== "string")) return { error: '"type" / "transport" must be a string' };
  const names = [...new Set(declared as string[])];
  if (names.length > 1) return { error: `"type" ("${String(value.type)}") and "transport" ("${String(value.transport)}") disagree` };
  const hasCommand = value.command !== undefined;
  const hasUrl = value.url !== undefined;
  if (hasCommand && hasUrl) return { error: 'has both "command" and "url"; a server is either started (command) or remote (url)' };
  if (!hasCommand && !hasUrl) return { error: 'has neither "command" (a server to start) nor "url" (a remote server)' };
  const name = names[0];
  if (name === undefined) return hasCommand ? "stdio" : "streamable-http";
  const transport = TRANSPORT_NAMES[name];
  if (transport === undefined) return { error: `has an unknown type "${name}"; expected one of "stdio", "http", "streamable-http", "sse"` };
  if (transport === "stdio" && !hasCommand) return { error: `has type "${name}" but no "command"` };
  if (transport !== "stdio" && !hasUrl) return { error: `has type "${name}" but no "url"` };
  return transport;
}

function warnAboutFields(name: string, value: Record<string, unknown>, transport: McpTransport, context: EntryContext): void {
  const own = transport === "stdio" ? STDIO_FIELDS : REMOTE_FIELDS;
  const other = transport === "stdio" ? REMOTE_FIELDS : STDIO_FIELDS;
  for (const field of Object.keys(value)) {
    if (own.has(field) || SHARED_FIELDS.has(field)) continue;
    if (other.has(field)) context.warn(`server "${name}": field "${field}" is ignored (it applies to ${transport === "stdio" ? "url" : "command"} servers only)`);
    else if (HOST_FIELDS.has(field)) context.warn(`server "${name}": field "${field}" is ignored (other MCP hosts use it; agentsynth does not)`);
    else context.warn(`server "${name}": unknown field "${field}" is ignored`);
  }
  for (const flag of ["disabled", "trusted"]) {
    if (value[flag] !== undefined && typeof value[flag] !== "boolean") context.warn(`server "${name}": field "${flag}" is not a boolean and is ignored`);
  }
}

function stdioEntry(name: string, value: Record<string, unknown>, context: EntryContext): McpServerEntry {
  const secrets = new SecretCollector();
  const commandTemplate = requireString(value.command, "command");
  const command = secrets.expand("command", commandTemplate, context.source);
  if (command.trim() === "") throw new EntryProblem('"command" is empty');
  const argsTemplate = readStrings(value.args, "args");
  const env = readStringRecord(value.env, "env");
  const baseDirectory = context.file ? dirname(context.file) : undefined;
  const cwdTemplate = value.cwd === undefined ? undefined : requireString(value.cwd, "cwd");
  const cwdText = cwdTemplate === undefined ? undefined : secrets.expand("cwd", cwdTemplate, context.source);
  const cwd = cwdText === undefined ? baseDirectory : resolveFrom(baseDirectory, cwdText);
  const args = argsTemplate.map((arg, index) => secrets.expand(`args[${index}]`, arg, context.source));
  const expandedEnv = secrets.expandRecord("env", env, context.source);
  for (const [key, text] of Object.entries(expandedEnv)) if (SECRET_NAME.test(key)) secrets.add(text);
  return {
    name,
    transport: "stdio",
    command,
    commandTemplate,
    args,
    argsTemplate,
    env: expandedEnv,
    envKeys: Object.keys(env),
    ...(cwd !== undefined ? { cwd } : {}),
    headers: {},
    headerKeys: [],
    trusted: value.trusted === true,
    secrets: secrets.values(),
  };
}

function remoteEntry(name: string, value: Record<string, unknown>, transport: McpTransport, source: VariableSource): McpServerEntry {
  const secrets = new SecretCollector();
  const urlTemplate = requireString(value.url, "url");
  const url = secrets.expand("url", urlTemplate, source);
  if (!isHttpUrl(url)) throw new EntryProblem(`"url" is not an http(s) URL: ${urlTemplate}`);
  const headers = secrets.expandRecord("headers", readStringRecord(value.headers, "headers"), source);
  for (const text of Object.values(headers)) secrets.add(text);
  return {
    name,
    transport,
    args: [],
    argsTemplate: [],
    env: {},
    envKeys: [],
    url,
    urlTemplate,
    headers,
    headerKeys: Object.keys(headers),
    trusted: value.trusted === true,
    secrets: secrets.values(),
  };
}

/** Expands an entry's values and remembers which of them are secrets. */
class SecretCollector {
  readonly #values = new Set<string>();

  expand(field: string, text: string, source: VariableSource): string {
    const expansion = expandVariables(text, source);
    if (!expansion.ok) {
      const names = expansion.missing.map((variable) => `\${${variable}}`).join(", ");
      throw new EntryProblem(`"${field}" uses ${names}, which ${expansion.missing.length > 1 ? "are" : "is"} not set (set it in the environment, or write \${NAME:-default})`);
    }
    expansion.fromEnvironment.forEach((value) => this.add(value));
    return expansion.value;
  }

  expandRecord(field: string, record: Record<string, string>, source: VariableSource): Record<string, string> {
    return Object.fromEntries(Object.entries(record).map(([key, text]) => [key, this.expand(`${field}.${key}`, text, source)]));
  }

  add(value: string): void {
    if (value.length >= MIN_SECRET_LENGTH) this.#values.add(value);
  }

  values(): string[] {
    return [...this.#values].sort((a, b) => b.length - a.length);
  }
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== "string") throw new EntryProblem(`"${field}" must be a string, got ${describeType(value)}`);
  return value;
}

function readStrings(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new EntryProblem(`"${field}" must be an array of strings, got ${describeType(value)}`);
  const wrong = value.findIndex((item) => typeof item !== "string");
  if (wrong >= 0) throw new EntryProblem(`"${field}" must be an array of strings, but item ${wrong} is ${describeType(value[wrong])}`);
  return value as string[];
}

function readStringRecord(value: unknown, field: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value)) throw new EntryProblem(`"${field}" must be an object of strings, got ${describeType(value)}`);
  const wrong = Object.entries(value).find(([, item]) => typeof item !== "string");
  if (wrong) throw new EntryProblem(`"${field}.${wrong[0]}" must be a string, got ${describeType(wrong[1])}`);
  return value as Record<string, string>;
}

function resolveFrom(baseDirectory: string | undefined, path: string): string {
  if (isAbsolute(path)) return path;
  return baseDirectory === undefined ? resolve(path) : resolve(baseDirectory, path);
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

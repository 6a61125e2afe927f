import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { InputError } from "../errors/input-error.js";
import { errorCode } from "../errors/describe-error.js";
import { writeFileAtomic } from "../support/no-follow-files.js";

/**
 * Set (or, with `entry` undefined, delete) one server in an `mcpServers` config file, keeping everything
 * else in the file as it was. The file is created when missing and replaced atomically.
 */
export async function writeMcpServerEntry(file: string, name: string, entry: Record<string, unknown> | undefined): Promise<void> {
  const document = await readDocument(file);
  const servers = document.mcpServers;
  if (servers !== undefined && (servers === null || typeof servers !== "object" || Array.isArray(servers))) {
    throw new InputError(`${file}: "mcpServers" is not an object; fix the file before adding or removing servers`);
  }
  // fromEntries defines own properties, so no name (not even "__proto__") can reach an object's prototype.
  const kept = Object.entries((servers as Record<string, unknown> | undefined) ?? {}).filter(([key]) => key !== name);
  const next = Object.fromEntries(entry === undefined ? kept : [...kept, [name, entry]]);
  await replaceDocument(file, { ...document, mcpServers: next });
}

/** The raw entry of one server in an `mcpServers` file (undefined when the file or the entry is missing). */
export async function readMcpServerEntry(file: string, name: string): Promise<Record<string, unknown> | undefined> {
  const servers = (await readDocument(file)).mcpServers;
  if (servers === null || typeof servers !== "object" || !Object.hasOwn(servers, name)) return undefined;
  const entry = (servers as Record<string, unknown>)[name];
  return entry !== null && typeof entry === "object" && !Array.isArray(entry) ? (entry as Record<string, unknown>) : undefined;
}

/**
 * Copy an `mcpServers` file to `target` so it can be edited there instead of where it is (the installed
 * package's own). Stdio servers keep working from the new place: their working directory, which defaults to
 * the config file's folder, is written out as an absolute path.
 */
export async function copyMcpConfig(source: string, target: string): Promise<void> {
  const document = await readDocument(source);
  const servers = document.mcpServers;
  if (servers !== null && typeof servers === "object" && !Array.isArray(servers)) {
    const from = dirname(resolve(source));
    const anchored = Object.entries(servers as Record<string, unknown>).map(([name, entry]) => [name, anchorWorkingDirectory(entry, from)] as const);
    document.mcpServers = Object.fromEntries(anchored);
  }
  await replaceDocument(target, document);
}

function anchorWorkingDirectory(entry: unknown, from: string): unknown {
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) return entry;
  const fields = entry as Record<string, unknown>;
  if (fields.command === undefined) return entry;
  const cwd = fields.cwd;
  if (cwd === undefined) return { ...fields, cwd: from };
  if (typeof cwd !== "string" || cwd.includes("${") || isAbsolute(cwd)) return entry;
  return { ...fields, cwd: resolve(from, cwd) };
}

async function replaceDocument(file: string, document: Record<string, unknown>): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(document, null, 2)}\n`);
}

async function readDocument(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return {};
    throw new InputError(`cannot read the MCP config ${file} (${errorCode(error) ?? "unreadable"})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InputError(`the MCP config ${file} is not valid JSON; fix it before adding or removing servers`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new InputError(`the MCP config ${file} is not a JSON object`);
  return parsed as Record<string, unknown>;
}

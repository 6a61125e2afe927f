import { randomUUID } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { InputError } from "../errors/input-error.js";
import { errorCode } from "../errors/describe-error.js";

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
  const next: Record<string, unknown> = { ...(servers as Record<string, unknown> | undefined) };
  if (entry === undefined) delete next[name];
  else next[name] = entry;
  const temporary = `${file}.${randomUUID().slice(0, 8)}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ ...document, mcpServers: next }, null, 2)}\n`, "utf8");
  await rename(temporary, file);
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

import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { InputError } from "../errors/input-error.js";
import { referencedVariables } from "./config-variables.js";

/** What an MCP client (a host, or a model driving it) may put into the MCP config. */
export interface ClientEntryRules {
  /** Adding or replacing a stdio server (a command the server would run) is allowed: `serve --allow-server-edits`. */
  allowStdio: boolean;
  /** Variables the client may reference: ours (AGENTSYNTH_DATA_DIR), never the server's environment. */
  variables: readonly string[];
  /** How a host name resolves (default: the system resolver); a test may pin it. */
  resolve?: (hostname: string) => Promise<string[]>;
}

/** Server names that would be lost or would change an object's prototype when used as a key. */
const RESERVED_NAMES = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Refuse what an MCP client must not configure: a reserved name; a `${VAR}` reference to the server's
 * environment (a client would read the server's secrets through a header or an argument); a stdio server
 * unless allowed (a client would run a command); a remote URL on a link-local or cloud-metadata address.
 * `existing` is the entry the new one would replace.
 */
export async function checkClientEntry(name: string, entry: Record<string, unknown>, existing: Record<string, unknown> | undefined, rules: ClientEntryRules): Promise<void> {
  if (RESERVED_NAMES.has(name)) throw new InputError(`server name "${name}" is reserved; choose another name`);
  const references = collectStrings(entry).flatMap(({ field, text }) => referencedVariables(text).filter((variable) => !rules.variables.includes(variable)).map((variable) => `${field}: \${${variable}}`));
  if (references.length > 0) {
    throw new InputError(
      `server "${name}": ${references.join(", ")}: an MCP client cannot read the server's environment (\${VAR} is expanded only in config files the user writes); give the value itself, or add the entry to the MCP config file by hand`,
    );
  }
  const stdio = entry.command !== undefined;
  const replacesStdio = existing !== undefined && existing.command !== undefined;
  if ((stdio || replacesStdio) && !rules.allowStdio) {
    throw new InputError(
      `server "${name}": ${stdio ? "adding a stdio server (a command to run)" : "replacing the stdio server of that name"} over MCP is off: a client could run any command on this machine. Start the server with \`agentsynth serve --allow-server-edits\` to allow it, or edit the MCP config file by hand`,
    );
  }
  if (typeof entry.url === "string") await checkRemoteUrl(name, entry.url, rules.resolve ?? resolveHost);
}

function collectStrings(entry: Record<string, unknown>): Array<{ field: string; text: string }> {
  const found: Array<{ field: string; text: string }> = [];
  const visit = (field: string, value: unknown): void => {
    if (typeof value === "string") found.push({ field, text: value });
    else if (Array.isArray(value)) value.forEach((item, index) => visit(`${field}[${index}]`, item));
    else if (value !== null && typeof value === "object") for (const [key, item] of Object.entries(value)) visit(field === "" ? key : `${field}.${key}`, item);
  };
  visit("", entry);
  return found;
}

/** Cloud metadata services by name (AWS, GCP, Azure, Alibaba, Oracle, OpenStack use the link-local addresses below). */
const METADATA_NAMES = new Set(["metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal", "metadata.azure.internal", "metadata.platformequinix.com"]);

const FORBIDDEN = new BlockList();
FORBIDDEN.addSubnet("169.254.0.0", 16, "ipv4"); // link-local: AWS, GCP, Azure, OpenStack metadata (169.254.169.254), ECS (169.254.170.2)
FORBIDDEN.addSubnet("0.0.0.0", 8, "ipv4"); // "this network": reaches the machine itself
FORBIDDEN.addAddress("100.100.100.200", "ipv4"); // Alibaba Cloud metadata
FORBIDDEN.addSubnet("fe80::", 10, "ipv6"); // link-local
FORBIDDEN.addAddress("fd00:ec2::254", "ipv6"); // AWS metadata over IPv6
FORBIDDEN.addAddress("::", "ipv6");

/** Whether an IP address is link-local, a cloud metadata address or unspecified (IPv4-mapped IPv6 included). */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return FORBIDDEN.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** A URL an MCP client gives must not point at a link-local or metadata address, by literal or by what its name resolves to. */
async function checkRemoteUrl(name: string, text: string, resolve: (hostname: string) => Promise<string[]>): Promise<void> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return; // the entry parser reports a URL that does not parse
  }
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase().replace(/\.$/, "");
  const refuse = (why: string): InputError =>
    new InputError(`server "${name}": the url ${url.origin} ${why}; remote MCP servers added over MCP may not use link-local or cloud-metadata addresses`);
  if (METADATA_NAMES.has(host)) throw refuse("names a cloud metadata service");
  if (isIP(host) !== 0) {
    if (isForbiddenAddress(host)) throw refuse("is a link-local or metadata address");
    return;
  }
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    return; // a name that does not resolve cannot be reached: the sync reports it
  }
  const bad = addresses.find(isForbiddenAddress);
  if (bad !== undefined) throw refuse(`resolves to ${bad}, a link-local or metadata address`);
}

async function resolveHost(hostname: string): Promise<string[]> {
  return (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);
}

import type { CheckResult } from "../domain/judgment.js";
import type { ChatMessage } from "../domain/message.js";

/*
 * Privacy: nothing of the machine that made the data in any message — its absolute paths (home, data
 * directory, working directory), its user name in a path, a secret (API keys, tokens, private keys) or the
 * value of a secret environment variable.
 */

export const PRIVACY_REASON_CODE = "private_data_leak";

/** What identifies the machine that made the data (see describeMachine); all optional. */
export interface MachineFacts {
  /** Absolute directories of the machine: the home, the data directory, the working directory. */
  paths?: readonly string[] | undefined;
  userNames?: readonly string[] | undefined;
  /** Values that must never appear (secret environment variables' values). */
  secrets?: readonly string[] | undefined;
}

const SECRET_VARIABLE = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH|PRIVATE|SESSION|COOKIE)/i;
const SECRET_PATTERNS: Array<{ name: string; pattern: RegExp }> = [
  { name: "an API key", pattern: /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}/ },
  { name: "a GitHub token", pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}/ },
  { name: "an AWS access key", pattern: /\bAKIA[0-9A-Z]{16}\b/ },
  { name: "a Slack token", pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  { name: "a Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: "a private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { name: "a bearer token", pattern: /\bBearer\s+[A-Za-z0-9._~+/-]{24,}/ },
];
const HOME_PATH = /(?:^|[\s"'`(=:])((?:\/home|\/Users)\/[A-Za-z0-9._-]+|[A-Za-z]:\\Users\\[^\\\s"']+)/;

/**
 * The machine facts of this process: the home directory, the user name, the data directory and working
 * directory (when they are deeper than one folder), and the values of secret-named environment variables.
 */
export function describeMachine(input: { homeDirectory?: string | undefined; userName?: string | undefined; directories?: readonly string[] | undefined; env?: NodeJS.ProcessEnv | undefined }): MachineFacts {
  const deep = (input.directories ?? []).filter((path) => /^(\/[^/]+\/[^/]+|[A-Za-z]:\\[^\\]+\\[^\\]+)/.test(path));
  const home = input.homeDirectory && /^(\/[^/]+|[A-Za-z]:\\[^\\]+)/.test(input.homeDirectory) ? [input.homeDirectory] : [];
  const paths = [...home, ...deep];
  const secrets = Object.entries(input.env ?? {}).flatMap(([name, value]) => (value && SECRET_VARIABLE.test(name) && value.length >= 8 && !/^(true|false|\d+)$/i.test(value) ? [value] : []));
  return { paths: [...new Set(paths)], userNames: input.userName && input.userName.length >= 3 ? [input.userName] : [], secrets };
}

/** Every message (its text, tool-call arguments and reasoning) is free of the machine's paths, user name and secrets. */
export function checkPrivacy(messages: readonly ChatMessage[], machine: MachineFacts = {}): CheckResult {
  const id = "privacy";
  const evidence: NonNullable<CheckResult["evidence"]> = [];
  messages.forEach((message, index) => {
    const found = findLeak(messageText(message), machine);
    if (found) evidence.push({ message: index, text: found });
  });
  if (evidence.length === 0) return { id, passed: true };
  return { id, passed: false, reason: PRIVACY_REASON_CODE, detail: `${evidence.length} message(s) carry data of the machine that made them: ${evidence.slice(0, 3).map((entry) => `#${entry.message} ${entry.text}`).join("; ")}`, evidence };
}

function messageText(message: ChatMessage): string {
  if (message.role !== "assistant") return message.content;
  return [message.content ?? "", ...(message.tool_calls ?? []).map((call) => call.function.arguments), message.reasoning_content ?? ""].join("\n");
}

/** What leaks in a text (described without repeating a secret), or undefined. */
export function findLeak(text: string, machine: MachineFacts): string | undefined {
  const unescaped = text.replace(/\\\\/g, "\\").replace(/\\\//g, "/");
  for (const path of machine.paths ?? []) {
    const at = findPath(unescaped, path);
    if (at !== undefined) return `the local path ${at}`;
  }
  for (const secret of machine.secrets ?? []) if (unescaped.includes(secret)) return "the value of a secret environment variable";
  for (const { name, pattern } of SECRET_PATTERNS) if (pattern.test(unescaped)) return name;
  const home = HOME_PATH.exec(unescaped);
  if (home?.[1]) return `the home path ${home[1]}`;
  for (const user of machine.userNames ?? []) {
    const inPath = new RegExp(String.raw`[/\\]${escapeRegExp(user)}(?=[/\\]|$|[\s"'])`).exec(unescaped);
    if (inPath) return `the user name ${user} in a path`;
  }
  return undefined;
}

/** The path where it appears as a whole path (followed by a separator or the end of the path), or undefined. */
function findPath(text: string, path: string): string | undefined {
  const trimmed = path.replace(/[/\\]+$/, "");
  const match = new RegExp(`${escapeRegExp(trimmed)}(?![A-Za-z0-9_-])[^\\s"'\`]*`).exec(text);
  return match?.[0];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

import { AgentsynthError } from "./agentsynth-error.js";

/** The string `code` of a thrown value, such as a system error's `ENOENT` or `ECONNREFUSED`. */
export function errorCode(error: unknown): string | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}

/**
 * One line for any thrown value: `CODE: message` for our own errors; for others the message, followed by
 * the system error code (its own or its cause's) when the message does not say it already.
 */
export function describeError(error: unknown): string {
  if (error instanceof AgentsynthError) return `${error.code}: ${error.message}`;
  if (!(error instanceof Error)) return String(error);
  const code = errorCode(error.cause) ?? errorCode(error);
  return code !== undefined && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}

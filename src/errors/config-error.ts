import { AgentsynthError } from "./agentsynth-error.js";

/** A pipeline config that is not JSON or does not match its schema. CLI exit code 2. */
export class ConfigError extends AgentsynthError {
  readonly file: string | undefined;
  readonly problems: string[];

  constructor(message: string, options: { file?: string; problems?: string[]; cause?: unknown } = {}) {
    const where = options.file ? `${options.file}: ` : "";
    const details = options.problems?.length ? `\n${options.problems.map((p) => `  - ${p}`).join("\n")}` : "";
    super("CONFIG_INVALID", `${where}${message}${details}`, { cause: options.cause });
    this.file = options.file;
    this.problems = options.problems ?? [];
  }
}

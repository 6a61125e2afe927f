import { AgentsynthError } from "./agentsynth-error.js";

/** Bad input at a boundary (CLI argument, MCP tool argument, import file). */
export class InputError extends AgentsynthError {
  readonly problems: string[];

  constructor(message: string, problems: string[] = []) {
    super("INPUT_INVALID", problems.length ? `${message}\n${problems.map((p) => `  - ${p}`).join("\n")}` : message);
    this.problems = problems;
  }
}

import type { OperationOptions } from "../pipeline/workspace.js";
import type { CliIo } from "./io.js";
import { createProgressBar } from "./progress-bar.js";

/** Run a long operation with a progress bar of `stage` on stderr; Ctrl-C cancels it. */
export async function withProgress<T>(io: CliIo, stage: string, work: (options: OperationOptions) => Promise<T>): Promise<T> {
  const progress = createProgressBar(io.stderr);
  try {
    return await work({ signal: io.signal, onProgress: (event) => progress.update({ stage, ...event }) });
  } finally {
    progress.finish();
  }
}

/** Print a result on stdout: as JSON with --json, else as the command's text. */
export function printResult(io: CliIo, json: boolean, result: unknown, render: () => string): void {
  io.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : `${render().trimEnd()}\n`);
}

/** The --json flag, the same on every command that prints a result. */
export const JSON_FLAG = { type: "boolean", description: "print the result as JSON" } as const;

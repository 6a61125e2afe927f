import type { OperationOptions, Workspace } from "../pipeline/workspace.js";
import type { CommandArgs } from "./command.js";
import { withWorkspace } from "./commands/with-workspace.js";
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

/** Warn on stderr of each bad line of a file read (its number, reason and what was wrong), and of how many more there were. */
export function reportBadLines(io: CliIo, result: { source: string; badLines: number; firstBadLines: ReadonlyArray<{ line: number; reason: string; detail: string }> }, where = ""): void {
  for (const bad of result.firstBadLines) io.stderr.write(`warning: ${result.source} line ${bad.line} skipped (${bad.reason}): ${bad.detail}\n`);
  const more = result.badLines - result.firstBadLines.length;
  if (more > 0) io.stderr.write(`warning: … and ${more} more bad line(s)${where}\n`);
}

/** Print a result on stdout: as JSON with --json, else as the command's text. */
export function printResult(io: CliIo, json: boolean, result: unknown, render: () => string): void {
  io.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : `${render().trimEnd()}\n`);
}

/**
 * A stage command's whole life once its flags are parsed: open the workspace (its store must exist unless
 * `createsStore`), run the workspace operation with a progress bar of `stage`, print the result (text or
 * --json), exit 0.
 */
export function runStageCommand<T>(
  args: CommandArgs,
  io: CliIo,
  stage: string,
  operation: (workspace: Workspace, options: OperationOptions) => Promise<T>,
  render: (result: T) => string,
  options: { createsStore?: boolean } = {},
): Promise<number> {
  return withWorkspace(
    args,
    io,
    async (workspace) => {
      const result = await withProgress(io, stage, (operationOptions) => operation(workspace, operationOptions));
      printResult(io, args.boolean("json"), result, () => render(result));
      return 0;
    },
    { requireStore: !options.createsStore },
  );
}

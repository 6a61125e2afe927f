import { resolve } from "node:path";
import { ExportFormatSchema } from "../../domain/config.js";
import type { ImportEpisodesResult } from "../../pipeline/import-episodes.js";
import type { CliCommand } from "../command.js";
import { JSON_FLAG } from "../common-flags.js";
import { parseChoice } from "../flags.js";
import { printResult, reportBadLines, withProgress } from "../output.js";
import { withWorkspace } from "./with-workspace.js";

/** `agentsynth episodes import FILE`: the workspace's importEpisodes. */
export const episodesImportCommand: CliCommand = {
  name: "episodes import",
  positionals: { usage: "FILE", min: 1, max: 1 },
  flags: {
    format: { type: "string", value: "F", description: "the format of FILE's lines: openai (default), hf or sharegpt" },
    json: JSON_FLAG,
  },
  description:
    "Store the conversations of a JSONL file made elsewhere as episodes (their tools, one agent, a task each with a generic\n" +
    "rubric), so judge, filter, export and report work on them; bad lines are reported with their number and skipped.",
  async run(args, io) {
    const input = { file: resolve(args.positionals[0] as string), format: parseChoice("format", args.string("format"), ExportFormatSchema.options) };
    return withWorkspace(args, io, async (workspace) => {
      const result = await withProgress(io, "import", (options) => workspace.importEpisodes(input, options));
      printResult(io, args.boolean("json"), result, () => renderImport(result));
      reportBadLines(io, result);
      return 0;
    });
  },
};

function renderImport(result: ImportEpisodesResult): string {
  return [
    `Imported ${result.imported} episode(s) of ${result.lines} line(s) from ${result.source} (${result.badLines} bad line(s) skipped)`,
    `  agent ${result.agentId}; tools ${result.tools} (${result.newTools} new in the registry)`,
    "  next: agentsynth judge (every episode not judged yet), then filter and export",
  ].join("\n");
}

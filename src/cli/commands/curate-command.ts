import { join, resolve } from "node:path";
import { CURATION_CARD_FILE, KEPT_FILE, REJECTED_FILE } from "../../pipeline/curate-dataset.js";
import { ExportFormatSchema } from "../../domain/config.js";
import type { CurationSummary } from "../../domain/curation.js";
import { renderCounts } from "../../pipeline/render-run-summary.js";
import type { CliCommand } from "../command.js";
import { JSON_FLAG } from "../common-flags.js";
import { parseChoice, parseRate, parseSwitchPair } from "../flags.js";
import { printResult, reportBadLines, withProgress } from "../output.js";
import { withWorkspace } from "./with-workspace.js";

/** `agentsynth curate FILE`: the workspace's curateDataset (as MCP curate_dataset) on a dataset made elsewhere. */
export const curateCommand: CliCommand = {
  name: "curate",
  positionals: { usage: "FILE", min: 1, max: 1 },
  flags: {
    format: { type: "string", value: "F", description: "the format of FILE's lines: openai (default), hf or sharegpt" },
    out: { type: "string", value: "DIR", description: "write DIR/kept.jsonl, DIR/rejected.jsonl and DIR/README.md (default ./out/curated-<file name>)" },
    "llm-judge": { type: "boolean", description: "score a generic rubric with the judge model (default: when the config's judge model is not offline)" },
    "no-llm-judge": { type: "boolean", description: "rule checks only" },
    dedupe: { type: "boolean", description: "drop duplicates and near duplicates of kept records (config filter.dedupe; default on)" },
    "no-dedupe": { type: "boolean", description: "keep duplicates" },
    "min-score": { type: "string", value: "X", description: "keep records scoring at least X, 0–1 (config filter.minScore)" },
    force: { type: "boolean", description: "overwrite the files of an earlier curation in that folder" },
    json: JSON_FLAG,
  },
  description:
    "Check and filter a JSONL dataset made elsewhere (one conversation a line): format checks, rules, the LLM judge when a\n" +
    "judge model is configured, duplicates; bad lines are reported with their number and skipped. Exit 0 when it ran.",
  async run(args, io) {
    const file = resolve(args.positionals[0] as string);
    const out = args.string("out");
    const input = {
      file,
      format: parseChoice("format", args.string("format"), ExportFormatSchema.options),
      // With --out, DIR is the export root and the files go right into it.
      out: out === undefined ? undefined : ".",
      llmJudge: parseSwitchPair("llm-judge", args.boolean("llm-judge"), args.boolean("no-llm-judge")),
      dedupe: parseSwitchPair("dedupe", args.boolean("dedupe"), args.boolean("no-dedupe")),
      minScore: parseRate("min-score", args.string("min-score")),
      force: args.boolean("force"),
    };
    return withWorkspace(
      args,
      io,
      async (workspace) => {
        const result = await withProgress(io, "curate", (options) => workspace.curateDataset(input, options));
        printResult(io, args.boolean("json"), result, () => renderCuration(result));
        reportBadLines(io, result, ` (all in ${join(result.directory, REJECTED_FILE)})`);
        return 0;
      },
      { out },
    );
  },
};

function renderCuration(result: CurationSummary): string {
  return [
    `Curated ${result.source}: ${result.lines} line(s) → kept ${result.kept}, rejected ${result.rejected} (${result.badLines} bad line(s))`,
    `  judge: ${result.llmJudge ? "rules and the LLM judge (generic rubric)" : "rule checks only"}`,
    `  rejection reasons: ${renderCounts(result.rejectionCounts)}`,
    `  kept:     ${join(result.directory, KEPT_FILE)}`,
    `  rejected: ${join(result.directory, REJECTED_FILE)}`,
    `  card:     ${join(result.directory, CURATION_CARD_FILE)}`,
  ].join("\n");
}

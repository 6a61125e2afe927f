import { resolve } from "node:path";
import { CallIdStyleSchema, ExportFormatSchema, resolveCallIdStyle, type CallIdStyle } from "../../domain/config.js";
import { InputError } from "../../errors/input-error.js";
import type { TemplateCheck } from "../../export/check-templates.js";
import type { ExportDatasetResult } from "../../pipeline/export-dataset.js";
import type { CliCommand, CommandArgs } from "../command.js";
import { EXPORT_OUT_FLAG, JSON_FLAG } from "../common-flags.js";
import { parseChoice, parseSeed, parseSwitchPair } from "../flags.js";
import { printResult, withProgress } from "../output.js";
import { withWorkspace } from "./with-workspace.js";

/**
 * `agentsynth export`: the workspace's exportDataset (as MCP export_dataset) into the dataset's own folder under
 * --out, the config's `export` section as defaults; with --check-templates, every record rendered through each
 * chat template of a folder (exit 1 when one fails).
 */
export const exportCommand: CliCommand = {
  name: "export",
  flags: {
    dataset: { type: "string", value: "ID", description: "the dataset (default: the newest)" },
    format: { type: "string", value: "F", description: "openai, hf or sharegpt (default: the config's export.format)" },
    out: EXPORT_OUT_FLAG,
    force: { type: "boolean", description: "overwrite that folder when it holds another dataset's export" },
    "check-templates": { type: "string", value: "DIR", description: "render every record through each *.jinja chat template in DIR; exit 1 if any record fails" },
    system: { type: "boolean", description: "keep the system prompt (config export.includeSystemPrompt; default kept)" },
    "no-system": { type: "boolean", description: "drop the system prompt" },
    reasoning: { type: "boolean", description: "keep the assistant's reasoning_content (config export.includeReasoning; default dropped)" },
    "no-reasoning": { type: "boolean", description: "drop the assistant's reasoning_content" },
    "call-id-style": { type: "string", value: "S", description: "tool-call ids: openai (as generated), kimi (functions.{name}:{index}) or mistral (9 alphanumeric characters) (config export.callIdStyle)" },
    "kimi-ids": { type: "boolean", description: "an alias of --call-id-style kimi" },
    "no-kimi-ids": { type: "boolean", description: "an alias of --call-id-style openai" },
    split: { type: "string", value: "RATIO", description: "send that share of records to validation.jsonl (config export.split)" },
    seed: { type: "string", value: "N", description: "the seed of the split (default: the config's export.split.seed, else the dataset's seed)" },
    json: JSON_FLAG,
  },
  description:
    "Export a stored dataset as JSONL with its dataset card (README.md) into DIR/<dataset name>/. Options not given are the\n" +
    "config's export section. Checks everything (dataset, folder, templates) before writing a file.",
  async run(args, io) {
    const splitRatio = parseSplit(args.string("split"));
    const seed = parseSeed(args.string("seed"));
    if (seed !== undefined && splitRatio === undefined) throw new InputError("--seed is the seed of the split: give --split RATIO with it");
    const checkTemplates = args.string("check-templates");
    const input = {
      datasetId: args.string("dataset"),
      format: parseChoice("format", args.string("format"), ExportFormatSchema.options),
      includeSystemPrompt: parseSwitchPair("system", args.boolean("system"), args.boolean("no-system")),
      includeReasoning: parseSwitchPair("reasoning", args.boolean("reasoning"), args.boolean("no-reasoning")),
      callIdStyle: parseCallIdStyle(args),
      split: splitRatio === undefined ? undefined : { validationRatio: splitRatio, seed },
      force: args.boolean("force"),
      checkTemplates: checkTemplates === undefined ? undefined : resolve(checkTemplates),
    };
    return withWorkspace(args, io, async (workspace) => {
      const result = await withProgress(io, "export", (options) => workspace.exportDataset(input, options));
      printResult(io, args.boolean("json"), result, () => renderExport(result));
      const failing = result.templateChecks?.filter((check) => check.failed > 0) ?? [];
      for (const check of failing) io.stderr.write(`agentsynth: ${check.failed} record(s) failed to render through ${check.template}; first error: ${check.firstError?.message ?? "unknown"}\n`);
      return failing.length > 0 ? 1 : 0;
    }, { out: args.string("out"), requireStore: true });
  },
};

function renderExport(result: ExportDatasetResult): string {
  const files = result.files.map((file) => `${file.path} (${file.split}, ${file.records})`).join(" + ");
  const lines = [`Exported dataset ${result.datasetId} "${result.datasetName}": ${result.records} record(s) as ${result.format} → ${files} + ${result.cardPath}`];
  if (result.templateChecks) lines.push(`Chat templates:`, ...result.templateChecks.map(renderCheck));
  return lines.join("\n");
}

function renderCheck(check: TemplateCheck): string {
  const total = check.rendered + check.failed;
  const first = check.firstError ? `; first error (${check.firstError.file} line ${check.firstError.line}): ${check.firstError.message}` : "";
  return `  ${check.template}: ${check.rendered}/${total} rendered${first}`;
}

/** --call-id-style, or its aliases --kimi-ids (kimi) and --no-kimi-ids (openai); a contradiction is an error. */
function parseCallIdStyle(args: CommandArgs): CallIdStyle | undefined {
  const style = parseChoice("call-id-style", args.string("call-id-style"), CallIdStyleSchema.options);
  const kimi = parseSwitchPair("kimi-ids", args.boolean("kimi-ids"), args.boolean("no-kimi-ids"));
  const alias = kimi === undefined ? undefined : resolveCallIdStyle({ kimiToolCallIds: kimi });
  if (style !== undefined && alias !== undefined && style !== alias) throw new InputError(`--call-id-style ${style} contradicts --${kimi ? "" : "no-"}kimi-ids (an alias of --call-id-style ${alias}); give one of them`);
  return style ?? alias;
}

function parseSplit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ratio = Number(text);
  if (text.trim() === "" || !Number.isFinite(ratio) || ratio <= 0 || ratio >= 1) throw new InputError(`--split: expected the validation share, a number between 0 and 1 (exclusive), got "${text}"`);
  return ratio;
}

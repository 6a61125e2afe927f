import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { ExportFormatSchema, type ExportFormat } from "../../domain/config.js";
import { InputError } from "../../errors/input-error.js";
import { checkTemplates, type TemplateCheck } from "../../export/check-templates.js";
import { exportStoredDataset, findDataset } from "../../export/export-stored-dataset.js";
import { openStore } from "../../store/open-store.js";
import { systemClock } from "../../support/clock.js";
import type { CliIo } from "../io.js";

export interface ExportCommandOptions {
  dataDir: string;
  dataset?: string | undefined;
  format?: string | undefined;
  out?: string | undefined;
  checkTemplates?: string | undefined;
  kimiIds: boolean;
  noSystem: boolean;
  reasoning: boolean;
  split?: string | undefined;
  seed?: string | undefined;
}

/**
 * `agentsynth export`: write a stored dataset (the newest when no id is given) as JSONL in a trainer's format
 * with its dataset card; with --check-templates, render every record through each chat template of a folder
 * and exit 1 when any record fails.
 */
export async function exportCommand(options: ExportCommandOptions, io: CliIo): Promise<number> {
  const format = parseFormat(options.format);
  const validationRatio = options.split === undefined ? undefined : parseRatio(options.split);
  const seedFlag = options.seed === undefined ? undefined : parseSeed(options.seed);
  if (!existsSync(options.dataDir)) throw new InputError(`there is no store in ${options.dataDir}: give --data-dir, or run \`agentsynth run\` first`);
  const store = await openStore({ dataDir: options.dataDir });
  try {
    const dataset = await findDataset(store, options.dataset);
    const seed = seedFlag ?? dataset.provenance.seed ?? 0;
    const { written } = await exportStoredDataset(store, {
      datasetId: dataset.id,
      outDir: resolve(options.out ?? "out"),
      format: { name: format, includeSystemPrompt: !options.noSystem, includeReasoning: options.reasoning, kimiToolCallIds: options.kimiIds },
      split: validationRatio === undefined ? undefined : { validationRatio, seed },
      clock: systemClock,
      signal: io.signal,
    });
    const files = written.files.map((file) => `${file.path} (${file.split}, ${file.records})`).join(" + ");
    io.stdout.write(`Exported dataset ${dataset.id} "${dataset.name}": ${written.records} record(s) as ${format} → ${files} + ${written.cardPath}\n`);
    if (options.checkTemplates === undefined) return 0;
    const templateDir = resolve(options.checkTemplates);
    const checks = await checkTemplates({ files: written.files.map((file) => file.path), templateDir, format, signal: io.signal });
    io.stdout.write(`Chat templates in ${templateDir}:\n${checks.map(renderCheck).join("\n")}\n`);
    const failing = checks.filter((check) => check.failed > 0);
    for (const check of failing) io.stderr.write(`agentsynth: ${check.failed} record(s) failed to render through ${check.template}; first error: ${check.firstError?.message ?? "unknown"}\n`);
    return failing.length > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}

function renderCheck(check: TemplateCheck): string {
  const total = check.rendered + check.failed;
  const first = check.firstError ? `; first error (${check.firstError.file} line ${check.firstError.line}): ${check.firstError.message}` : "";
  return `  ${check.template}: ${check.rendered}/${total} rendered${first}`;
}

function parseFormat(text: string | undefined): ExportFormat {
  if (text === undefined) return "openai";
  const parsed = ExportFormatSchema.safeParse(text);
  if (!parsed.success) throw new InputError(`--format: expected one of ${ExportFormatSchema.options.join(", ")}, got "${text}"`);
  return parsed.data;
}

function parseRatio(text: string): number {
  const ratio = Number(text);
  if (!Number.isFinite(ratio) || ratio <= 0 || ratio >= 1) throw new InputError(`--split: expected the validation share, a number between 0 and 1 (exclusive), got "${text}"`);
  return ratio;
}

function parseSeed(text: string): number {
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0) throw new InputError(`--seed: expected a non-negative integer, got "${text}"`);
  return seed;
}

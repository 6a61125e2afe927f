import { basename, dirname, join } from "node:path";
import { resolveCallIdStyle, type CallIdStyle, type ExportFormat, type ExportSplit, type PipelineConfig } from "../domain/config.js";
import type { DatasetRecord, ExportSummary } from "../domain/dataset.js";
import { EmptyResultError } from "../errors/empty-result-error.js";
import { InputError } from "../errors/input-error.js";
import { checkTemplates, loadChatTemplates, type TemplateCheck } from "../export/check-templates.js";
import { exportStoredDataset, findDataset } from "../export/export-stored-dataset.js";
import { VALIDATION_FILE } from "../export/write-export.js";
import type { Store } from "../store/types.js";
import type { Clock } from "../support/clock.js";
import { assertFolderIsFree, datasetFolder, TRAIN_FILE, type ExportTarget } from "./export-folder.js";
import { resolveUnderRoot } from "./export-path.js";
import type { OperationOptions } from "./operation-options.js";
import type { WorkspaceContext } from "./workspace-context.js";

/** Export options; each one not given is the config's `export` section. */
export interface ExportSettings {
  format?: ExportFormat | undefined;
  includeSystemPrompt?: boolean | undefined;
  includeReasoning?: boolean | undefined;
  /** An alias: true is callIdStyle kimi, false openai; callIdStyle wins when both are given. */
  kimiToolCallIds?: boolean | undefined;
  callIdStyle?: CallIdStyle | undefined;
  /** Send round(n × validationRatio) records to validation.jsonl; the seed defaults to the config's, else the dataset's seed. */
  split?: ExportSplit | undefined;
  /** Overwrite a folder that holds another dataset's export. */
  force?: boolean | undefined;
}

export interface ExportDatasetInput extends ExportSettings {
  /** The dataset (default: the newest). */
  datasetId?: string | undefined;
  /** The (train) .jsonl file, under the export root (relative paths resolve from it). */
  path?: string | undefined;
  /** Without a path: a folder under the export root (default: the root); the export goes to the dataset's own folder in it. */
  out?: string | undefined;
  /** A folder of `*.jinja` chat templates to render every record through; read before anything is written. */
  checkTemplates?: string | undefined;
}

export type ExportDatasetResult = ExportSummary & { templateChecks?: TemplateCheck[] | undefined };

/**
 * Write a stored dataset (streamed from the store) in a trainer's format with a dataset card beside it, and
 * record the export on the dataset: into `path`, or into `<out>/<dataset name>/train.jsonl`. Everything is
 * checked before a file is written.
 */
export async function exportDataset(context: WorkspaceContext, input: ExportDatasetInput, options: OperationOptions): Promise<ExportDatasetResult> {
  if (input.path !== undefined && input.out !== undefined) throw new InputError("give either path (the .jsonl file) or out (a folder for the dataset's own folder), not both");
  const dataset = input.datasetId === undefined ? await findDataset(context.store, undefined) : await context.store.datasets.require(input.datasetId);
  const target = input.path !== undefined ? fileTarget(context.exportRoot, input.path, (input.split ?? context.config.export.split) !== undefined) : folderTarget(context.exportRoot, input.out, dataset);
  const templates = input.checkTemplates === undefined ? undefined : await loadChatTemplates(input.checkTemplates);
  const written = await writeDatasetExport({ store: context.store, clock: context.clock, config: context.config }, dataset, target, input, options);
  if (!templates) return written;
  return { ...written, templateChecks: await checkTemplates({ files: written.files.map((file) => file.path), templates, format: written.format, signal: options.signal }) };
}

/** The dataset's own folder under an output folder (which must be under the export root). */
function folderTarget(root: string, out: string | undefined, dataset: Pick<DatasetRecord, "id" | "name">): ExportTarget {
  return { root, directory: join(resolveUnderRoot(root, out ?? ".", { allowRoot: true }), datasetFolder(dataset)), fileName: TRAIN_FILE };
}

function fileTarget(root: string, path: string, split: boolean): ExportTarget {
  const file = resolveUnderRoot(root, path);
  if (!file.endsWith(".jsonl")) throw new InputError(`the output path ${file} should end in .jsonl (one JSON record a line)`);
  if (basename(file) === "README.md" || (split && basename(file) === VALIDATION_FILE)) {
    throw new InputError(`${basename(file)} is taken (README.md is the dataset card, ${VALIDATION_FILE} the validation split); choose another file name`);
  }
  return { root, directory: dirname(file), fileName: basename(file) };
}

/**
 * The one way a dataset is written, for a pipeline run and for a later export alike: refuse an empty dataset
 * and a folder holding another dataset's export, then stream the dataset's episodes from the store with the
 * options given over the config's `export` section, and record the export on the dataset.
 */
export async function writeDatasetExport(
  context: { store: Store; clock: Clock; config: PipelineConfig },
  dataset: DatasetRecord,
  target: ExportTarget,
  settings: ExportSettings,
  options: OperationOptions,
): Promise<ExportSummary> {
  if (dataset.episodeIds.length === 0) throw new EmptyResultError(describeEmptyDataset(dataset));
  await assertFolderIsFree(context.store, dataset, target, settings.force ?? false);
  const defaults = context.config.export;
  const format = settings.format ?? defaults.format;
  const validationRatio = settings.split?.validationRatio ?? defaults.split?.validationRatio;
  const seed = settings.split?.seed ?? defaults.split?.seed ?? dataset.provenance.seed ?? context.config.seed;
  const { written } = await exportStoredDataset(context.store, {
    datasetId: dataset.id,
    outDir: target.directory,
    root: target.root,
    fileName: target.fileName,
    format: {
      name: format,
      includeSystemPrompt: settings.includeSystemPrompt ?? defaults.includeSystemPrompt,
      includeReasoning: settings.includeReasoning ?? defaults.includeReasoning,
      callIdStyle: settings.callIdStyle ?? (settings.kimiToolCallIds !== undefined ? resolveCallIdStyle({ kimiToolCallIds: settings.kimiToolCallIds }) : resolveCallIdStyle(defaults)),
    },
    split: validationRatio === undefined ? undefined : { validationRatio, seed },
    clock: context.clock,
    signal: options.signal,
    onRecord: (done, total) => options.onProgress?.({ done, total }),
  });
  return {
    datasetId: dataset.id,
    datasetName: dataset.name,
    format,
    directory: target.directory,
    path: written.path,
    cardPath: written.cardPath,
    records: written.records,
    sha256: written.sha256,
    files: written.files,
  };
}

function describeEmptyDataset(dataset: DatasetRecord): string {
  const reasons = Object.entries(dataset.rejectionCounts)
    .sort(([, a], [, b]) => b - a)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(", ");
  const seen = dataset.rejected.length;
  return `dataset ${dataset.id} "${dataset.name}" has no records: the filter kept none of its ${seen} episode(s)${reasons ? ` (rejected: ${reasons})` : ""}; nothing was exported. Loosen the filter (minScore, requirePass, caps) or simulate more episodes`;
}

import { basename, dirname } from "node:path";
import type { ExportFile } from "../domain/dataset.js";
import type { ExportFormat, ExportSplit } from "../domain/config.js";
import { InputError } from "../errors/input-error.js";
import { exportStoredDataset } from "../export/export-stored-dataset.js";
import { VALIDATION_FILE } from "../export/write-export.js";
import { resolveUnderRoot } from "./export-path.js";
import type { OperationOptions } from "./operation-options.js";
import type { WorkspaceContext } from "./workspace-context.js";

export interface ExportDatasetInput {
  datasetId: string;
  format?: ExportFormat | undefined;
  /** The (train) JSONL file to write, under the export root (relative paths resolve from it). */
  path: string;
  includeSystemPrompt?: boolean | undefined;
  includeReasoning?: boolean | undefined;
  kimiToolCallIds?: boolean | undefined;
  /** Without a seed, the pipeline seed; without a split, the config's (if any). */
  split?: ExportSplit | undefined;
}

export interface ExportDatasetResult {
  datasetId: string;
  format: ExportFormat;
  path: string;
  cardPath: string;
  records: number;
  sha256: string;
  files: ExportFile[];
}

/**
 * Write a dataset's kept episodes (streamed from the store) in a trainer's format with a dataset card beside
 * it, and record the export on the dataset. Files appear under their names only when complete.
 */
export async function exportDataset(context: WorkspaceContext, input: ExportDatasetInput, options: OperationOptions): Promise<ExportDatasetResult> {
  const path = resolveUnderRoot(context.exportRoot, input.path);
  if (!path.endsWith(".jsonl")) throw new InputError(`the output path ${path} should end in .jsonl (one JSON record a line)`);
  const defaults = context.config.export;
  const split = input.split ?? defaults.split;
  if (basename(path) === "README.md" || (split && basename(path) === VALIDATION_FILE)) {
    throw new InputError(`${basename(path)} is taken (README.md is the dataset card, ${VALIDATION_FILE} the validation split); choose another file name`);
  }
  await context.store.datasets.require(input.datasetId);
  const format = input.format ?? defaults.format;
  const { written } = await exportStoredDataset(context.store, {
    datasetId: input.datasetId,
    outDir: dirname(path),
    fileName: basename(path),
    format: {
      name: format,
      includeSystemPrompt: input.includeSystemPrompt ?? defaults.includeSystemPrompt,
      includeReasoning: input.includeReasoning ?? defaults.includeReasoning,
      kimiToolCallIds: input.kimiToolCallIds ?? defaults.kimiToolCallIds,
    },
    split: split ? { validationRatio: split.validationRatio, seed: split.seed ?? context.config.seed } : undefined,
    clock: context.clock,
    signal: options.signal,
    onRecord: (done, total) => options.onProgress?.({ done, total }),
  });
  return { datasetId: input.datasetId, format, path: written.path, cardPath: written.cardPath, records: written.records, sha256: written.sha256, files: written.files };
}
